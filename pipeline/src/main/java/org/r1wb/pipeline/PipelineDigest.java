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
import java.util.HexFormat;
import org.r1wb.pipeline.io.Json;
import org.r1wb.pipeline.spec.EdgeSpec;
import org.r1wb.pipeline.spec.NodeSpec;
import org.r1wb.pipeline.spec.PipelineSpec;
import org.r1wb.pipeline.stage.Stage;
import org.r1wb.pipeline.stage.StageParams;
import org.r1wb.pipeline.stage.StageRegistry;

/**
 * The content digest that names a run's output folder: SHA-256 over the canonical pipeline (nodes with stage
 * versions and parameters with defaults filled in, edges; the display name is left out), then each input file's
 * workspace-relative path and content hash. Equal digests mean equal outputs.
 */
public final class PipelineDigest {

    private PipelineDigest() {
    }

    /** Computes the digest of a valid pipeline (64 hex characters). */
    public static String compute(PipelineSpec spec, StageRegistry registry, Path workspace) throws IOException {
        ObjectNode canonical = Json.mapper().createObjectNode();
        canonical.put("format", spec.format());
        ArrayNode nodes = canonical.putArray("nodes");
        MessageDigest files = sha256();
        for (NodeSpec node : spec.nodes()) {
            Stage stage = registry.find(node.stage()).orElseThrow();
            StageParams params = new StageParams(stage.params(), node.params());
            ObjectNode n = nodes.addObject();
            n.put("id", node.id());
            n.put("stage", stage.id());
            n.put("version", stage.version());
            n.set("params", Json.mapper().valueToTree(params.values()));
            for (Path file : stage.inputFiles(params, workspace)) {
                files.update(relative(workspace, file).getBytes(StandardCharsets.UTF_8));
                files.update((byte) 0);
                files.update(fileHash(file));
            }
        }
        ArrayNode edges = canonical.putArray("edges");
        for (EdgeSpec edge : spec.edges()) {
            edges.add(Json.mapper().valueToTree(edge));
        }
        MessageDigest all = sha256();
        all.update(Json.canonical(canonical).getBytes(StandardCharsets.UTF_8));
        all.update(files.digest());
        return HexFormat.of().formatHex(all.digest());
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

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
