package org.r1wb.workbench.recipe;

import ai.djl.ndarray.NDManager;
import org.r1wb.model.nn.MoeTransformer;
import org.r1wb.model.recipe.grpo.RolloutLog;
import org.r1wb.model.spec.Balancing;
import org.r1wb.model.spec.GateFunction;
import org.r1wb.model.spec.ModelSpec;
import org.r1wb.model.spec.ModelSpecs;
import org.r1wb.model.spec.MoeSpec;
import org.r1wb.model.train.CheckpointMeta;
import org.r1wb.model.train.Checkpoints;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A workspace with two recipes. {@value #CHAIN} has six stages (pretrain → sft → grpo → sft skipped, dpo from the
 * first sft by an explicit input, quantize) and one problem (grpo's groupSize 1); its first stage has a final
 * checkpoint, its second one stopped at step 40, its grpo stage has rollouts. {@value #QUANT} is one quantize stage
 * of a tiny checkpoint, valid and quick to run.
 */
final class RecipeFixture {

    static final String CHAIN = "recipes/r1-fixture.recipe.json";
    static final String QUANT = "quant.recipe.json";
    static final ModelSpec MODEL = new ModelSpec(320, 32, 2, 4, 2, 8, 10000.0, 32, 1e-5, 0.0, true, 1, 64,
            new MoeSpec(4, 1, 2, 16, GateFunction.SOFTMAX, Balancing.AUX_FREE, 0.01, 0.001));

    private RecipeFixture() {
    }

    static void create(Path ws) throws IOException {
        Files.writeString(ws.resolve("workspace.json"), "{\"format\": 1, \"name\": \"recipes\"}\n");
        Files.createDirectories(ws.resolve("models"));
        ModelSpecs.save(MODEL, ws.resolve("models/tiny.model.json"));
        Files.createDirectories(ws.resolve("recipes/data/shards"));
        Files.writeString(ws.resolve("recipes/data/cold.jsonl"), "{\"prompt\": \"3+4\", \"response\": \"7\"}\n");
        Files.writeString(ws.resolve("recipes/data/arith.jsonl"), "{\"prompt\": \"3+4\", \"target\": 7}\n");
        Files.writeString(ws.resolve("recipes/data/pairs.jsonl"), "{}\n");
        Files.writeString(ws.resolve("recipes/data/tokenizer.json"), "{}\n");
        String optimizer = "\"optimizer\": {\"lr\": 0.003, \"minLr\": 0.0003, \"weightDecay\": 0.1, \"warmupSteps\": 10, "
                + "\"gradClip\": 1.0}";
        String training = "\"batchSize\": 8, \"seqLen\": 32, " + optimizer;
        Files.writeString(ws.resolve(CHAIN), """
                {"name": "r1-fixture", "model": "../models/tiny.model.json", "seed": 3, "stages": [
                  {"kind": "pretrain", "name": "base", "data": "data/shards", "steps": 200, %1$s},
                  {"kind": "sft", "name": "cold-start", "data": "data/cold.jsonl", "steps": 100, %1$s,
                   "params": {"tokenizer": "data/tokenizer.json"}},
                  {"kind": "grpo", "name": "rl", "data": "data/arith.jsonl", "steps": 50, %1$s,
                   "params": {"tokenizer": "data/tokenizer.json", "groupSize": 1, "rewards": [{"name": "accuracy"}]}},
                  {"kind": "sft", "name": "polish", "data": "data/cold.jsonl", "steps": 60, "skip": true, %1$s,
                   "params": {"tokenizer": "data/tokenizer.json"}},
                  {"kind": "dpo", "name": "prefs", "input": "cold-start", "data": "data/pairs.jsonl", "steps": 30, %1$s,
                   "params": {"tokenizer": "data/tokenizer.json", "beta": 0.1}},
                  {"kind": "quantize", "name": "int8", "params": {"bits": 8}}
                ]}
                """.formatted(training));
        Path runs = ws.resolve("recipes/runs/r1-fixture");
        checkpoint(runs.resolve("base/checkpoints"), Checkpoints.FINAL, 200);
        checkpoint(runs.resolve("cold-start/checkpoints"), Checkpoints.stepName(40), 40);
        RolloutLog.append(runs.resolve("rl"), new RolloutLog.Step(1, List.of(new RolloutLog.Group("3+4", "7",
                List.of(new RolloutLog.Completion("<think>3 plus 4</think><answer>7</answer>", 1.0,
                        Map.of("accuracy", 1.0), 0.7, 9))))));

        checkpoint(ws.resolve("ckpt"), Checkpoints.FINAL, 0);
        Files.writeString(ws.resolve(QUANT), """
                {"name": "quant-fixture", "model": "models/tiny.model.json", "seed": 3, "stages": [
                  {"kind": "quantize", "name": "int8", "input": "ckpt/final", "params": {"bits": 8}}
                ]}
                """);
    }

    /** Checkpoint {@code name} of a seed-initialised tiny model, its metadata at {@code step}. */
    private static void checkpoint(Path dir, String name, int step) throws IOException {
        try (NDManager manager = NDManager.newBaseManager()) {
            Checkpoints.write(dir, name, MoeTransformer.create(MODEL, manager, 3), null,
                    new CheckpointMeta(Checkpoints.FORMAT_VERSION, "fixture", step, MODEL, null, Double.NaN, null, 3));
        }
    }
}
