package org.r1wb.pipeline.stages;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.r1wb.pipeline.Document;
import org.r1wb.pipeline.stage.CorpusWideDecision;
import org.r1wb.pipeline.stage.DocumentProcessor;
import org.r1wb.pipeline.stage.Outcome;
import org.r1wb.pipeline.stage.ParamSpec;
import org.r1wb.pipeline.stage.PerDocumentStage;
import org.r1wb.pipeline.stage.StageParams;

/**
 * {@code dedup.exact}: keeps the first document of each distinct text, by the first 128 bits of the SHA-256 of its
 * UTF-8 bytes (a collision among a billion documents has odds below 1e-20).
 */
public final class ExactDedupStage implements PerDocumentStage, CorpusWideDecision<ExactDedupStage.Hash> {

    /** The drop reason. */
    public static final String DUPLICATE = "exact duplicate";

    @Override
    public String id() {
        return "dedup.exact";
    }

    @Override
    public int version() {
        return 1;
    }

    @Override
    public String description() {
        return "Drop documents whose text equals an earlier one (content hash)";
    }

    @Override
    public List<ParamSpec> params() {
        return List.of();
    }

    @Override
    public DocumentProcessor<Hash> processor(StageParams params) {
        Set<Hash> seen = new HashSet<>();
        return new DocumentProcessor<>() {
            @Override
            public Hash prepare(Document document) {
                return hash(document.text());
            }

            @Override
            public Outcome decide(Document document, Hash hash) {
                return seen.add(hash) ? Outcome.keep(document) : Outcome.drop(DUPLICATE);
            }
        };
    }

    @Override
    public byte[] encode(Hash prepared) {
        return ByteBuffer.allocate(2 * Long.BYTES).putLong(prepared.high()).putLong(prepared.low()).array();
    }

    @Override
    public Hash decode(byte[] bytes) {
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        return new Hash(buffer.getLong(), buffer.getLong());
    }

    private static Hash hash(String text) {
        try {
            ByteBuffer digest = ByteBuffer.wrap(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
            return new Hash(digest.getLong(), digest.getLong());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    /** The first 128 bits of a text's SHA-256. */
    public record Hash(long high, long low) {
    }
}
