package org.r1wb.model.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.r1wb.model.recipe.Recipe;
import org.r1wb.model.recipe.RecipeRunner;
import org.r1wb.model.recipe.Recipes;
import org.r1wb.model.recipe.StageOutcome;
import org.r1wb.model.recipe.sft.ChatTemplate;
import org.r1wb.model.run.EventJournal;
import org.r1wb.model.run.EventSink;
import org.r1wb.model.spec.ModelSpec;
import org.r1wb.model.spec.ModelSpecs;
import org.r1wb.pipeline.bpe.BpeTokenizer;
import org.r1wb.pipeline.bpe.BpeTrainer;
import org.r1wb.pipeline.shards.DocumentSplitter;
import org.r1wb.pipeline.shards.TokenShardWriter;
import org.r1wb.resources.SampleWorkspace;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The R1-Zero effect in miniature (issue #10): on the sample workspace's arithmetic word problems, a pretrained and
 * briefly cold-started sample MoE is trained with GRPO (accuracy + format rewards) and its greedy exact match on the
 * 200 held-out problems is followed as it trains. Writes the workspace (tokenizer with the chat markers, shards, SFT
 * set, prompt sets, {@code r1-zero.recipe.json}) into WORKDIR, runs the recipe's stages one by one through
 * {@link RecipeRunner} — the same code {@code r1wb recipe run} runs — and prints the held-out curve against GRPO's
 * training seconds (held-out evaluation time excluded), also written to {@code WORKDIR/curve.csv}.
 *
 * <p>The cold start is short on purpose (47 steps over 400 examples): R1-Zero starts from a base model that has
 * never been taught the answer format, and this tiny model, pretrained on the raw "#### n" corpus, learns the chat
 * format abruptly between 45 and 50 SFT steps (held-out format 15 % → 92 %); at 47 it answers in the format half the
 * time, so what GRPO has to find — answering, in the format, what its reasoning computed — is left for it to find.
 *
 * <p>Usage: {@code R1ZeroBenchmark WORKDIR [GRPO_STEPS] [PRETRAIN_STEPS] [SFT_STEPS]}; GRPO's settings are system
 * properties {@code r1z.lr}, {@code r1z.temperature}, {@code r1z.batch} (prompts a step), {@code r1z.group},
 * {@code r1z.iterations}, {@code r1z.warmup}, {@code r1z.formatWeight}, {@code r1z.beta}, {@code r1z.stopAtAnswer}.
 */
public final class R1ZeroBenchmark {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String EOT = "<|endoftext|>";
    /** Cold-start examples: few on purpose, as R1's cold start is small; the rest of the problems are GRPO's. */
    private static final int COLD_START = 400;
    private static final int GRPO_PROMPTS = 3000;

    private R1ZeroBenchmark() {
    }

    public static void main(String[] args) throws IOException {
        System.setProperty("ai.djl.offline", "true");
        System.setProperty("OPT_OUT_TRACKING", "true");
        Path work = Path.of(args[0]).toAbsolutePath();
        int grpoSteps = args.length > 1 ? Integer.parseInt(args[1]) : 240;
        int pretrainSteps = args.length > 2 ? Integer.parseInt(args[2]) : 1200;
        int sftSteps = args.length > 3 ? Integer.parseInt(args[3]) : 47;
        Grpo grpo = new Grpo(Double.parseDouble(System.getProperty("r1z.lr", "1e-5")),
                Double.parseDouble(System.getProperty("r1z.temperature", "0.5")),
                Integer.getInteger("r1z.batch", 16), Integer.getInteger("r1z.group", 8),
                Integer.getInteger("r1z.iterations", 2), Integer.getInteger("r1z.warmup", 10),
                Double.parseDouble(System.getProperty("r1z.formatWeight", "1.0")),
                Double.parseDouble(System.getProperty("r1z.beta", "0.04")),
                Boolean.parseBoolean(System.getProperty("r1z.stopAtAnswer", "true")));
        Files.createDirectories(work);
        if (!Files.isRegularFile(work.resolve("grpo.jsonl"))) {
            prepare(work);
        }
        Files.writeString(work.resolve("r1-zero.recipe.json"), recipe(grpoSteps, pretrainSteps, sftSteps, grpo));
        Recipe recipe = Recipes.load(work.resolve("r1-zero.recipe.json"));
        RecipeRunner runner = new RecipeRunner(recipe, work, work.resolve("runs"));
        List<String[]> curve = new ArrayList<>();
        double[] trainSeconds = {0};
        double[] lastReward = {Double.NaN};
        Files.createDirectories(work.resolve("runs"));
        // where `r1wb recipe run` journals, so the workbench's recipe editor shows these stages and their curves
        EventJournal journal = EventJournal.openForAppend(work.resolve("runs/events.jsonl"), recipe.name());
        EventSink sink = (type, fields) -> {
            journal.emit(type, fields);
            if (!"metric".equals(type)) {
                if ("status".equals(type)) {
                    System.out.println("  " + fields.get("state") + ": " + fields.get("message"));
                }
                return;
            }
            if (fields.get("step_s") instanceof Number s && fields.containsKey("reward")) {
                trainSeconds[0] += s.doubleValue();
                lastReward[0] = ((Number) fields.get("reward")).doubleValue();
            }
            if (fields.containsKey("val_accuracy")) {
                String[] row = {String.valueOf(fields.get("step")), format(trainSeconds[0]),
                        format((Double) fields.get("val_accuracy")), format((Double) fields.get("val_format")),
                        format(lastReward[0]), format(((Number) fields.get("val_s")).doubleValue())};
                curve.add(row);
                System.out.printf("grpo step %4s  train %7ss  held-out EM %s  format %s  train reward %s  (eval %ss)%n",
                        (Object[]) row);
            }
        };
        for (String stage : List.of("base", "cold-start", "grpo")) {
            long start = System.nanoTime();
            List<StageOutcome> outcomes = runner.run(stage, sink, () -> false);
            StageOutcome outcome = outcomes.stream().filter(o -> o.stage().equals(stage)).findFirst().orElseThrow();
            System.out.printf("stage %-10s %s in %.0f s%n", stage, outcome.state(), (System.nanoTime() - start) / 1e9);
            if (outcome.state() != StageOutcome.State.FINISHED) {
                System.out.println(outcome.message());
                System.exit(1);
            }
        }
        journal.close();
        try (PrintWriter out = new PrintWriter(Files.newBufferedWriter(work.resolve("curve.csv")))) {
            out.println("step,train_s,heldout_em,heldout_format,train_reward,eval_s");
            curve.forEach(row -> out.println(String.join(",", row)));
        }
        double first = Double.parseDouble(curve.get(0)[2]);
        double best = curve.stream().mapToDouble(r -> Double.parseDouble(r[2])).max().orElse(first);
        double last = Double.parseDouble(curve.get(curve.size() - 1)[2]);
        System.out.printf("held-out EM %.1f%% -> %.1f%% at the end (best %.1f%%): %+.1f points in %.0f s of GRPO%n",
                100 * first, 100 * last, 100 * best, 100 * (last - first), trainSeconds[0]);
        String[] inBudget = curve.stream().filter(r -> Double.parseDouble(r[1]) <= 20 * 60).reduce((a, b) -> b)
                .orElseThrow();
        System.out.printf("within 20 minutes of GRPO training: held-out EM %.1f%% at step %s (%s s): %+.1f points%n",
                100 * Double.parseDouble(inBudget[2]), inBudget[0], inBudget[1],
                100 * (Double.parseDouble(inBudget[2]) - first));
    }

    private static String format(double value) {
        return String.format(Locale.ROOT, "%.3f", value);
    }

    /** The workspace: tokenizer, shards, cold-start SFT set, GRPO prompts, held-out prompts, model spec. */
    private static void prepare(Path work) throws IOException {
        Path sample = SampleWorkspace.create(work.resolve("sample"));
        List<String[]> problems = new ArrayList<>();
        List<String> documents = new ArrayList<>();
        for (String line : Files.readAllLines(sample.resolve("data/raw/arithmetic.jsonl"))) {
            String text = JSON.readTree(line).get("text").asText();
            documents.add(text);
            String[] parts = text.split("\n");
            problems.add(new String[] {parts[0], parts[1], parts[2].substring("#### ".length())});
        }
        documents.addAll(Files.readAllLines(sample.resolve("data/raw/prose.txt")));
        List<String> specials = new ArrayList<>(List.of(EOT));
        specials.addAll(ChatTemplate.SPECIAL_TOKENS);
        BpeTokenizer tokenizer = BpeTrainer.builder().setVocabSize(512).optMinFrequency(2).optSpecialTokens(specials)
                .build().train(documents);
        try (TokenShardWriter writer = new TokenShardWriter(work.resolve("data"), tokenizer, EOT,
                new DocumentSplitter(0.05, 7))) {
            for (String document : documents) {
                writer.add(document);
            }
            writer.finish("r1-zero-benchmark", null);
        }
        List<String> sft = new ArrayList<>();
        List<String> grpo = new ArrayList<>();
        for (int i = 0; i < COLD_START + GRPO_PROMPTS; i++) {
            String[] p = problems.get(i);
            if (i < COLD_START) {
                sft.add(JSON.writeValueAsString(JSON.createObjectNode().put("prompt", p[0])
                        .put("response", ChatTemplate.response(p[1], p[2]))));
            } else {
                grpo.add(JSON.writeValueAsString(JSON.createObjectNode().put("prompt", p[0]).put("target", p[2])));
            }
        }
        List<String> heldout = new ArrayList<>();
        for (String line : Files.readAllLines(sample.resolve(SampleWorkspace.HELDOUT))) {
            JsonNode node = JSON.readTree(line);
            ObjectNode prompt = JSON.createObjectNode().put("prompt", node.get("question").asText())
                    .put("target", node.get("answer").asText());
            heldout.add(JSON.writeValueAsString(prompt));
        }
        Files.write(work.resolve("cold-start.jsonl"), sft);
        Files.write(work.resolve("heldout.jsonl"), heldout);
        Files.write(work.resolve("grpo.jsonl"), grpo);
        ModelSpec base = ModelSpecs.load(sample.resolve(SampleWorkspace.MODEL));
        ModelSpec model = new ModelSpec(tokenizer.vocabSize(), base.dModel(), base.layers(), base.heads(),
                base.kvHeads(), base.headDim(), base.ropeTheta(), base.maxSeqLen(), base.normEps(), base.dropout(),
                base.tiedEmbeddings(), base.denseLayers(), base.ffnHidden(), base.moe());
        ModelSpecs.save(model, work.resolve("model.json"));
    }

    /** GRPO's settings. */
    private record Grpo(double lr, double temperature, int batch, int group, int iterations, int warmup,
                        double formatWeight, double beta, boolean stopAtAnswer) {
    }

    private static String recipe(int grpoSteps, int pretrainSteps, int sftSteps, Grpo grpo) {
        return String.format(Locale.ROOT, """
                {"name": "r1-zero", "model": "model.json", "seed": 11,
                 "stages": [
                  {"kind": "pretrain", "name": "base", "data": "data", "steps": %d, "batchSize": 16, "seqLen": 128,
                   "optimizer": {"lr": 0.003, "minLr": 0.0003, "weightDecay": 0.1, "beta1": 0.9, "beta2": 0.95,
                                 "warmupSteps": 40, "gradClip": 1.0}},
                  {"kind": "sft", "name": "cold-start", "data": "cold-start.jsonl", "steps": %d, "batchSize": 8,
                   "seqLen": 128, "params": {"tokenizer": "data/tokenizer.json"},
                   "optimizer": {"lr": 0.001, "minLr": 0.0001, "weightDecay": 0.0, "beta1": 0.9, "beta2": 0.95,
                                 "warmupSteps": 5, "gradClip": 1.0}},
                  {"kind": "grpo", "name": "grpo", "data": "grpo.jsonl", "steps": %d, "batchSize": %d, "seqLen": 128,
                   "optimizer": {"lr": %s, "minLr": %s, "weightDecay": 0.0, "beta1": 0.9, "beta2": 0.99,
                                 "warmupSteps": %d, "gradClip": 1.0},
                   "params": {"tokenizer": "data/tokenizer.json", "groupSize": %d, "temperature": %s,
                              "iterations": %d, "maxNewTokens": 40, "beta": %s, "clip": 0.2,
                              "rewards": [{"name": "accuracy"}, {"name": "format", "weight": %s}],
                              "valData": "heldout.jsonl", "evalEvery": %d%s}}
                 ]}
                """, pretrainSteps, sftSteps, grpoSteps, grpo.batch(), grpo.lr(), grpo.lr() / 10, grpo.warmup(),
                grpo.group(), grpo.temperature(), grpo.iterations(), grpo.beta(), grpo.formatWeight(), Math.max(1, grpoSteps / 10),
                grpo.stopAtAnswer() ? ", \"stopAfter\": [\"</answer>\"]" : "");
    }
}
