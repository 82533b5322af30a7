package org.r1wb.model.recipe.grpo;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import org.r1wb.model.spec.ModelSpecs;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
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
        List<GrpoPrompt> prompts = new ArrayList<>();
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            int lineNumber = 0;
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                lineNumber++;
                if (line.isBlank()) {
                    continue;
                }
                String where = file + ":" + lineNumber;
                JsonNode node;
                try {
                    node = ModelSpecs.JSON.readTree(line);
                } catch (JsonProcessingException e) {
                    throw new IOException(where + ": not valid JSON (" + e.getOriginalMessage() + ")", e);
                }
                String problem = check(node);
                if (problem != null) {
                    throw new IOException(where + ": " + problem);
                }
                prompts.add(new GrpoPrompt(node.get("prompt").asText(), node.get("target").asText(), where));
            }
        }
        if (prompts.isEmpty()) {
            throw new IOException(file + ": no prompts: write one {\"prompt\": …, \"target\": …} object a line");
        }
        return prompts;
    }

    /** What is wrong with one parsed line, or {@code null} when it is a good prompt. */
    private static String check(JsonNode node) {
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
