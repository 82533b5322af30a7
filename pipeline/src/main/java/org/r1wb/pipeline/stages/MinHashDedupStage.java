package org.r1wb.pipeline.stages;

import java.nio.ByteBuffer;
import java.util.List;
import org.r1wb.pipeline.Document;
import org.r1wb.pipeline.Problem;
import org.r1wb.pipeline.dedup.MinHasher;
import org.r1wb.pipeline.dedup.NearDuplicateIndex;
import org.r1wb.pipeline.stage.CorpusWideDecision;
import org.r1wb.pipeline.stage.DocumentProcessor;
import org.r1wb.pipeline.stage.Outcome;
import org.r1wb.pipeline.stage.ParamSpec;
import org.r1wb.pipeline.stage.PerDocumentStage;
import org.r1wb.pipeline.stage.StageParams;

/**
 * {@code dedup.minhash}: near-duplicate removal with MinHash signatures ({@link MinHasher}, computed on every core)
 * and LSH banding ({@link NearDuplicateIndex}); of each cluster of near duplicates the first document is kept. The
 * defaults (20 bands × 6 rows of 128 permutations, threshold 0.7) make a pair at Jaccard 0.8 a candidate with
 * probability 0.998 and one at 0.3 with 0.015, before verification on the whole signature.
 */
public final class MinHashDedupStage implements PerDocumentStage, CorpusWideDecision<int[]> {

    /** The drop reason. */
    public static final String NEAR_DUPLICATE = "near duplicate";

    public static final ParamSpec SHINGLE_SIZE = ParamSpec.integer("shingleSize", 5, 1, 64,
            "words per shingle");
    public static final ParamSpec PERMUTATIONS = ParamSpec.integer("permutations", 128, 1, 4096,
            "MinHash signature length (more: better similarity estimates, slower)");
    public static final ParamSpec BANDS = ParamSpec.integer("bands", 20, 1, 4096,
            "LSH bands; more bands find less similar pairs");
    public static final ParamSpec ROWS = ParamSpec.integer("rows", 6, 1, 4096,
            "signature values per band; more rows find only more similar pairs");
    public static final ParamSpec THRESHOLD = ParamSpec.number("threshold", 0.7, 0, 1,
            "estimated Jaccard similarity at or above which a candidate pair counts as a near duplicate");
    public static final ParamSpec SEED = ParamSpec.integer("seed", 1, 0, Long.MAX_VALUE,
            "seed of the MinHash hash functions");

    @Override
    public String id() {
        return "dedup.minhash";
    }

    @Override
    public int version() {
        return 1;
    }

    @Override
    public String description() {
        return "Drop near-duplicate documents (MinHash + LSH), keeping one per cluster";
    }

    @Override
    public List<ParamSpec> params() {
        return List.of(SHINGLE_SIZE, PERMUTATIONS, BANDS, ROWS, THRESHOLD, SEED);
    }

    @Override
    public List<Problem> check(StageParams params) {
        long used = (long) params.intValue(BANDS) * params.intValue(ROWS);
        if (used > params.intValue(PERMUTATIONS)) {
            return List.of(new Problem("params.bands", "bands × rows = " + used + " exceeds permutations "
                    + params.intValue(PERMUTATIONS), "raise permutations to at least " + used
                    + " or lower bands or rows"));
        }
        return List.of();
    }

    @Override
    public DocumentProcessor<int[]> processor(StageParams p) {
        MinHasher hasher = new MinHasher(p.intValue(SHINGLE_SIZE), p.intValue(PERMUTATIONS), p.longValue(SEED));
        NearDuplicateIndex index = new NearDuplicateIndex(p.intValue(PERMUTATIONS), p.intValue(BANDS),
                p.intValue(ROWS), p.doubleValue(THRESHOLD));
        return new DocumentProcessor<>() {
            @Override
            public int[] prepare(Document document) {
                return hasher.signature(document.text());
            }

            @Override
            public Outcome decide(Document document, int[] signature) {
                return index.add(signature) < 0 ? Outcome.keep(document) : Outcome.drop(NEAR_DUPLICATE);
            }
        };
    }

    @Override
    public byte[] encode(int[] signature) {
        ByteBuffer buffer = ByteBuffer.allocate(signature.length * Integer.BYTES);
        buffer.asIntBuffer().put(signature);
        return buffer.array();
    }

    @Override
    public int[] decode(byte[] bytes) {
        int[] signature = new int[bytes.length / Integer.BYTES];
        ByteBuffer.wrap(bytes).asIntBuffer().get(signature);
        return signature;
    }
}
