package org.r1wb.pipeline.stages;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.r1wb.pipeline.Document;
import org.r1wb.pipeline.stage.DocumentBatch;
import org.r1wb.pipeline.stage.ParamSpec;
import org.r1wb.pipeline.stage.Port;
import org.r1wb.pipeline.stage.StageContext;

/**
 * {@code dedup.exact}: keeps the first document of each distinct text, by the first 128 bits of the SHA-256 of its
 * UTF-8 bytes (a collision among a billion documents has odds below 1e-20).
 */
public final class ExactDedupStage extends DocumentStage {

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
    public void execute(StageContext context) {
        List<Document> in = context.documents(Port.MAIN);
        List<Hash> hashes = ParallelMap.map(context, in, d -> hash(d.text()));
        Set<Hash> seen = new HashSet<>();
        List<Document> out = new ArrayList<>(in.size());
        for (int i = 0; i < in.size(); i++) {
            if (seen.add(hashes.get(i))) {
                out.add(in.get(i));
            } else {
                context.drop(in.get(i), DUPLICATE);
            }
        }
        context.countIn(in.size());
        context.countOut(out.size());
        context.emit(Port.MAIN, new DocumentBatch(out));
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

    private record Hash(long high, long low) {
    }
}
