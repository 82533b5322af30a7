package org.r1wb.agent;

import org.r1wb.model.export.ExportConfig;
import org.r1wb.model.export.ModelExport;
import org.r1wb.model.export.QuantScheme;
import org.r1wb.model.generate.CheckpointModel;
import org.r1wb.model.train.Checkpoints;
import org.r1wb.pipeline.io.AtomicFiles;
import org.r1wb.pipeline.shards.TokenShards;
import org.r1wb.pipeline.shards.TokenSplit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.Callable;

/**
 * {@code r1wb export CKPT --out DIR [--quantize int8|q4[:G]] [--data SHARDS]}: writes a checkpoint as a model folder
 * ({@code model.safetensors} + {@code config.json}) that the PyTorch backend loads, optionally with int8 or 4-bit
 * projections; with {@code --data}, prints the perplexity on that data's validation split before and after (the
 * quantized folder is read back through the same dequantizing path the PyTorch reader uses).
 */
@Command(name = "export", description = "Export a checkpoint as safetensors + config.json, optionally quantized (int8, q4).")
public final class ExportCommand extends BaseCommand implements Callable<Integer> {

    @Parameters(paramLabel = "CKPT", description = "A checkpoint folder (runs/<id>/checkpoints/<name>).")
    private Path checkpoint;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "The model folder to write (must not exist).")
    private Path out;

    @Option(names = "--quantize", paramLabel = "SCHEME",
            description = "int8 (per output channel), q4 (4-bit, groups of 64) or q4:32 / q4:64 / q4:128; default fp32.")
    private String quantize;

    @Option(names = "--data", paramLabel = "DIR", description = "Token shards whose validation split measures the perplexity before and after.")
    private Path data;

    @Option(names = "--windows", defaultValue = "64", description = "Validation windows for the perplexity (default: ${DEFAULT-VALUE}).")
    private int windows;

    @Override
    public Integer call() throws IOException {
        Djl.offline();
        if (!Files.isRegularFile(checkpoint.resolve(Checkpoints.META))) {
            return badInput(checkpoint + " is not a checkpoint folder (no " + Checkpoints.META + ")");
        }
        if (Files.exists(out)) {
            return badInput(out + " exists already: choose a new folder");
        }
        QuantScheme scheme;
        try {
            scheme = quantize == null ? null : QuantScheme.parse(quantize);
        } catch (IllegalArgumentException e) {
            return badInput("--quantize: " + e.getMessage());
        }
        int[][] heldOut = null;
        if (data != null) {
            try {
                heldOut = windows(TokenShards.open(data), Checkpoints.readMeta(checkpoint).model().maxSeqLen());
            } catch (IOException | IllegalArgumentException e) {
                return badInput("--data " + data + ": " + e.getMessage());
            }
        }
        Path staging = out.resolveSibling("." + out.getFileName() + ".partial");
        ExportConfig config;
        try {
            config = ModelExport.exportCheckpoint(checkpoint, staging, scheme);
        } catch (IllegalArgumentException e) {
            AtomicFiles.deleteTree(staging);
            return badInput(e.getMessage());
        }
        Files.move(staging, out);
        out().printf("wrote %s (%s, %.1f MiB)%n", out, config.quantization() == null ? "fp32" : config.quantization(),
                Files.size(out.resolve(ModelExport.WEIGHTS)) / 1048576.0);
        if (heldOut != null) {
            double before = perplexity(checkpoint, heldOut);
            Path readBack = Files.createTempDirectory("r1wb-export-check");
            try {
                ModelExport.importCheckpoint(out, readBack, "exported");
                double after = perplexity(readBack.resolve("exported"), heldOut);
                out().printf("perplexity on %d validation windows: checkpoint %.4f, export %.4f (%+.2f %%)%n",
                        heldOut.length, before, after, 100 * (after / before - 1));
            } finally {
                AtomicFiles.deleteTree(readBack);
            }
        }
        return ExitCodes.OK;
    }

    /** Up to {@link #windows} consecutive windows of {@code length} tokens from the validation split. */
    private int[][] windows(TokenShards shards, int length) {
        if (!shards.splitNames().contains("val")) {
            throw new IllegalArgumentException("has no validation split (val)");
        }
        TokenSplit val = shards.split("val");
        int count = (int) Math.min(windows, val.length() / length);
        if (count < 1) {
            throw new IllegalArgumentException("its validation split has " + val.length() + " tokens, fewer than one window of " + length);
        }
        int[][] out = new int[count][length];
        for (int i = 0; i < count; i++) {
            val.read((long) i * length, out[i]);
        }
        return out;
    }

    private static double perplexity(Path checkpointDir, int[][] windows) throws IOException {
        try (CheckpointModel model = CheckpointModel.open(checkpointDir)) {
            double nll = Arrays.stream(model.nll(windows)).sum();
            return Math.exp(nll / ((double) windows.length * (windows[0].length - 1)));
        }
    }
}
