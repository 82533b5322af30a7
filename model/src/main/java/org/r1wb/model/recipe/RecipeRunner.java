package org.r1wb.model.recipe;

import ai.djl.ndarray.NDManager;
import org.r1wb.model.export.ModelExport;
import org.r1wb.model.nn.MoeTransformer;
import org.r1wb.model.export.QuantScheme;
import org.r1wb.model.recipe.distill.DistillStage;
import org.r1wb.model.recipe.dpo.DpoStage;
import org.r1wb.model.recipe.dpo.PreferencePair;
import org.r1wb.model.recipe.dpo.PreferenceReader;
import org.r1wb.model.recipe.grpo.GrpoPrompt;
import org.r1wb.model.recipe.grpo.GrpoPromptReader;
import org.r1wb.model.recipe.grpo.GrpoStage;
import org.r1wb.model.recipe.grpo.HeldoutEvaluation;
import org.r1wb.model.recipe.grpo.RolloutLog;
import org.r1wb.model.recipe.grpo.WeightedRewards;
import org.r1wb.model.recipe.reject.Acceptance;
import org.r1wb.model.recipe.reject.RejectionResult;
import org.r1wb.model.recipe.reject.RejectionStage;
import org.r1wb.model.recipe.reward.Rewards;
import org.r1wb.model.recipe.sft.ChatTemplate;
import org.r1wb.model.recipe.sft.SftData;
import org.r1wb.model.recipe.sft.SftReader;
import org.r1wb.model.spec.ModelSpec;
import org.r1wb.model.spec.ModelSpecs;
import org.r1wb.model.spec.SpecProblem;
import org.r1wb.model.run.EventSink;
import org.r1wb.model.train.CheckpointMeta;
import org.r1wb.model.train.Checkpoints;
import org.r1wb.model.train.DataRef;
import org.r1wb.model.train.RunSpec;
import org.r1wb.model.train.TokenSource;
import org.r1wb.model.train.TrainResult;
import org.r1wb.model.train.Trainer;
import org.r1wb.model.train.TrainingData;
import org.r1wb.pipeline.bpe.BpeTokenizer;
import org.r1wb.pipeline.io.AtomicFiles;
import org.r1wb.pipeline.shards.TokenShardWriter;
import org.r1wb.pipeline.shards.TokenShards;
import org.r1wb.pipeline.shards.TokenSplit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;

/**
 * Runs a {@link Recipe}'s stages in order, each as a run in {@code <runs>/<stage name>} that starts from its input's
 * final checkpoint. Every stage goes through {@link Trainer#resume}, so running a recipe again resumes the stage that
 * was interrupted, exactly, and passes over the finished ones (grpo stages run through {@link GrpoStage}, which
 * resumes the same way, and so do dpo stages through {@link DpoStage} and distill stages through {@link DistillStage};
 * a rejection-sample stage continues at its first prompt not done and hands its input checkpoint on). The run stops
 * at the first stage that does not finish.
 */
public final class RecipeRunner {

    /** The payload field naming the stage on every event a stage emits (see {@code docs/EVENTS.md}). */
    public static final String STAGE_FIELD = "stage";
    /** Validation passes per evaluation. */
    private static final int EVAL_BATCHES = 2;
    /** Periodic checkpoints per stage; the last two are kept. */
    private static final int CHECKPOINTS_PER_STAGE = 10;

    private final Recipe recipe;
    private final Path folder;
    private final Path runs;
    private final Rewards rewards;

    /**
     * A runner of {@code recipe}, whose file lies in {@code folder}, keeping each stage's run in {@code runs}; fails
     * with every problem when the recipe is not valid.
     */
    public RecipeRunner(Recipe recipe, Path folder, Path runs) {
        this(recipe, folder, runs, Rewards.builtIn());
    }

    /** A runner whose grpo stages score completions with {@code rewards} (the built-ins and the plugins' rewards). */
    public RecipeRunner(Recipe recipe, Path folder, Path runs, Rewards rewards) {
        List<SpecProblem> problems = RecipeValidator.validate(recipe, folder, rewards);
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("the recipe has " + problems.size() + " problem(s): "
                    + problems.stream().map(SpecProblem::toString).collect(Collectors.joining("; ")));
        }
        this.recipe = recipe;
        this.folder = folder;
        this.runs = runs;
        this.rewards = rewards;
    }

    /**
     * Runs every stage that is not skipped, in order; {@code only}, when not {@code null}, runs that stage alone. Every
     * event a stage emits reaches {@code journal} with {@value #STAGE_FIELD} (its name) as its first payload field; each
     * stage run ends with a {@code log} event whose {@code outcome} says what became of it.
     */
    public List<StageOutcome> run(String only, EventSink journal, BooleanSupplier cancelled) throws IOException {
        ModelSpec model = ModelSpecs.load(folder.resolve(recipe.model()));
        List<StageOutcome> outcomes = new ArrayList<>();
        for (RecipeStage stage : recipe.stages()) {
            StageKind kind = StageKind.of(stage.kind()).orElseThrow();
            if (stage.skipped() || only != null && !only.equals(stage.name())) {
                outcomes.add(new StageOutcome(stage.name(), kind, StageOutcome.State.SKIPPED,
                        stage.skipped() ? "skipped by the recipe" : "not selected", null));
                continue;
            }
            EventSink events = staged(journal, stage.name());
            StageOutcome outcome = switch (kind) {
                case PRETRAIN, SFT -> train(stage, kind, model, events, cancelled);
                case GRPO -> grpo(stage, model, events, cancelled);
                case REJECTION_SAMPLE -> rejectionSample(stage, model, events, cancelled);
                case DPO -> dpo(stage, model, events, cancelled);
                case DISTILL -> distill(stage, events, cancelled);
                case QUANTIZE -> quantize(stage, events);
            };
            outcomes.add(outcome);
            Map<String, Object> closing = new LinkedHashMap<>();
            closing.put("level", outcome.state() == StageOutcome.State.FINISHED ? "info" : "warn");
            closing.put("outcome", outcome.state().name().toLowerCase(Locale.ROOT));
            closing.put("message", outcome.message());
            events.emit("log", closing);
            if (outcome.state() != StageOutcome.State.FINISHED) {
                break;
            }
        }
        return outcomes;
    }

    /** {@code events} with {@value #STAGE_FIELD} put first in every payload: one journal holds every stage's events. */
    private static EventSink staged(EventSink events, String stage) {
        return (type, fields) -> {
            Map<String, Object> tagged = new LinkedHashMap<>();
            tagged.put(STAGE_FIELD, stage);
            tagged.putAll(fields);
            events.emit(type, tagged);
        };
    }

    /** The run folder of a stage. */
    public Path runDir(String stage) {
        return runs.resolve(stage);
    }

    private StageOutcome train(RecipeStage stage, StageKind kind, ModelSpec model, EventSink events,
                               BooleanSupplier cancelled) throws IOException {
        Path init = input(stage);
        RunSpec spec = new RunSpec(recipe.name() + "-" + stage.name(), model, new DataRef(stage.data(), null),
                kind.id(), stage.optimizer(), stage.steps(), stage.batchSize(), stage.seqLen(), recipe.seed(),
                Math.max(1, stage.steps() / 4), EVAL_BATCHES, Math.max(1, stage.steps() / CHECKPOINTS_PER_STAGE), 2,
                null, init == null ? null : init.toAbsolutePath().toString())
                .withLora(StageParams.lora(stage.params().get("lora")));
        TrainingData[] data = kind == StageKind.PRETRAIN ? shards(stage) : sft(stage);
        TrainResult result = new Trainer().resume(spec, data[0], data[1], runDir(stage.name()), events, cancelled);
        return outcome(stage, kind, result);
    }

    /**
     * Runs a grpo stage from its input's final checkpoint (policy and frozen reference); a bad prompt file or a
     * missing input fails the stage with the reason (a prompt file's with its {@code file:line}).
     */
    private StageOutcome grpo(RecipeStage stage, ModelSpec model, EventSink events, BooleanSupplier cancelled) {
        Map<String, Object> params = stage.params();
        TrainResult result;
        try {
            BpeTokenizer tokenizer = BpeTokenizer.load(folder.resolve((String) params.get("tokenizer")));
            List<GrpoPrompt> prompts = GrpoPromptReader.read(folder.resolve(stage.data()));
            WeightedRewards rewards = WeightedRewards.of((List<?>) params.get("rewards"), this.rewards);
            GrpoStage.Config config = new GrpoStage.Config(recipe.name() + "-" + stage.name(), model, recipe.seed(),
                    stage.steps(), stage.batchSize(), stage.optimizer(), whole(params, "groupSize", 8),
                    whole(params, "iterations", 1), number(params, "temperature", 1.0),
                    whole(params, "maxNewTokens", Math.min(256, stage.seqLen())), number(params, "clip", 0.2),
                    number(params, "beta", 0.04), Math.max(1, stage.steps() / CHECKPOINTS_PER_STAGE), 2,
                    input(stage).toAbsolutePath());
            GrpoStage.Codec codec = GrpoStage.Codec.of(new ChatTemplate(tokenizer), tokenizer, stopAfter(params));
            GrpoStage.Validation validation = params.get("valData") instanceof String file
                    ? new GrpoStage.Validation(new HeldoutEvaluation(GrpoPromptReader.read(folder.resolve(file)), codec,
                    rewards, config.maxNewTokens()), whole(params, "evalEvery", Math.max(1, stage.steps() / 10)))
                    : null;
            result = new GrpoStage(config, prompts, codec, rewards, validation)
                    .withLora(StageParams.lora(params.get("lora")))
                    .run(runDir(stage.name()), events, cancelled);
        } catch (IOException | IllegalArgumentException e) {
            return failed(stage, StageKind.GRPO, e, events);
        }
        return outcome(stage, StageKind.GRPO, result);
    }

    /**
     * Samples completions from the stage's input checkpoint and writes the accepted ones to {@code params.out} (an
     * SFT set for a later stage); the checkpoint is handed on unchanged.
     */
    private StageOutcome rejectionSample(RecipeStage stage, ModelSpec model, EventSink events,
                                         BooleanSupplier cancelled) {
        Path init = input(stage).toAbsolutePath();
        try {
            RejectionResult result = sampler(stage, model, init, folder.resolve((String) stage.params().get("out")))
                    .run(runDir(stage.name()), events, cancelled);
            return new StageOutcome(stage.name(), StageKind.REJECTION_SAMPLE, state(result.outcome()),
                    stage.name() + ": " + result.message(), init);
        } catch (IOException | IllegalArgumentException e) {
            return failed(stage, StageKind.REJECTION_SAMPLE, e, events);
        }
    }

    /**
     * A rejection sampler of {@code init} (weights of {@code model}) over the stage's prompts, scored and accepted by
     * the stage's rewards and bounds, writing the accepted completions to {@code out}.
     */
    private RejectionStage sampler(RecipeStage stage, ModelSpec model, Path init, Path out) throws IOException {
        Map<String, Object> params = stage.params();
        BpeTokenizer tokenizer = BpeTokenizer.load(folder.resolve((String) params.get("tokenizer")));
        List<GrpoPrompt> prompts = GrpoPromptReader.read(folder.resolve(stage.data()));
        WeightedRewards rewards = WeightedRewards.of((List<?>) params.get("rewards"), this.rewards);
        Acceptance acceptance = new Acceptance(thresholds(params), params.get("minReward") instanceof Number n
                ? n.doubleValue() : null);
        RejectionStage.Config config = new RejectionStage.Config(recipe.name() + "-" + stage.name(), model,
                recipe.seed(), whole(params, "samples", 8), number(params, "temperature", 1.0),
                number(params, "topP", 1.0), whole(params, "maxNewTokens", 256), init, out);
        return new RejectionStage(config, prompts, GrpoStage.Codec.of(new ChatTemplate(tokenizer), tokenizer,
                stopAfter(params)), rewards, acceptance);
    }

    /** The special tokens after which a sampled completion ends ({@code stopAfter}), besides the end of turn. */
    private static List<String> stopAfter(Map<String, Object> params) {
        return params.get("stopAfter") instanceof List<?> stops ? stops.stream().map(String::valueOf).toList() : List.of();
    }

    /** Trains the stage's input checkpoint on preference pairs, the input itself being the frozen reference. */
    private StageOutcome dpo(RecipeStage stage, ModelSpec model, EventSink events, BooleanSupplier cancelled) {
        Map<String, Object> params = stage.params();
        TrainResult result;
        try {
            BpeTokenizer tokenizer = BpeTokenizer.load(folder.resolve((String) params.get("tokenizer")));
            List<PreferencePair> train = PreferenceReader.read(folder.resolve(stage.data()));
            List<PreferencePair> heldOut = params.get("valData") instanceof String file
                    ? PreferenceReader.read(folder.resolve(file)) : List.of();
            DpoStage.Config config = new DpoStage.Config(recipe.name() + "-" + stage.name(), model, recipe.seed(),
                    stage.steps(), stage.batchSize(), stage.seqLen(), stage.optimizer(), number(params, "beta", 0.1),
                    Math.max(1, stage.steps() / 4), Math.max(1, stage.steps() / CHECKPOINTS_PER_STAGE), 2,
                    input(stage).toAbsolutePath(), StageParams.lora(params.get("lora")));
            result = new DpoStage(config, train, heldOut, new ChatTemplate(tokenizer)::encode)
                    .run(runDir(stage.name()), events, cancelled);
        } catch (IOException | IllegalArgumentException e) {
            return failed(stage, StageKind.DPO, e, events);
        }
        return outcome(stage, StageKind.DPO, result);
    }

    /**
     * Distils the stage's input checkpoint (the teacher) into a new {@code studentModel}: in {@code logit} mode (the
     * default) on the stage's token shards, in {@code trace} mode on the teacher's completions of the stage's prompts.
     */
    private StageOutcome distill(RecipeStage stage, EventSink events, BooleanSupplier cancelled) {
        Map<String, Object> params = stage.params();
        TrainResult result;
        try {
            ModelSpec student = ModelSpecs.load(folder.resolve((String) params.get("studentModel")));
            if ("trace".equals(params.get("mode"))) {
                return traceDistill(stage, student, events, cancelled);
            }
            TrainingData[] data = shards(stage);
            DistillStage.Config config = new DistillStage.Config(recipe.name() + "-" + stage.name(), student,
                    recipe.seed(), stage.steps(), stage.batchSize(), stage.seqLen(), stage.optimizer(),
                    number(params, "temperature", 2.0), number(params, "alpha", 0.0), Math.max(1, stage.steps() / 4),
                    EVAL_BATCHES, Math.max(1, stage.steps() / CHECKPOINTS_PER_STAGE), 2, input(stage).toAbsolutePath());
            result = new DistillStage(config, data[0], data[1]).run(runDir(stage.name()), events, cancelled);
        } catch (IOException | IllegalArgumentException e) {
            return failed(stage, StageKind.DISTILL, e, events);
        }
        return outcome(stage, StageKind.DISTILL, result);
    }

    /**
     * R1's distillation: the teacher samples completions of the stage's prompts, the rewards keep the good ones
     * ({@code <run>/traces.jsonl}, resumable per prompt in {@code <run>/sample}), and the student, from its seed
     * initialisation ({@code <run>/student-init/final}), is fine-tuned on them as an sft stage is.
     */
    private StageOutcome traceDistill(RecipeStage stage, ModelSpec student, EventSink events,
                                      BooleanSupplier cancelled) throws IOException {
        Path runDir = runDir(stage.name());
        Path teacher = input(stage).toAbsolutePath();
        Path traces = runDir.resolve("traces.jsonl");
        RejectionResult sampled = sampler(stage, Checkpoints.readMeta(teacher).model(), teacher, traces)
                .run(runDir.resolve("sample"), events, cancelled);
        if (sampled.outcome() != TrainResult.Outcome.FINISHED) {
            return new StageOutcome(stage.name(), StageKind.DISTILL, state(sampled.outcome()),
                    stage.name() + ": " + sampled.message(), null);
        }
        Path init = runDir.resolve("student-init").resolve(Checkpoints.FINAL);
        if (!Files.isDirectory(init)) {
            try (NDManager manager = NDManager.newBaseManager()) {
                Checkpoints.write(init.getParent(), Checkpoints.FINAL, MoeTransformer.create(student, manager,
                        recipe.seed()), null, new CheckpointMeta(Checkpoints.FORMAT_VERSION, "student-init", 0, student,
                        null, Double.NaN, null, recipe.seed()));
            }
        }
        BpeTokenizer tokenizer = BpeTokenizer.load(folder.resolve((String) stage.params().get("tokenizer")));
        SftData data = SftData.of(SftReader.read(traces, SftReader.OnError.STOP).examples(), new ChatTemplate(tokenizer),
                tokenizer.vocabSize());
        RunSpec spec = new RunSpec(recipe.name() + "-" + stage.name(), student, new DataRef(traces.toString(), null),
                RunSpec.SFT, stage.optimizer(), stage.steps(), stage.batchSize(), stage.seqLen(), recipe.seed(),
                Math.max(1, stage.steps() / 4), EVAL_BATCHES, Math.max(1, stage.steps() / CHECKPOINTS_PER_STAGE), 2,
                null, init.toString());
        // the traces stand in for held-out data: the loss then measures fit, not generalisation
        TrainResult result = new Trainer().resume(spec, data, data, runDir, events, cancelled);
        if (result.outcome() == TrainResult.Outcome.FINISHED && stage.params().get("valData") instanceof String file) {
            validateStudent(stage, folder.resolve(file), tokenizer, result, events);
        }
        return outcome(stage, StageKind.DISTILL, result);
    }

    /**
     * The trained student's greedy answers to held-out prompts, scored by the stage's rewards: a {@code metric} event
     * at its last step ({@code val_accuracy} and the rest, see {@link HeldoutEvaluation}), what the traces' own loss
     * cannot say.
     */
    private void validateStudent(RecipeStage stage, Path heldOut, BpeTokenizer tokenizer, TrainResult result,
                                 EventSink events) throws IOException {
        Map<String, Object> params = stage.params();
        HeldoutEvaluation evaluation = new HeldoutEvaluation(GrpoPromptReader.read(heldOut),
                GrpoStage.Codec.of(new ChatTemplate(tokenizer), tokenizer, stopAfter(params)),
                WeightedRewards.of((List<?>) params.get("rewards"), rewards), whole(params, "maxNewTokens", 256));
        Path student = result.checkpoint();
        HeldoutEvaluation.Result evaluated;
        try (NDManager manager = NDManager.newBaseManager()) {
            evaluated = evaluation.evaluate(Checkpoints.loadModel(student, Checkpoints.readMeta(student), manager),
                    manager);
        }
        RolloutLog.append(runDir(stage.name()), HeldoutEvaluation.FILE,
                new RolloutLog.Step(stage.steps(), evaluated.answers()));
        Map<String, Object> metric = new LinkedHashMap<>();
        metric.put("step", stage.steps());
        metric.putAll(evaluated.metrics());
        events.emit("metric", metric);
    }

    /**
     * Exports the stage's input checkpoint as a model folder with quantized projections ({@code bits} 8: int8 per
     * channel; 4: q4 with {@code groupSize}) into {@code out} (default: the stage's run folder's {@code export/});
     * a folder already holding that export is kept, so a rerun passes over it. The input checkpoint is handed on.
     */
    private StageOutcome quantize(RecipeStage stage, EventSink events) {
        Map<String, Object> params = stage.params();
        QuantScheme scheme = whole(params, "bits", 8) == 8 ? QuantScheme.int8() : QuantScheme.q4(whole(params, "groupSize", 64));
        Path input = input(stage).toAbsolutePath();
        Path out = params.get("out") instanceof String file ? folder.resolve(file) : runDir(stage.name()).resolve("export");
        try {
            if (Files.isRegularFile(out.resolve(ModelExport.CONFIG))
                    && scheme.id().equals(ModelExport.readConfig(out).quantization())) {
                return new StageOutcome(stage.name(), StageKind.QUANTIZE, StageOutcome.State.FINISHED,
                        "already finished: " + out + " holds the " + scheme.id() + " export", input);
            }
            Path staging = out.resolveSibling("." + out.getFileName() + ".partial");
            AtomicFiles.deleteTree(staging);
            ModelExport.exportCheckpoint(input, staging, scheme);
            AtomicFiles.deleteTree(out);
            Files.createDirectories(out.getParent());
            Files.move(staging, out);
            String message = stage.name() + ": exported " + input + " with " + scheme.id() + " projections to " + out
                    + " (" + Files.size(out.resolve(ModelExport.WEIGHTS)) / 1024 + " KiB)";
            events.emit("status", Map.of("state", "finished", "message", message));
            return new StageOutcome(stage.name(), StageKind.QUANTIZE, StageOutcome.State.FINISHED, message, input);
        } catch (IOException | IllegalArgumentException e) {
            return failed(stage, StageKind.QUANTIZE, e, events);
        }
    }

    private static StageOutcome failed(RecipeStage stage, StageKind kind, Exception e, EventSink events) {
        events.emit("status", Map.of("state", "failed", "message", String.valueOf(e.getMessage())));
        return new StageOutcome(stage.name(), kind, StageOutcome.State.FAILED, stage.name() + ": " + e.getMessage(),
                null);
    }

    /** The {@code thresholds} param, already validated: reward name → lowest score kept. */
    private static Map<String, Double> thresholds(Map<String, Object> params) {
        Map<String, Double> thresholds = new LinkedHashMap<>();
        if (params.get("thresholds") instanceof Map<?, ?> map) {
            map.forEach((name, value) -> thresholds.put((String) name, ((Number) value).doubleValue()));
        }
        return thresholds;
    }

    private static int whole(Map<String, Object> params, String name, int fallback) {
        return params.get(name) instanceof Number n ? n.intValue() : fallback;
    }

    private static double number(Map<String, Object> params, String name, double fallback) {
        return params.get(name) instanceof Number n ? n.doubleValue() : fallback;
    }

    private static StageOutcome outcome(RecipeStage stage, StageKind kind, TrainResult result) {
        return new StageOutcome(stage.name(), kind, state(result.outcome()), stage.name() + ": " + result.message(),
                result.checkpoint());
    }

    private static StageOutcome.State state(TrainResult.Outcome outcome) {
        return switch (outcome) {
            case FINISHED -> StageOutcome.State.FINISHED;
            case CANCELLED -> StageOutcome.State.CANCELLED;
            case FAILED -> StageOutcome.State.FAILED;
        };
    }

    /**
     * The checkpoint {@code stage} starts from: its input's final checkpoint, by default the previous stage's; a
     * skipped stage hands on its own input. {@code null} when nothing comes before it (a first pretraining stage).
     */
    private Path input(RecipeStage stage) {
        int index = recipe.stages().indexOf(stage);
        if (stage.input() == null) {
            return index == 0 ? null : finalCheckpoint(recipe.stages().get(index - 1));
        }
        for (RecipeStage earlier : recipe.stages()) {
            if (earlier.name().equals(stage.input())) {
                return finalCheckpoint(earlier);
            }
        }
        return folder.resolve(stage.input());
    }

    /** A skipped stage, and one that trains nothing (rejection sampling, quantization), hands on its input. */
    private Path finalCheckpoint(RecipeStage stage) {
        boolean trains = StageKind.of(stage.kind()).map(StageKind::trains).orElse(true);
        return stage.skipped() || !trains ? input(stage)
                : runDir(stage.name()).resolve("checkpoints").resolve(Checkpoints.FINAL);
    }

    private TrainingData[] shards(RecipeStage stage) throws IOException {
        TokenShards shards = TokenShards.open(folder.resolve(stage.data()));
        return new TrainingData[] {
                TrainingData.windows(new SplitSource(shards.split(TokenShardWriter.TRAIN), shards.vocabSize())),
                TrainingData.windows(new SplitSource(shards.split(TokenShardWriter.VAL), shards.vocabSize()))};
    }

    private TrainingData[] sft(RecipeStage stage) throws IOException {
        Map<String, Object> params = stage.params();
        BpeTokenizer tokenizer = BpeTokenizer.load(folder.resolve((String) params.get("tokenizer")));
        ChatTemplate template = new ChatTemplate(tokenizer);
        SftReader.OnError onError = "stop".equals(params.get("onError")) ? SftReader.OnError.STOP : SftReader.OnError.SKIP;
        SftData train = SftData.of(SftReader.read(folder.resolve(stage.data()), onError).examples(), template,
                tokenizer.vocabSize());
        // without a validation file, the training examples stand in (the loss then measures fit, not generalisation)
        SftData val = params.get("valData") instanceof String file
                ? SftData.of(SftReader.read(folder.resolve(file), onError).examples(), template, tokenizer.vocabSize())
                : train;
        return new TrainingData[] {train, val};
    }

    /** A split of the pipeline's token shards as the trainer reads tokens. */
    private record SplitSource(TokenSplit split, int vocabSize) implements TokenSource {
        @Override
        public long length() {
            return split.length();
        }

        @Override
        public void read(long offset, int[] dst) {
            split.read(offset, dst);
        }
    }
}
