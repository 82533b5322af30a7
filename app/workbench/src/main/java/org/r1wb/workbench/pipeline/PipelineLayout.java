package org.r1wb.workbench.pipeline;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.r1wb.model.spec.ModelSpecs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where the editor drew each node of a pipeline, kept beside the pipeline in {@code .layout/<file name>} so the
 * pipeline file itself holds only what the engine reads (and the CLI and the editor write identical pipelines).
 */
public final class PipelineLayout {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String FOLDER = ".layout";

    private PipelineLayout() {
    }

    /** The layout file of {@code pipelineFile}. */
    public static Path fileOf(Path pipelineFile) {
        return pipelineFile.resolveSibling(FOLDER).resolve(pipelineFile.getFileName());
    }

    /** Node positions by id; empty when there is no layout file or it cannot be read (the editor lays out anew). */
    public static Map<String, double[]> read(Path pipelineFile) {
        Path file = fileOf(pipelineFile);
        if (!Files.isRegularFile(file)) {
            return Map.of();
        }
        try {
            return JSON.readValue(file.toFile(), new TypeReference<LinkedHashMap<String, double[]>>() { });
        } catch (IOException unreadable) {
            return Map.of();
        }
    }

    /** Writes node positions atomically. */
    public static void write(Path pipelineFile, Map<String, double[]> positions) throws IOException {
        Path file = fileOf(pipelineFile);
        Files.createDirectories(file.getParent());
        ModelSpecs.writeAtomically(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(positions) + "\n");
    }
}
