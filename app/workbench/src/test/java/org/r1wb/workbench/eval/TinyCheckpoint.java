package org.r1wb.workbench.eval;

import org.r1wb.model.run.EventJournal;
import org.r1wb.model.spec.Balancing;
import org.r1wb.model.spec.GateFunction;
import org.r1wb.model.spec.ModelSpec;
import org.r1wb.model.spec.MoeSpec;
import org.r1wb.model.train.ArrayTokenSource;
import org.r1wb.model.train.DataRef;
import org.r1wb.model.train.OptimizerSpec;
import org.r1wb.model.train.RunSpec;
import org.r1wb.model.train.RunSpecs;
import org.r1wb.model.train.Trainer;
import org.r1wb.pipeline.bpe.BpeTokenizer;
import org.r1wb.pipeline.bpe.BpeTrainer;
import org.r1wb.pipeline.shards.DocumentSplitter;
import org.r1wb.pipeline.shards.TokenShardWriter;
import org.r1wb.resources.SampleProse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * A run as {@code r1wb eval} finds it: BPE token shards (its tokenizer), a {@code run.json} naming them, and
 * checkpoints of a 2-layer MoE trained a few steps in this JVM; plus a one-task suite {@value #SUITE} of two
 * held-out paragraphs (perplexity).
 */
final class TinyCheckpoint {

    static final String RUN = "tiny-eval";
    static final String SUITE = "tinyp";
    static final String DATA = "data/tiny-eval";

    private TinyCheckpoint() {
    }

    /** Writes shards, trains {@code runs/tiny-eval} for 4 steps (checkpoints at 2 and 4) and writes the suite. */
    static void create(Path workspace) throws IOException {
        List<String> docs = SampleProse.paragraphs(7, 60);
        BpeTokenizer tokenizer = BpeTrainer.builder().setVocabSize(300).build().train(docs);
        try (TokenShardWriter writer = new TokenShardWriter(workspace.resolve(DATA), tokenizer, "<|endoftext|>",
                new DocumentSplitter(0.15, 7))) {
            for (String doc : docs) {
                writer.add(doc);
            }
            writer.finish("tiny-eval", null);
        }
        int[] tokens = docs.stream().flatMapToInt(d -> Arrays.stream(tokenizer.encode(d))).toArray();
        ModelSpec model = new ModelSpec(320, 32, 2, 4, 2, 8, 10000.0, 32, 1e-5, 0.0, true, 1, 64,
                new MoeSpec(4, 1, 2, 16, GateFunction.SOFTMAX, Balancing.AUX_FREE, 0.01, 0.001));
        RunSpec spec = new RunSpec(RUN, model, new DataRef(DATA, "tiny-eval"), RunSpec.PRETRAIN,
                new OptimizerSpec(3e-3, 3e-4, 0.1, 0.9, 0.95, 1, 1.0), 4, 4, 32, 11, 4, 1, 2, 0, RunSpec.CPU);
        Path runDir = Files.createDirectories(workspace.resolve("runs").resolve(RUN));
        RunSpecs.save(spec, runDir.resolve("run.json"));
        int split = tokens.length * 9 / 10;
        try (EventJournal journal = EventJournal.openForAppend(runDir.resolve("events.jsonl"), RUN)) {
            new Trainer().train(spec, new ArrayTokenSource(Arrays.copyOf(tokens, split), 320),
                    new ArrayTokenSource(Arrays.copyOfRange(tokens, split, tokens.length), 320), runDir, journal, () -> false);
        }
        Path evals = Files.createDirectories(workspace.resolve("evals"));
        List<String> heldOut = SampleProse.paragraphs(99, 2);
        StringBuilder jsonl = new StringBuilder();
        for (String text : heldOut) {
            jsonl.append("{\"text\": \"").append(text.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n"))
                    .append("\"}\n");
        }
        Files.writeString(evals.resolve("tinyp-prose.jsonl"), jsonl);
        Files.writeString(evals.resolve("tinyp-prose.yaml"), """
                task: tinyp-prose
                description: two held-out paragraphs
                data: {file: tinyp-prose.jsonl}
                output_type: loglikelihood_rolling
                metrics: [perplexity, bits_per_byte]
                """);
        Files.writeString(evals.resolve(SUITE + ".yaml"), "suite: " + SUITE + "\ntasks: [tinyp-prose]\n");
    }
}
