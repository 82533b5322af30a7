package org.r1wb.workbench.state;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Reads and writes {@link WorkbenchState} as JSON: {@code $XDG_CONFIG_HOME/r1wb/workbench.json} (by default
 * {@code ~/.config/r1wb/workbench.json}), or the file named by the {@value #LOCATION_PROPERTY} system property.
 * Writes go to a temporary file that is then renamed over the old one, so a crash never leaves half a file; a file
 * that cannot be read is logged and ignored, never fatal: the workbench then starts with the defaults.
 */
public final class WorkbenchStateStore {

    /** System property that moves the file (tests point it at a temporary folder). */
    public static final String LOCATION_PROPERTY = "r1wb.workbench.state";
    private static final Logger LOG = Logger.getLogger(WorkbenchStateStore.class.getName());
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final Path file;

    public WorkbenchStateStore(Path file) {
        this.file = file;
    }

    /** The store at the system property's location, else in the user's config folder. */
    public static WorkbenchStateStore standard() {
        String override = System.getProperty(LOCATION_PROPERTY);
        if (override != null && !override.isBlank()) {
            return new WorkbenchStateStore(Path.of(override));
        }
        String xdg = System.getenv("XDG_CONFIG_HOME");
        Path config = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".config");
        return new WorkbenchStateStore(config.resolve("r1wb").resolve("workbench.json"));
    }

    public Path file() {
        return file;
    }

    /** The saved state; the defaults when there is none or it cannot be read (logged with the reason). */
    public WorkbenchState load() {
        if (!Files.isRegularFile(file)) {
            return WorkbenchState.defaults();
        }
        try {
            WorkbenchState state = JSON.readValue(file.toFile(), WorkbenchState.class);
            return state == null ? WorkbenchState.defaults() : state;
        } catch (JsonProcessingException e) {
            LOG.warning(() -> "ignoring the unreadable workbench state " + file + " (line "
                    + (e.getLocation() == null ? "?" : e.getLocation().getLineNr()) + ": " + e.getOriginalMessage()
                    + "); starting with the default layout");
            return WorkbenchState.defaults();
        } catch (IOException e) {
            LOG.warning(() -> "cannot read the workbench state " + file + ": " + e.getMessage()
                    + "; starting with the default layout");
            return WorkbenchState.defaults();
        }
    }

    /** Writes {@code state} atomically; a failure is logged, since losing the layout must not stop a shutdown. */
    public void save(WorkbenchState state) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Path temp = Files.createTempFile(file.toAbsolutePath().getParent(), ".workbench", ".tmp");
            try {
                JSON.writeValue(temp.toFile(), state);
                try {
                    Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
                }
            } finally {
                Files.deleteIfExists(temp);
            }
        } catch (IOException e) {
            LOG.log(Level.WARNING, "cannot save the workbench state to " + file, e);
        }
    }
}
