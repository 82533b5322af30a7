package org.r1wb.agent.remote;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;

/**
 * A small JSON file of a run folder (a binding to a node or a Slurm job): written whole, through a temp file and an
 * atomic rename, so a crash leaves the old file or the new one; read back with a message that names the file.
 */
public final class JsonFile {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private JsonFile() {
    }

    /** Writes {@code value} to {@code file}, creating its folder. */
    public static void write(Path file, Object value) throws IOException {
        Files.createDirectories(file.getParent());
        Path temp = file.resolveSibling(file.getFileName() + ".tmp");
        JSON.writeValue(temp.toFile(), value);
        Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** The {@code type} in {@code file}, or empty when there is no such file; {@code what} names it in errors. */
    public static <T> Optional<T> read(Path file, Class<T> type, String what) throws IOException {
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(JSON.readValue(file.toFile(), type));
        } catch (IOException e) {
            throw new IOException(file + " is not a readable " + what + ": " + e.getMessage(), e);
        }
    }
}
