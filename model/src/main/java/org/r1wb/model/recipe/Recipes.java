package org.r1wb.model.recipe;

import com.fasterxml.jackson.core.JsonProcessingException;
import org.r1wb.model.spec.ModelSpecs;

import java.io.IOException;
import java.nio.file.Path;

/** Reads and writes {@code *.recipe.json}. */
public final class Recipes {

    private Recipes() {
    }

    /** Reads a recipe; a malformed file (or an unknown field) fails with its path, line and column. */
    public static Recipe load(Path file) throws IOException {
        try {
            return ModelSpecs.JSON.readValue(file.toFile(), Recipe.class);
        } catch (JsonProcessingException e) {
            throw new IOException(ModelSpecs.describe(file, e), e);
        }
    }

    /** Writes a recipe atomically. */
    public static void save(Recipe recipe, Path file) throws IOException {
        ModelSpecs.writeAtomically(file, ModelSpecs.JSON.writeValueAsString(recipe) + "\n");
    }
}
