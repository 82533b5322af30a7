package org.r1wb.agent;

import org.r1wb.model.spec.Balancing;
import org.r1wb.model.spec.GateFunction;
import org.r1wb.model.spec.ModelSpec;
import org.r1wb.model.spec.MoeSpec;
import org.r1wb.model.train.DataRef;
import org.r1wb.model.train.OptimizerSpec;
import org.r1wb.model.train.RunSpec;
import org.r1wb.model.train.RunSpecs;
import org.r1wb.pipeline.bpe.BpeTokenizer;
import org.r1wb.pipeline.bpe.BpeTrainer;
import org.r1wb.pipeline.shards.DocumentSplitter;
import org.r1wb.pipeline.shards.TokenShardWriter;
import org.r1wb.resources.SampleProse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;

/** A tiny workspace for run tests: a few KB of shards and a 2-layer MoE small enough to train in seconds. */
public final class TinyRuns {

    public static final String DATA = "data/tiny";

    private TinyRuns() {
    }

    /** Writes the shards into {@code workspace/data/tiny} (once) and returns the folder. */
    public static Path shards(Path workspace) throws IOException {
        Path dir = workspace.resolve(DATA);
        if (Files.exists(dir.resolve("index.json"))) {
            return dir;
        }
        List<String> docs = SampleProse.paragraphs(7, 60);
        BpeTokenizer tokenizer = BpeTrainer.builder().setVocabSize(300).build().train(docs);
        try (TokenShardWriter writer = new TokenShardWriter(dir, tokenizer, "<|endoftext|>", new DocumentSplitter(0.15, 7))) {
            for (String doc : docs) {
                writer.add(doc);
            }
            writer.finish("tiny", null);
        }
        return dir;
    }

    /** A run spec over the tiny shards. */
    public static RunSpec spec(String id, int steps, int checkpointEvery) {
        ModelSpec model = new ModelSpec(320, 32, 2, 4, 2, 8, 10000.0, 32, 1e-5, 0.0, true, 1, 64,
                new MoeSpec(4, 1, 2, 16, GateFunction.SOFTMAX, Balancing.AUX_FREE, 0.01, 0.001));
        OptimizerSpec optimizer = new OptimizerSpec(3e-3, 3e-4, 0.1, 0.9, 0.95, 5, 1.0);
        return new RunSpec(id, model, new DataRef(DATA, "tiny"), RunSpec.PRETRAIN, optimizer, steps, 4, 32, 11,
                Math.max(1, steps / 4), 1, checkpointEvery, 2, RunSpec.CPU);
    }

    /** Creates {@code runs/<id>/run.json} in a workspace that has the tiny shards. */
    public static RunFolder create(Path workspace, String id, int steps, int checkpointEvery) throws IOException {
        shards(workspace);
        RunFolder run = RunFolder.of(workspace, id);
        Files.createDirectories(run.dir());
        RunSpecs.save(spec(id, steps, checkpointEvery), run.spec());
        return run;
    }

    /** Waits for {@code condition}, failing with {@code what} after {@code timeout}. */
    public static void await(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout + " waiting for " + what);
            }
            Thread.sleep(50);
        }
    }
}
