package org.r1wb.pipeline.stages;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.r1wb.pipeline.Document;
import org.r1wb.pipeline.mix.TemperatureMixer;
import org.r1wb.pipeline.shards.DocumentSplitter;
import org.r1wb.pipeline.stage.DocumentBatch;
import org.r1wb.pipeline.stage.ParamSpec;
import org.r1wb.pipeline.stage.Port;
import org.r1wb.pipeline.stage.StageContext;

/**
 * {@code mix}: each incoming edge is a source (domain). Every source first gives up a validation share (by a seeded
 * hash of the text, so copies never straddle the split); the rest is mixed by {@link TemperatureMixer} to
 * {@code totalDocuments}, repeating small sources and subsampling large ones. Output: the training mix in seeded
 * random order, then the validation documents in their natural proportions; each document carries metadata
 * {@value #SPLIT} = {@code train} or {@code val}, which {@code shards.write} honours. A repeat gets its id suffixed
 * {@code #2}, {@code #3}, ... so ids stay unique. Put it after deduplication: repeats are exact duplicates.
 */
public final class MixStage extends DocumentStage {

    /** The metadata key that names a document's split. */
    public static final String SPLIT = "split";

    public static final ParamSpec TEMPERATURE = ParamSpec.number("temperature", 1.0, 0.01, 1000,
            "source weights ∝ size^(1/T): 1 keeps natural proportions, larger values flatten towards uniform");
    public static final ParamSpec TOTAL = ParamSpec.integer("totalDocuments", 0, 0, Integer.MAX_VALUE,
            "training documents in the mix; 0 means as many as the sources hold for training");
    public static final ParamSpec VALIDATION_FRACTION = ParamSpec.number("validationFraction", 0.01, 0, 0.5,
            "share of each source held out for validation before mixing");
    public static final ParamSpec SEED = ParamSpec.integer("seed", 1234, 0, Long.MAX_VALUE,
            "seed of the split hash and of the sampling order");

    @Override
    public String id() {
        return "mix";
    }

    @Override
    public int version() {
        return 1;
    }

    @Override
    public String description() {
        return "Mix sources with weights ∝ n^(1/T) and hold out a validation split";
    }

    @Override
    public List<ParamSpec> params() {
        return List.of(TEMPERATURE, TOTAL, VALIDATION_FRACTION, SEED);
    }

    @Override
    public void execute(StageContext context) {
        long seed = context.params().longValue(SEED);
        DocumentSplitter splitter = new DocumentSplitter(context.params().doubleValue(VALIDATION_FRACTION), seed);
        List<List<Document>> train = new ArrayList<>();
        List<Document> val = new ArrayList<>();
        for (Object value : context.inputs(Port.MAIN)) {
            List<Document> source = ((DocumentBatch) value).documents();
            context.countIn(source.size());
            List<Document> kept = new ArrayList<>(source.size());
            for (Document d : source) {
                if (splitter.isValidation(d.text())) {
                    val.add(tagged(d, d.id(), "val"));
                } else {
                    kept.add(d);
                }
            }
            train.add(kept);
            context.checkCancelled();
        }
        long available = train.stream().mapToLong(List::size).sum();
        long total = context.params().longValue(TOTAL) == 0 ? available : context.params().longValue(TOTAL);
        TemperatureMixer mixer = new TemperatureMixer(context.params().doubleValue(TEMPERATURE));
        long[] quotas = mixer.quotas(mixer.weights(train.stream().mapToLong(List::size).toArray()), total);
        for (int i = 0; i < quotas.length; i++) {
            context.count("source " + (i + 1) + " train", quotas[i]);
        }
        Map<String, Integer> copies = new HashMap<>();
        List<Document> out = new ArrayList<>((int) total + val.size());
        for (Document d : mixer.mix(train, total, seed)) {
            int copy = copies.merge(d.id(), 1, Integer::sum);
            out.add(tagged(d, copy == 1 ? d.id() : d.id() + "#" + copy, "train"));
        }
        context.count("validation", val.size());
        out.addAll(val);
        context.countOut(out.size());
        context.emit(Port.MAIN, new DocumentBatch(out));
    }

    private static Document tagged(Document d, String id, String split) {
        Map<String, String> metadata = new LinkedHashMap<>(d.metadata());
        metadata.put(SPLIT, split);
        return new Document(id, d.text(), d.source(), metadata);
    }
}
