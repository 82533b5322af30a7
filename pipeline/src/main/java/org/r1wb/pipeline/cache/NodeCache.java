package org.r1wb.pipeline.cache;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.r1wb.pipeline.io.AtomicFiles;
import org.r1wb.pipeline.io.Json;
import org.r1wb.pipeline.stage.Port;
import org.r1wb.pipeline.stage.PortType;
import org.r1wb.pipeline.stage.StageStats;

/**
 * Each node's output on disk, keyed by the node's digest ({@link org.r1wb.pipeline.PipelineDigest#nodes()}):
 * {@code <root>/<digest>/} holds {@code files/} (what the node wrote), {@code values/} (its port values) and
 * {@code entry.json} (ports and statistics). A node runs in a {@code .tmp-*} sibling that is renamed into place only
 * after it succeeded and {@code entry.json} is written, so an entry that exists is complete; a run killed mid-way
 * leaves at most a temp folder, which no later run reads.
 */
public final class NodeCache {

    /** The cache folder inside the workspace's {@code data/} folder. */
    public static final String DIR = ".nodes";

    private static final String ENTRY_FILE = "entry.json";
    private static final String FILES = "files";
    private static final String VALUES = "values";

    private final Path root;

    public NodeCache(Path root) {
        this.root = root;
    }

    /** The complete entry for {@code digest}, if one exists and reads back. */
    public Optional<Entry> find(String digest) {
        Path dir = root.resolve(digest);
        Path entryFile = dir.resolve(ENTRY_FILE);
        if (!Files.isRegularFile(entryFile)) {
            return Optional.empty();
        }
        try {
            EntryFile entry = Json.mapper().readValue(entryFile.toFile(), EntryFile.class);
            return Optional.of(new Entry(dir, entry.ports(), entry.stats()));
        } catch (IOException unreadable) {
            return Optional.empty();
        }
    }

    /** A fresh temp folder for a node about to run; its {@code files/} subfolder is where the node writes. */
    public Path newTemp(String digest) throws IOException {
        Files.createDirectories(root);
        Path temp = Files.createTempDirectory(root, ".tmp-" + digest.substring(0, 12) + "-");
        Files.createDirectories(temp.resolve(FILES));
        return temp;
    }

    /** Where a node running in {@code temp} writes its files. */
    public static Path filesOf(Path temp) {
        return temp.resolve(FILES);
    }

    /**
     * Stores a finished node's outputs and statistics in {@code temp} and renames it into place (if another run
     * stored the same digest first, that entry is kept and {@code temp} deleted).
     */
    public Entry commit(Path temp, String digest, List<Port> ports, Map<String, Object> outputs, StageStats stats)
            throws IOException {
        Path values = Files.createDirectories(temp.resolve(VALUES));
        for (Port port : ports) {
            PortValues.write(values, port.name(), port.type(), outputs.get(port.name()));
        }
        return commitWritten(temp, digest, ports, stats);
    }

    /**
     * A writer for the documents of {@code port} of a node running in {@code temp}, for a node that streams its
     * output; commit with {@link #commitWritten} once every port was written and closed.
     */
    public DocumentFileWriter documentWriter(Path temp, String port) throws IOException {
        return new DocumentFileWriter(PortValues.documentsFile(Files.createDirectories(temp.resolve(VALUES)), port));
    }

    /** As {@link #commit}, for a node whose port values are already written in {@code temp}. */
    public Entry commitWritten(Path temp, String digest, List<Port> ports, StageStats stats) throws IOException {
        Map<String, PortType> types = new LinkedHashMap<>();
        for (Port port : ports) {
            types.put(port.name(), port.type());
        }
        AtomicFiles.write(temp.resolve(ENTRY_FILE), out -> Json.mapper().writeValue(out, new EntryFile(types, stats)));
        Path dir = root.resolve(digest);
        if (find(digest).isPresent()) {
            // Preview reruns a cached node, and two runs may race: the first complete entry stays.
            AtomicFiles.deleteTree(temp);
        } else {
            if (Files.exists(dir)) {
                AtomicFiles.deleteTree(dir);
            }
            try {
                Files.move(temp, dir, StandardCopyOption.ATOMIC_MOVE);
            } catch (FileSystemException raced) {
                if (find(digest).isEmpty()) {
                    throw raced;
                }
                AtomicFiles.deleteTree(temp);
            }
        }
        return find(digest).orElseThrow(() -> new IOException("node cache entry " + dir + " did not read back"));
    }

    /** What {@code entry.json} holds. */
    record EntryFile(Map<String, PortType> ports, StageStats stats) {
    }

    /**
     * A complete cache entry.
     *
     * @param dir   its folder
     * @param ports output port name → type
     * @param stats the statistics of the run that produced it
     */
    public record Entry(Path dir, Map<String, PortType> ports, StageStats stats) {

        /** Reads the port values back. */
        public Map<String, Object> load() throws IOException {
            Map<String, Object> values = new LinkedHashMap<>();
            for (Map.Entry<String, PortType> port : ports.entrySet()) {
                values.put(port.getKey(), PortValues.read(dir.resolve(VALUES), port.getKey(), port.getValue()));
            }
            return values;
        }

        /** Reads the documents of {@code port} (a documents port) one at a time. */
        public DocumentFileReader openDocuments(String port) throws IOException {
            return new DocumentFileReader(PortValues.documentsFile(dir.resolve(VALUES), port));
        }

        /**
         * Puts the node's files into {@code target} (hard links where the file system allows, copies otherwise),
         * replacing files of the same name.
         */
        public void linkFilesInto(Path target) throws IOException {
            Path files = dir.resolve(FILES);
            List<Path> all;
            try (Stream<Path> walk = Files.walk(files)) {
                all = walk.filter(Files::isRegularFile).collect(Collectors.toList());
            }
            for (Path file : all) {
                Path to = target.resolve(files.relativize(file).toString());
                Files.createDirectories(to.getParent());
                Files.deleteIfExists(to);
                try {
                    Files.createLink(to, file);
                } catch (IOException | UnsupportedOperationException noLinks) {
                    Files.copy(file, to);
                }
            }
        }
    }
}
