package org.r1wb.agent.remote;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The workspace's remote nodes, {@code nodes.json}: specs only, never keys (see {@link NodeSpec}). */
public final class NodeList {

    /** The file's name inside a workspace. */
    public static final String FILE = "nodes.json";

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** The file's shape: {@code {"nodes": [...]}} so it can grow other keys. */
    record Document(List<NodeSpec> nodes) {
    }

    private final List<NodeSpec> nodes;

    public NodeList(List<NodeSpec> nodes) {
        this.nodes = List.copyOf(nodes);
    }

    public List<NodeSpec> nodes() {
        return nodes;
    }

    /** The node named {@code name}. */
    public Optional<NodeSpec> find(String name) {
        return nodes.stream().filter(n -> n.name().equals(name)).findFirst();
    }

    /** This list with {@code node} added, or replacing the node of the same name. */
    public NodeList with(NodeSpec node) {
        List<NodeSpec> next = new ArrayList<>(nodes);
        next.removeIf(n -> n.name().equals(node.name()));
        next.add(node);
        return new NodeList(next);
    }

    /** Reads the workspace's list; empty when the file does not exist. */
    public static NodeList load(Path workspace) throws IOException {
        Path file = workspace.resolve(FILE);
        if (!Files.exists(file)) {
            return new NodeList(List.of());
        }
        try {
            Document document = JSON.readValue(file.toFile(), Document.class);
            return new NodeList(document.nodes() == null ? List.of() : document.nodes());
        } catch (IOException e) {
            throw new IOException(file + ": not a node list: " + e.getMessage(), e);
        }
    }

    /** Writes the list atomically (temp file, then rename), after checking every node. */
    public void save(Path workspace) throws IOException {
        List<String> problems = new ArrayList<>();
        for (NodeSpec node : nodes) {
            node.problems().forEach(p -> problems.add("node '" + node.name() + "' " + p));
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }
        Path file = workspace.resolve(FILE);
        Files.createDirectories(workspace);
        Path temp = Files.createTempFile(workspace, ".nodes", ".tmp");
        try {
            JSON.writeValue(temp.toFile(), new Document(nodes));
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(temp);
        }
    }
}
