package org.r1wb.model.recipe.dpo;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import org.r1wb.model.spec.ModelSpecs;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The reference model's response log-probabilities, computed once per run and kept in its folder
 * ({@code reference-logps.json}), so neither later steps nor a resumed run load the reference model again. The file
 * is keyed by the reference weights' digest and the sequences' token ids: a cache of other inputs is not used.
 * Values are stored as the float32 the model computed, so a run that reads them sees what a run that computed them
 * used.
 */
public final class ReferenceCache {

    /** The cache's file name in a run folder. */
    public static final String FILE = "reference-logps.json";
    private static final int VERSION = 1;

    private ReferenceCache() {
    }

    /** The cache key of {@code sequences} (token ids) under the reference weights {@code weightsDigest}. */
    public static String key(String weightsDigest, List<int[]> sequences) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update(weightsDigest.getBytes(StandardCharsets.UTF_8));
            for (int[] tokens : sequences) {
                StringBuilder text = new StringBuilder("\n");
                for (int id : tokens) {
                    text.append(id).append(',');
                }
                digest.update(text.toString().getBytes(StandardCharsets.UTF_8));
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    /** The cached values under {@code key}, or {@code null} when the file is missing, unreadable or of other inputs. */
    public static float[] read(Path file, String key) throws IOException {
        if (!Files.isRegularFile(file)) {
            return null;
        }
        try {
            JsonNode node = ModelSpecs.JSON.readTree(file.toFile());
            if (node.path("v").asInt() != VERSION || !key.equals(node.path("key").asText())) {
                return null;
            }
            return ModelSpecs.JSON.treeToValue(node.path("logps"), float[].class);
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    /** Writes {@code values} under {@code key}, atomically. */
    public static void write(Path file, String key, float[] values) throws IOException {
        Map<String, Object> content = new LinkedHashMap<>();
        content.put("v", VERSION);
        content.put("key", key);
        content.put("logps", values);
        ModelSpecs.writeAtomically(file, ModelSpecs.JSON.writeValueAsString(content) + "\n");
    }
}
