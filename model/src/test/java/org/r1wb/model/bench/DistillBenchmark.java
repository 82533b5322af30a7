package org.r1wb.model.bench;

import ai.djl.ndarray.NDManager;
import org.r1wb.model.eval.BpeTextCodec;
import org.r1wb.model.eval.CheckpointSource;
import org.r1wb.model.eval.EvalCache;
import org.r1wb.model.eval.EvalListener;
import org.r1wb.model.eval.EvalResult;
import org.r1wb.model.eval.EvalRunner;
import org.r1wb.model.eval.EvalSettings;
import org.r1wb.model.eval.TaskReport;
import org.r1wb.model.eval.task.TaskLoader;
import org.r1wb.model.recipe.RecipeRunner;
import org.r1wb.model.recipe.Recipes;
import org.r1wb.model.recipe.StageOutcome;
import org.r1wb.model.recipe.grpo.GrpoPromptReader;
import org.r1wb.model.recipe.grpo.GrpoStage;
import org.r1wb.model.recipe.grpo.HeldoutEvaluation;
import org.r1wb.model.recipe.grpo.WeightedRewards;
import org.r1wb.model.recipe.reward.Rewards;
import org.r1wb.model.recipe.sft.ChatTemplate;
import org.r1wb.model.run.EventSink;
import org.r1wb.model.spec.ModelEstimates;
import org.r1wb.model.spec.ModelSpec;
import org.r1wb.model.spec.ModelSpecs;
import org.r1wb.model.train.Checkpoints;
import org.r1wb.pipeline.bpe.BpeTokenizer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Issue #10's distillation claim, measured: a small dense student trace-distilled from the R1-Zero benchmark's GRPO
 * teacher (an MoE) against the same student trained on the raw corpus for the same number of steps of the same
 * batch and sequence length. Each is scored on the 200 held-out arithmetic problems greedily, in the format it was
 * trained in: the distilled student answers the chat prompt and its {@code <answer>} must equal the target (the
 * {@code accuracy} reward); the raw-corpus student continues the question and the number after its {@code ####}
 * must (the workspace's {@code arithmetic-em} task, through the evaluation harness). Runs after
 * {@link R1ZeroBenchmark} in its WORKDIR.
 *
 * <p>Usage: {@code DistillBenchmark WORKDIR [STEPS] [PROMPTS]}.
 */
public final class DistillBenchmark {

    private DistillBenchmark() {
    }

    public static void main(String[] args) throws IOException {
        System.setProperty("ai.djl.offline", "true");
        System.setProperty("OPT_OUT_TRACKING", "true");
        Path work = Path.of(args[0]).toAbsolutePath();
        int steps = args.length > 1 ? Integer.parseInt(args[1]) : 400;
        int prompts = args.length > 2 ? Integer.parseInt(args[2]) : 1500;
        Path teacher = work.resolve("runs/grpo/checkpoints/final");
        if (!Files.isRegularFile(teacher.resolve(Checkpoints.META))) {
            throw new IllegalStateException("no teacher at " + teacher + ": run R1ZeroBenchmark in " + work + " first");
        }
        ModelSpec teacherSpec = Checkpoints.readMeta(teacher).model();
        ModelSpec student = new ModelSpec(teacherSpec.vocabSize(), 96, 3, 4, 4, 24, teacherSpec.ropeTheta(),
                teacherSpec.maxSeqLen(), teacherSpec.normEps(), 0.0, true, 3, 256, null);
        ModelSpecs.save(student, work.resolve("student.model.json"));
        List<String> lines = Files.readAllLines(work.resolve("grpo.jsonl"));
        Files.write(work.resolve("distill-prompts.jsonl"), lines.subList(0, Math.min(prompts, lines.size())));
        String optimizer = """
                {"lr": 0.003, "minLr": 0.0003, "weightDecay": 0.1, "beta1": 0.9, "beta2": 0.95, "warmupSteps": 40,
                 "gradClip": 1.0}""";
        Files.writeString(work.resolve("distill.recipe.json"), String.format(Locale.ROOT, """
                {"name": "distill", "model": "model.json", "seed": 11, "stages": [
                  {"kind": "distill", "name": "trace", "input": "%s", "data": "distill-prompts.jsonl", "steps": %d,
                   "batchSize": 16, "seqLen": 128, "optimizer": %s,
                   "params": {"mode": "trace", "studentModel": "student.model.json", "tokenizer": "data/tokenizer.json",
                              "rewards": [{"name": "accuracy"}, {"name": "format"}],
                              "thresholds": {"accuracy": 1, "format": 1}, "samples": 4, "temperature": 0.5,
                              "maxNewTokens": 40, "stopAfter": ["</answer>"], "valData": "heldout.jsonl"}}]}
                """, teacher, steps, optimizer));
        Files.writeString(work.resolve("raw-student.recipe.json"), String.format(Locale.ROOT, """
                {"name": "raw-student", "model": "student.model.json", "seed": 11, "stages": [
                  {"kind": "pretrain", "name": "raw", "data": "data", "steps": %d, "batchSize": 16, "seqLen": 128,
                   "optimizer": %s}]}
                """, steps, optimizer));

        double[] distilled = {Double.NaN};
        EventSink sink = (type, fields) -> {
            if ("status".equals(type)) {
                System.out.println("  " + fields.get("state") + ": " + fields.get("message"));
            } else if ("metric".equals(type) && fields.get("val_accuracy") instanceof Double accuracy) {
                distilled[0] = accuracy;
            }
        };
        run(work, "distill.recipe.json", sink);
        run(work, "raw-student.recipe.json", sink);
        double raw = rawAccuracy(work, work.resolve("runs/raw/checkpoints/final"));
        double teacherAccuracy = teacherAccuracy(work, teacher);

        long params = ModelEstimates.of(student).totalParams();
        System.out.printf(Locale.ROOT, "teacher (MoE, %d steps of GRPO)   held-out EM %5.1f%%%n",
                Checkpoints.readMeta(teacher).step(), 100 * teacherAccuracy);
        System.out.printf(Locale.ROOT, "student (dense, %,d params), %d steps each, batch 16 x 128:%n", params, steps);
        System.out.printf(Locale.ROOT, "  trace-distilled from the teacher   held-out EM %5.1f%%%n", 100 * distilled[0]);
        System.out.printf(Locale.ROOT, "  trained on the raw corpus          held-out EM %5.1f%%%n", 100 * raw);
        System.out.printf(Locale.ROOT, "distilled - raw: %+.1f points%n", 100 * (distilled[0] - raw));
    }

    private static void run(Path work, String recipe, EventSink sink) throws IOException {
        RecipeRunner runner = new RecipeRunner(Recipes.load(work.resolve(recipe)), work, work.resolve("runs"));
        for (StageOutcome outcome : runner.run(null, sink, () -> false)) {
            System.out.printf("%s: %s %s%n", recipe, outcome.state(), outcome.message());
            if (outcome.state() != StageOutcome.State.FINISHED) {
                System.exit(1);
            }
        }
    }

    /** The raw-corpus student on the workspace's {@code arithmetic-em} task: exact match of the number after "####". */
    private static double rawAccuracy(Path work, Path checkpoint) throws IOException {
        try (EvalCache cache = EvalCache.open(work.resolve("eval.db"))) {
            TaskLoader loader = TaskLoader.builtIn();
            List<TaskReport> reports = new EvalRunner(cache, loader.metrics(), EvalListener.NONE, EventSink.NONE)
                    .run(CheckpointSource.of(checkpoint), BpeTextCodec.ofShards(work.resolve("data")), "raw-student",
                            List.of(loader.load(work.resolve("sample/evals/arithmetic-em.yaml"))),
                            EvalSettings.defaults(), () -> false);
            return reports.get(0).results().stream().filter(r -> r.metric().equals("exact_match"))
                    .mapToDouble(EvalResult::value).findFirst().orElseThrow();
        }
    }

    /** The teacher's greedy accuracy on the held-out chat prompts. */
    private static double teacherAccuracy(Path work, Path teacher) throws IOException {
        BpeTokenizer tokenizer = BpeTokenizer.load(work.resolve("data/tokenizer.json"));
        HeldoutEvaluation evaluation = new HeldoutEvaluation(GrpoPromptReader.read(work.resolve("heldout.jsonl")),
                GrpoStage.Codec.of(new ChatTemplate(tokenizer), tokenizer, List.of("</answer>")),
                WeightedRewards.of(List.of(Map.of("name", "accuracy")), Rewards.builtIn()), 40);
        try (NDManager manager = NDManager.newBaseManager()) {
            return (Double) evaluation.evaluate(Checkpoints.loadModel(teacher, Checkpoints.readMeta(teacher), manager),
                    manager).metrics().get("val_accuracy");
        }
    }
}
