package org.r1wb.model.recipe.grpo;

import com.fasterxml.jackson.databind.JsonNode;
import org.r1wb.model.recipe.JsonlRecords;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Reads a GRPO prompt set: JSONL, one {@code {"prompt": "3+4", "target": "7"}} a line (a numeric target is read as
 * its text; other fields are ignored; blank lines skipped). The first bad line fails the read with its
 * {@code file:line}: a stage must not train on a silently shortened task.
 */
public final class GrpoPromptReader {

    private GrpoPromptReader() {
    }

    /** Every prompt of {@code file}, in file order. */
    public static List<GrpoPrompt> read(Path file) throws IOException {
        List<GrpoPrompt> prompts = JsonlRecords.read(file, new JsonlRecords.Format<>() {
            @Override
            public String problem(JsonNode node) {
                return GrpoPromptReader.problem(node);
            }

            @Override
            public GrpoPrompt record(JsonNode node, String where) {
                return new GrpoPrompt(node.get("prompt").asText(), node.get("target").asText(), where);
            }
        });
        if (prompts.isEmpty()) {
            throw new IOException(file + ": no prompts: write one {\"prompt\": …, \"target\": …} object a line");
        }
        return prompts;
    }

    /** What is wrong with one parsed line, or {@code null} when it is a good prompt. */
    private static String problem(JsonNode node) {
        if (!node.isObject()) {
            return "expected an object {\"prompt\": …, \"target\": …}";
        }
        JsonNode prompt = node.get("prompt");
        if (prompt == null || prompt.isNull()) {
            return "\"prompt\" is missing";
        }
        if (!prompt.isTextual() || prompt.asText().isEmpty()) {
            return "\"prompt\" must be a non-empty string";
        }
        JsonNode target = node.get("target");
        if (target == null || target.isNull()) {
            return "\"target\" is missing (the accuracy reward compares the answer with it)";
        }
        if (!target.isTextual() && !target.isNumber()) {
            return "\"target\" must be a string or a number";
        }
        return null;
    }
}
