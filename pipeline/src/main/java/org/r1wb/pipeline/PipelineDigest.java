package org.r1wb.pipeline;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collections;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import org.r1wb.pipeline.io.Json;
import org.r1wb.pipeline.spec.EdgeSpec;
import org.r1wb.pipeline.spec.NodeSpec;
import org.r1wb.pipeline.spec.PipelineGraph;
import org.r1wb.pipeline.spec.PipelineSpec;
import org.r1wb.pipeline.stage.Stage;
import org.r1wb.pipeline.stage.StageParams;
import org.r1wb.pipeline.stage.StageRegistry;

/**
 * The content digests of a valid pipeline (SHA-256, 64 hex characters each).
 *
 * <p>{@code run} names the run's output folder: it covers the canonical pipeline (nodes with stage versions and
 * parameters with defaults filled in, edges; the display name is left out) and each input file's
 * workspace-relative path and content hash. Each entry of {@code nodes} is a node's cache key: its id, stage, version
 * and parameters, its own input files, and, edge by edge, the ports and the digest of the node feeding it. So a
 * changed parameter changes the digest of its node and of everything downstream, and nothing else.
 *
 * @param run   the digest of the whole run
 * @param nodes node id → the digest of that node's output
 */
public record PipelineDigest(String run, Map<String, String> nodes) {

    public PipelineDigest {
        nodes = Collections.unmodifiableMap(new LinkedHashMap<>(nodes));
    }

    /** Computes the digests, hashing every input file once. */
    public static PipelineDigest compute(PipelineSpec spec, StageRegistry registry, Path workspace) throws IOException {
        ObjectNode canonical = Json.mapper().createObjectNode();
        canonical.put("format", spec.format());
        ArrayNode nodeArray = canonical.putArray("nodes");
        MessageDigest allFiles = sha256();
        Map<String, byte[]> ownPart = new HashMap<>();
        for (NodeSpec node : spec.nodes()) {
            Stage stage = registry.find(node.stage()).orElseThrow();
            StageParams params = new StageParams(stage.params(), node.params());
            ObjectNode n = nodeArray.addObject();
            n.put("id", node.id());
            n.put("stage", stage.id());
            n.put("version", stage.version());
            n.set("params", Json.mapper().valueToTree(params.values()));
            MessageDigest own = sha256();
            own.update(Json.canonical(n).getBytes(StandardCharsets.UTF_8));
            for (Path file : stage.inputFiles(params, workspace)) {
                byte[] name = relative(workspace, file).getBytes(StandardCharsets.UTF_8);
                byte[] hash = fileHash(file);
                for (MessageDigest d : new MessageDigest[] {allFiles, own}) {
                    d.update(name);
                    d.update((byte) 0);
                    d.update(hash);
                }
            }
            ownPart.put(node.id(), own.digest());
        }
        ArrayNode edges = canonical.putArray("edges");
        for (EdgeSpec edge : spec.edges()) {
            edges.add(Json.mapper().valueToTree(edge));
        }
        MessageDigest all = sha256();
        all.update(Json.canonical(canonical).getBytes(StandardCharsets.UTF_8));
        all.update(allFiles.digest());

        PipelineGraph graph = new PipelineGraph(spec);
        Map<String, String> nodeDigests = new LinkedHashMap<>();
        for (NodeSpec node : graph.order()) {
            MessageDigest d = sha256();
            d.update(ownPart.get(node.id()));
            for (EdgeSpec edge : graph.incoming(node.id())) {
                d.update(("\n" + edge.fromPort() + "->" + edge.toPort() + "@").getBytes(StandardCharsets.UTF_8));
                d.update(nodeDigests.get(edge.from()).getBytes(StandardCharsets.UTF_8));
            }
            nodeDigests.put(node.id(), HexFormat.of().formatHex(d.digest()));
        }
        return new PipelineDigest(HexFormat.of().formatHex(all.digest()), nodeDigests);
    }

    private static byte[] fileHash(Path file) throws IOException {
        MessageDigest sha = sha256();
        byte[] buffer = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(file)) {
            int n;
            while ((n = in.read(buffer)) > 0) {
                sha.update(buffer, 0, n);
            }
        }
        return sha.digest();
    }

    private static String relative(Path workspace, Path file) {
        Path ws = workspace.toAbsolutePath().normalize();
        Path abs = file.toAbsolutePath().normalize();
        return (abs.startsWith(ws) ? ws.relativize(abs) : abs).toString().replace('\\', '/');
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
