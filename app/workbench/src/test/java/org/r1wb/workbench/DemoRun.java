package org.r1wb.workbench;

import org.r1wb.model.run.EventJournal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Writes run folders for tests: a {@code run.json} and an {@code events.jsonl} with a plausible,
 * noisy, decaying loss curve, keeping the points it wrote so tests compare against them.
 */
final class DemoRun implements AutoCloseable {

    final Path dir;
    final EventJournal journal;
    final List<double[]> trainPoints = new ArrayList<>();
    final List<double[]> valPoints = new ArrayList<>();
    private final Random noise = new Random(42);
    private int step;

    private DemoRun(Path dir, EventJournal journal) {
        this.dir = dir;
        this.journal = journal;
    }

    /** Creates {@code runs/<id>/} in the workspace with its run.json and an open journal. */
    static DemoRun create(Path workspace, String id, String stage) throws IOException {
        Path dir = workspace.resolve("runs").resolve(id);
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("run.json"), "{\"id\":\"" + id + "\",\"stage\":\"" + stage
                + "\",\"model\":\"models/sample.model.json\",\"steps\":2000}\n");
        return new DemoRun(dir, EventJournal.openForAppend(dir.resolve("events.jsonl"), id));
    }

    DemoRun status(String state, String message) {
        journal.append("status", Map.of("state", state, "message", message));
        return this;
    }

    /** Appends {@code count} training steps; every {@code valEvery}-th step also gets a val_loss. */
    DemoRun steps(int count, int valEvery) {
        for (int i = 0; i < count; i++) {
            step++;
            double clean = 2.05 + 8.3 * Math.exp(-step / 260.0) + 0.35 * Math.exp(-step / 1400.0);
            double loss = clean + noise.nextGaussian() * (0.03 + 0.05 * Math.exp(-step / 500.0));
            Map<String, Object> metric = new LinkedHashMap<>();
            metric.put("step", step);
            metric.put("loss", loss);
            metric.put("lr", learningRate(step));
            metric.put("grad_norm", 0.4 + 2.0 * Math.exp(-step / 300.0) + Math.abs(noise.nextGaussian()) * 0.05);
            metric.put("tokens_per_s", 48_000 + noise.nextGaussian() * 900);
            journal.append("metric", metric);
            trainPoints.add(new double[] {step, loss});
            if (valEvery > 0 && step % valEvery == 0) {
                double valLoss = clean + 0.06 + 0.00004 * step;
                journal.append("metric", Map.of("step", step, "val_loss", valLoss));
                valPoints.add(new double[] {step, valLoss});
            }
            if (step % 500 == 0) {
                journal.append("checkpoint", Map.of("step", step, "path", "checkpoints/step-" + step,
                        "digest", String.format("sha256:%016x", step * 0x9E3779B97F4A7C15L)));
            }
        }
        return this;
    }

    @Override
    public void close() throws IOException {
        journal.close();
    }

    private static double learningRate(int step) {
        double peak = 3e-4;
        int warmup = 100;
        if (step <= warmup) {
            return peak * step / warmup;
        }
        double progress = Math.min(1.0, (step - warmup) / 1900.0);
        return 3e-5 + 0.5 * (peak - 3e-5) * (1 + Math.cos(Math.PI * progress));
    }
}
