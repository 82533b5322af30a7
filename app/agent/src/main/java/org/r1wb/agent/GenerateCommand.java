package org.r1wb.agent;

import org.r1wb.model.generate.CheckpointModel;
import org.r1wb.model.generate.Generation;
import org.r1wb.model.generate.GenerationConfig;
import org.r1wb.model.train.RunSpec;
import org.r1wb.model.train.RunSpecs;
import org.r1wb.pipeline.bpe.BpeTokenizer;
import org.r1wb.pipeline.shards.TokenShards;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code r1wb generate CKPT --prompt TEXT}: continues a prompt with a checkpoint (KV-cached decoding; greedy by
 * default, or temperature / top-p sampling). The continuation goes to stdout, a summary line to stderr.
 */
@Command(name = "generate", description = "Continue a prompt with a checkpoint (greedy, or temperature / top-p sampling).")
public final class GenerateCommand extends BaseCommand implements Callable<Integer> {

    @Parameters(paramLabel = "CKPT", description = "A checkpoint folder (runs/<id>/checkpoints/<name>).")
    private Path checkpoint;

    @Option(names = "--prompt", required = true, description = "The text to continue.")
    private String prompt;

    @Option(names = "--max-new-tokens", defaultValue = "64", description = "Most tokens to generate (default: ${DEFAULT-VALUE}).")
    private int maxNewTokens;

    @Option(names = "--temperature", defaultValue = "0", description = "0 is greedy; higher samples more freely (default: ${DEFAULT-VALUE}).")
    private double temperature;

    @Option(names = "--top-p", defaultValue = "1", description = "Nucleus sampling mass in (0, 1] (default: ${DEFAULT-VALUE}).")
    private double topP;

    @Option(names = "--seed", defaultValue = "0", description = "Sampler seed (default: ${DEFAULT-VALUE}).")
    private long seed;

    @Option(names = "--stop", paramLabel = "TEXT", description = "Stop once the continuation contains TEXT (repeatable).")
    private List<String> stops = new ArrayList<>();

    @Option(names = "--data", paramLabel = "DIR",
            description = "Token-shard folder whose tokenizer encodes the prompt (default: the run's training data).")
    private Path data;

    @Override
    public Integer call() throws IOException {
        Djl.offline();
        if (!Files.isRegularFile(checkpoint.resolve("meta.json"))) {
            return badInput(checkpoint + " is not a checkpoint folder (no meta.json)");
        }
        Path shardsDir = data != null ? data : runData(checkpoint.toAbsolutePath().normalize());
        if (shardsDir == null) {
            return badInput("cannot find the run's data from " + checkpoint + "; name its token-shard folder with --data");
        }
        TokenShards shards;
        try {
            shards = TokenShards.open(shardsDir);
        } catch (IOException e) {
            return badInput("cannot open the tokenizer's data " + shardsDir + ": " + e.getMessage());
        }
        BpeTokenizer tokenizer = shards.tokenizer();
        GenerationConfig config;
        try {
            config = new GenerationConfig(maxNewTokens, temperature, topP, seed, new int[] {shards.eotId()}, stops);
        } catch (IllegalArgumentException e) {
            return badInput(e.getMessage());
        }
        try (CheckpointModel model = CheckpointModel.open(checkpoint)) {
            int[] ids = tokenizer.encode(prompt);
            if (ids.length == 0) {
                return badInput("the prompt encodes to no tokens");
            }
            long start = System.nanoTime();
            Generation generation = model.generate(ids, config, tokenizer::decode);
            double seconds = (System.nanoTime() - start) / 1e9;
            out().println(generation.text());
            err().printf("%d tokens in %.2f s (%.0f tokens/s), stopped: %s%n", generation.tokens().length, seconds,
                    generation.tokens().length / Math.max(seconds, 1e-9), generation.reason().name().toLowerCase());
            return ExitCodes.OK;
        } catch (IllegalArgumentException e) {
            return badInput(e.getMessage());
        }
    }

    /** {@code runs/<id>/checkpoints/<name>} → the data folder its run.json names, relative to the workspace. */
    private static Path runData(Path checkpointDir) throws IOException {
        Path runDir = checkpointDir.getParent() == null ? null : checkpointDir.getParent().getParent();
        if (runDir == null || !Files.isRegularFile(runDir.resolve(RunFolder.SPEC)) || runDir.getParent() == null) {
            return null;
        }
        RunSpec spec = RunSpecs.load(runDir.resolve(RunFolder.SPEC));
        return runDir.getParent().getParent().resolve(spec.data().path()).normalize();
    }
}
