package org.r1wb.model.recipe;

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
 * The strict JSONL reading the recipe's data files share: one JSON object a line, blank lines skipped, and the first
 * bad line failing the read with its {@code file:line}, because a stage must not train on a silently shortened set.
 */
public final class JsonlRecords {

    /** How one parsed line becomes a record. */
    public interface Format<T> {
        /** What is wrong with the line, or {@code null} when it makes a good record. */
        String problem(JsonNode node);

        /** The record of a good line; {@code where} is its {@code file:line}. */
        T record(JsonNode node, String where);
    }

    private JsonlRecords() {
    }

    /** Every record of {@code file}, in file order (possibly none). */
    public static <T> List<T> read(Path file, Format<T> format) throws IOException {
        List<T> records = new ArrayList<>();
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
                String problem = format.problem(node);
                if (problem != null) {
                    throw new IOException(where + ": " + problem);
                }
                records.add(format.record(node, where));
            }
        }
        return records;
    }
}
