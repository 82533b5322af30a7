package org.r1wb.model.recipe.sft;

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
 * Reads SFT examples from JSONL, one object a line: {@code {"prompt": "…", "response": "…"}} (other fields are
 * ignored; blank lines are skipped). A bad line is reported as {@code file:line: what is wrong}; depending on
 * {@link OnError} the reader skips it and goes on, or stops at it.
 */
public final class SftReader {

    /** What to do with a malformed line. */
    public enum OnError {
        /** Leave the line out, record the problem and go on. */
        SKIP,
        /** Throw an {@link IOException} naming the line. */
        STOP
    }

    /**
     * What a file held.
     *
     * @param examples the good examples, in file order
     * @param problems one {@code file:line: message} per skipped line
     */
    public record Result(List<SftExample> examples, List<String> problems) {
    }

    private SftReader() {
    }

    /** Reads {@code file}; under {@link OnError#STOP} the first bad line fails the read. */
    public static Result read(Path file, OnError onError) throws IOException {
        List<SftExample> examples = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            int lineNumber = 0;
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                lineNumber++;
                if (line.isBlank()) {
                    continue;
                }
                String where = file + ":" + lineNumber;
                String problem = null;
                try {
                    JsonNode node = ModelSpecs.JSON.readTree(line);
                    problem = check(node);
                    if (problem == null) {
                        examples.add(new SftExample(node.get("prompt").asText(), node.get("response").asText(), where));
                    }
                } catch (JsonProcessingException e) {
                    problem = "not valid JSON (" + e.getOriginalMessage() + ")";
                }
                if (problem != null) {
                    if (onError == OnError.STOP) {
                        throw new IOException(where + ": " + problem);
                    }
                    problems.add(where + ": " + problem);
                }
            }
        }
        return new Result(examples, problems);
    }

    /** What is wrong with one parsed line, or {@code null} when it is a good example. */
    private static String check(JsonNode node) {
        if (!node.isObject()) {
            return "expected an object {\"prompt\": …, \"response\": …}";
        }
        for (String field : new String[] {"prompt", "response"}) {
            JsonNode value = node.get(field);
            if (value == null || value.isNull()) {
                return "\"" + field + "\" is missing";
            }
            if (!value.isTextual()) {
                return "\"" + field + "\" must be a string";
            }
        }
        if (node.get("response").asText().isEmpty()) {
            return "\"response\" is empty: there is nothing to learn";
        }
        return null;
    }
}
