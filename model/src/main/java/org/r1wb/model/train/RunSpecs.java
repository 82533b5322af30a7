package org.r1wb.model.train;

import com.fasterxml.jackson.core.JsonProcessingException;
import org.r1wb.model.spec.ModelSpecs;

import java.io.IOException;
import java.nio.file.Path;

/** Reads and writes {@code run.json}. */
public final class RunSpecs {

    private RunSpecs() {
    }

    /** Reads a run spec; a malformed file fails with its path, line and column. */
    public static RunSpec load(Path file) throws IOException {
        try {
            return ModelSpecs.JSON.readValue(file.toFile(), RunSpec.class);
        } catch (JsonProcessingException e) {
            throw new IOException(ModelSpecs.describe(file, e), e);
        }
    }

    /** Writes a run spec atomically. */
    public static void save(RunSpec spec, Path file) throws IOException {
        ModelSpecs.writeAtomically(file, ModelSpecs.JSON.writeValueAsString(spec) + "\n");
    }
}
