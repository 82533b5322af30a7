package org.r1wb.model.spec;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** Reads and writes {@link ModelSpec} JSON ({@code *.model.json}, camelCase fields). */
public final class ModelSpecs {

    /** The mapper every spec-bearing file of the model module shares, so all read and write alike. */
    public static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private ModelSpecs() {
    }

    /** Reads a spec; a malformed file fails with its path, line and column. */
    public static ModelSpec load(Path file) throws IOException {
        try {
            return JSON.readValue(file.toFile(), ModelSpec.class);
        } catch (JsonProcessingException e) {
            throw new IOException(describe(file, e), e);
        }
    }

    /** Parses a spec from JSON text. */
    public static ModelSpec parse(String json) throws IOException {
        return JSON.readValue(json, ModelSpec.class);
    }

    /** The spec as pretty JSON. */
    public static String toJson(ModelSpec spec) {
        try {
            return JSON.writeValueAsString(spec);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a model spec always serialises", e);
        }
    }

    /** Writes a spec atomically (temp file, then rename). */
    public static void save(ModelSpec spec, Path file) throws IOException {
        writeAtomically(file, toJson(spec) + "\n");
    }

    /** Writes text to {@code file} through a sibling temp file and an atomic rename, so a crash leaves old or new. */
    public static void writeAtomically(Path file, String text) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, "." + file.getFileName(), ".tmp");
        try {
            Files.writeString(tmp, text);
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** "file:line:column: message" for a JSON error. */
    public static String describe(Path file, JsonProcessingException e) {
        var location = e.getLocation();
        String where = location == null ? file.toString()
                : file + ":" + location.getLineNr() + ":" + location.getColumnNr();
        return where + ": " + e.getOriginalMessage();
    }
}
