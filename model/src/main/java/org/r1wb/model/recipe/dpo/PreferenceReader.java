package org.r1wb.model.recipe.dpo;

import com.fasterxml.jackson.databind.JsonNode;
import org.r1wb.model.recipe.JsonlRecords;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Reads preference pairs: JSONL, one {@code {"prompt": …, "chosen": …, "rejected": …}} a line (other fields ignored,
 * blank lines skipped). The first bad line fails the read with its {@code file:line}: a stage must not train on a
 * silently shortened set.
 */
public final class PreferenceReader {

    private PreferenceReader() {
    }

    /** Every pair of {@code file}, in file order. */
    public static List<PreferencePair> read(Path file) throws IOException {
        List<PreferencePair> pairs = JsonlRecords.read(file, new JsonlRecords.Format<>() {
            @Override
            public String problem(JsonNode node) {
                return PreferenceReader.problem(node);
            }

            @Override
            public PreferencePair record(JsonNode node, String where) {
                return new PreferencePair(node.get("prompt").asText(), node.get("chosen").asText(),
                        node.get("rejected").asText(), where);
            }
        });
        if (pairs.isEmpty()) {
            throw new IOException(file + ": no pairs: write one {\"prompt\": …, \"chosen\": …, \"rejected\": …} "
                    + "object a line");
        }
        return pairs;
    }

    /** What is wrong with one parsed line, or {@code null} when it is a good pair. */
    private static String problem(JsonNode node) {
        if (!node.isObject()) {
            return "expected an object {\"prompt\": …, \"chosen\": …, \"rejected\": …}";
        }
        for (String field : new String[] {"prompt", "chosen", "rejected"}) {
            JsonNode value = node.get(field);
            if (value == null || value.isNull()) {
                return "\"" + field + "\" is missing";
            }
            if (!value.isTextual() || value.asText().isEmpty()) {
                return "\"" + field + "\" must be a non-empty string";
            }
        }
        if (node.get("chosen").asText().equals(node.get("rejected").asText())) {
            return "\"chosen\" and \"rejected\" are the same: there is no preference to learn";
        }
        return null;
    }
}
