package org.r1wb.workbench.run;

import org.r1wb.model.spec.Balancing;
import org.r1wb.model.spec.GateFunction;
import org.r1wb.model.spec.ModelSpec;
import org.r1wb.model.spec.ModelSpecs;
import org.r1wb.model.spec.MoeSpec;
import org.r1wb.pipeline.PipelineListener;
import org.r1wb.pipeline.PipelineRunner;
import org.r1wb.resources.SampleWorkspace;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The sample workspace plus a tiny pipeline already run (so it has shards) and a tiny MoE model to train on them. */
final class TinyWorkspace {

    static final String MODEL = "models/tiny.model.json";

    private TinyWorkspace() {
    }

    /** Creates it in {@code ws}; returns the shard folder the tiny pipeline wrote. */
    static Path create(Path ws) throws IOException {
        SampleWorkspace.create(ws);
        Path pipeline = ws.resolve("pipelines/tiny.pipeline.json");
        Files.writeString(pipeline, """
                {"format": 1, "name": "tiny", "nodes": [
                  {"id": "prose", "stage": "read.text", "params": {"path": "data/raw/prose.txt", "unit": "line"}},
                  {"id": "bpe", "stage": "tokenizer.train", "params": {"vocabSize": 300, "minFrequency": 2}},
                  {"id": "shards", "stage": "shards.write", "params": {"validationFraction": 0.1, "seed": 7}}],
                 "edges": [{"from": "prose", "to": "bpe"}, {"from": "bpe", "to": "shards"}]}
                """);
        Path data = new PipelineRunner().run(ws, pipeline, PipelineListener.NONE, () -> false).outputDir();
        ModelSpecs.save(new ModelSpec(512, 32, 2, 2, 2, 16, 10_000, 64, 1e-5, 0.0, true, 1, 64,
                new MoeSpec(4, 1, 2, 32, GateFunction.SOFTMAX, Balancing.AUX_FREE, 0.01, 0.001)), ws.resolve(MODEL));
        return data;
    }
}
