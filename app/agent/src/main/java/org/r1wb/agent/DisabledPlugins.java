package org.r1wb.agent;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.r1wb.pipeline.io.AtomicFiles;
import org.r1wb.pipeline.io.Json;

/**
 * The plugins the user turned off: each plugin folder may hold {@value #FILE}, {@code {"format": 1, "disabled":
 * ["a.jar", …]}}, naming jars of that folder by file name. A disabled jar is never loaded, by a run or by the probe;
 * the workbench's plugin manager and {@code r1wb plugin enable|disable} write the file (temp file, then rename).
 */
public final class DisabledPlugins {

    /** The file's name inside a plugin folder. */
    public static final String FILE = "disabled.json";
    private static final int FORMAT = 1;

    private DisabledPlugins() {
    }

    /** The disabled jars of {@code folders}, as paths inside them. */
    public static Set<Path> of(List<Path> folders) throws IOException {
        Set<Path> disabled = new HashSet<>();
        for (Path folder : folders) {
            for (String name : names(folder)) {
                disabled.add(folder.resolve(name));
            }
        }
        return disabled;
    }

    /** Whether {@code jar} is listed in its folder's file. */
    public static boolean isDisabled(Path jar) throws IOException {
        return names(folderOf(jar)).contains(jar.getFileName().toString());
    }

    /** Turns {@code jar} (a jar in a plugin folder) off or back on, rewriting its folder's file atomically. */
    public static void set(Path jar, boolean disabled) throws IOException {
        Path folder = folderOf(jar);
        Set<String> names = new TreeSet<>(names(folder));
        boolean changed = disabled ? names.add(jar.getFileName().toString()) : names.remove(jar.getFileName().toString());
        if (!changed) {
            return;
        }
        ObjectNode root = Json.mapper().createObjectNode().put("format", FORMAT);
        names.forEach(root.putArray("disabled")::add);
        AtomicFiles.write(folder.resolve(FILE), out -> out.write(Json.mapper().writeValueAsBytes(root)));
    }

    /** The jar file names {@code folder}'s file lists; none when there is no file. */
    private static Set<String> names(Path folder) throws IOException {
        Path file = folder.resolve(FILE);
        if (!Files.isRegularFile(file)) {
            return Set.of();
        }
        JsonNode root;
        try {
            root = Json.mapper().readTree(file.toFile());
        } catch (JsonProcessingException e) {
            int line = e.getLocation() == null ? -1 : e.getLocation().getLineNr();
            throw new IOException(file + ":" + line + ": not valid JSON (" + e.getOriginalMessage()
                    + "); fix it or delete it to enable every plugin of " + folder);
        }
        JsonNode list = root == null ? null : root.get("disabled");
        if (list == null || !list.isArray() || root.path("format").asInt() != FORMAT) {
            throw new IOException(file + ": expected {\"format\": 1, \"disabled\": [\"name.jar\", …]}; fix it or"
                    + " delete it to enable every plugin of " + folder);
        }
        Set<String> names = new HashSet<>();
        list.forEach(name -> names.add(name.asText()));
        return names;
    }

    private static Path folderOf(Path jar) {
        Path parent = jar.toAbsolutePath().normalize().getParent();
        if (parent == null) {
            throw new IllegalArgumentException("a plugin jar lies in a folder: " + jar);
        }
        return parent;
    }
}
