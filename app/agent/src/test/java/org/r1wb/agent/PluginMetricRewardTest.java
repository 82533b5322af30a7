package org.r1wb.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.r1wb.model.recipe.sft.ChatTemplate;
import org.r1wb.model.run.EventJournal;
import org.r1wb.model.run.RunEvent;
import org.r1wb.model.spec.Balancing;
import org.r1wb.model.spec.GateFunction;
import org.r1wb.model.spec.ModelSpec;
import org.r1wb.model.spec.ModelSpecs;
import org.r1wb.model.spec.MoeSpec;
import org.r1wb.pipeline.bpe.BpeTokenizer;
import org.r1wb.pipeline.bpe.BpeTrainer;
import org.r1wb.pipeline.shards.DocumentSplitter;
import org.r1wb.pipeline.shards.TokenShardWriter;

/**
 * The example plugin's metric in {@code r1wb eval} and its reward in {@code r1wb recipe validate|run}, through the real
 * CLI with the real jar in the workspace's {@code plugins/}; disabled, the names are unknown and the errors list
 * what is available.
 */
class PluginMetricRewardTest {

    private static final String KEYWORD_RECIPE = """
            {"name": "kw", "model": "model.json", "seed": 3, "stages": [
              {"kind": "pretrain", "name": "base", "data": "data", "steps": 2, "batchSize": 2, "seqLen": 16,
               "optimizer": {"lr": 0.003, "minLr": 0.0003, "weightDecay": 0.0, "warmupSteps": 0, "gradClip": 1.0}},
              {"kind": "grpo", "name": "rl", "data": "grpo.jsonl", "steps": 2, "batchSize": 2, "seqLen": 32,
               "optimizer": {"lr": 0.0001, "minLr": 0.00001, "weightDecay": 0.0, "warmupSteps": 0, "gradClip": 1.0},
               "params": {"tokenizer": "data/tokenizer.json", "groupSize": 2, "maxNewTokens": 4,
                          "rewards": [{"name": "keyword", "params": {"keyword": "%s"}}]}}
            ]}""";

    @TempDir
    Path root;

    private final Cli cli = new Cli();
    private final String userFolderBefore = System.getProperty(PluginFolders.USER_PROPERTY);
    private Path ws;
    private Path jar;

    @BeforeEach
    void workspaceWithTheExamplePlugin() throws IOException {
        System.setProperty(PluginFolders.USER_PROPERTY, Files.createDirectories(root.resolve("user")).toString());
        ws = Files.createDirectories(root.resolve("ws"));
        jar = PluginInstaller.install(PluginRunTest.EXAMPLE_JAR, ws.resolve(PluginFolders.WORKSPACE_DIR));
    }

    @AfterEach
    void restoreUserFolder() {
        System.out.println(cli.out);
        System.out.println(cli.err);
        if (userFolderBefore == null) {
            System.clearProperty(PluginFolders.USER_PROPERTY);
        } else {
            System.setProperty(PluginFolders.USER_PROPERTY, userFolderBefore);
        }
    }

    @Test
    void evalScoresATaskWithThePluginMetric() throws IOException {
        RunFolder run = TinyRuns.create(ws, "r-eval", 2, 0);
        assertThat(cli.run("train", "--run-dir", run.dir().toString())).as(cli.err.toString()).isZero();
        Files.createDirectories(ws.resolve("evals"));
        List<String> docs = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            docs.add("{\"question\": \"experts route token " + i + "\", \"answer\": \"e\"}");
        }
        Files.write(ws.resolve("evals/contains.jsonl"), docs);
        Files.writeString(ws.resolve("evals/contains.yaml"), """
                task: contains
                data: {file: contains.jsonl}
                output_type: generate_until
                prompt: "{{question}}"
                target: "{{answer}}"
                generation: {max_tokens: 4}
                metrics: [contains_target, exact_match]
                """);

        assertThat(cli.run("eval", "-w", ws.toString(), "r-eval", "--suite", "contains")).as(cli.err.toString()).isZero();
        String line = cli.out.toString().lines().filter(l -> l.strip().startsWith("contains contains_target ="))
                .findFirst().orElseThrow(() -> new AssertionError(cli.out.toString()));
        assertThat(line).contains("(n=4)");
        double value = Double.parseDouble(line.replaceAll(".*= ([0-9.]+) ±.*", "$1"));
        assertThat(value * 4).as("a share of 4 documents").isCloseTo(Math.rint(value * 4), org.assertj.core.data.Offset.offset(1e-9));

        DisabledPlugins.set(jar, true);
        assertThat(cli.run("eval", "-w", ws.toString(), "r-eval", "--suite", "contains")).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(cli.err.toString()).contains("'contains_target' is not a registered metric").contains("exact_match");
    }

    @Test
    void aRecipeUsesThePluginReward() throws IOException {
        recipeWorkspace();
        Path never = Files.writeString(ws.resolve("kw.recipe.json"), KEYWORD_RECIPE.formatted("\\u2603 never"));
        Path empty = Files.writeString(ws.resolve("empty.recipe.json"), KEYWORD_RECIPE.formatted(""));

        // the plugin's own check of its parameters runs in validation
        assertThat(cli.run("recipe", "validate", "-w", ws.toString(), empty.toString())).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(cli.err.toString()).contains("keyword: must be a non-empty string");

        assertThat(cli.run("recipe", "run", "-w", ws.toString(), never.toString())).as(cli.err.toString()).isZero();
        List<RunEvent> metrics = EventJournal.read(ws.resolve("runs/kw/events.jsonl")).stream()
                .filter(e -> "metric".equals(e.type()) && e.fields().containsKey("reward_keyword")).toList();
        assertThat(metrics).hasSize(2).allSatisfy(m -> {
            // no completion of a 4-token model holds a snowman: the plugin scored every one 0
            assertThat(m.number("reward_keyword")).isZero();
            assertThat(m.number("reward")).isZero();
        });

        DisabledPlugins.set(jar, true);
        cli.err.getBuffer().setLength(0);
        assertThat(cli.run("recipe", "validate", "-w", ws.toString(), never.toString())).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(cli.err.toString()).contains("unknown reward \"keyword\"").contains("accuracy").contains("format");
    }

    /** Model file, chat tokenizer and token shards in {@code data/}, and a GRPO prompt set. */
    private void recipeWorkspace() throws IOException {
        List<String> documents = new ArrayList<>();
        List<String> prompts = new ArrayList<>();
        for (int i = 0; i < 24; i++) {
            documents.add(i % 5 + " plus " + i % 3 + " makes " + (i % 5 + i % 3) + ".");
            prompts.add("{\"prompt\": \"" + i % 5 + "+" + i % 3 + "\", \"target\": " + (i % 5 + i % 3) + "}");
        }
        List<String> specials = new ArrayList<>(List.of("<|endoftext|>"));
        specials.addAll(ChatTemplate.SPECIAL_TOKENS);
        BpeTokenizer tokenizer = BpeTrainer.builder().setVocabSize(280).optSpecialTokens(specials).build().train(documents);
        try (TokenShardWriter writer = new TokenShardWriter(ws.resolve("data"), tokenizer, "<|endoftext|>",
                new DocumentSplitter(0.1, 1))) {
            for (int i = 0; i < documents.size(); i++) {
                writer.add(documents.get(i), i % 6 == 0);
            }
            writer.finish("kw", null);
        }
        Files.write(ws.resolve("grpo.jsonl"), prompts);
        ModelSpecs.save(new ModelSpec(tokenizer.vocabSize(), 32, 2, 4, 2, 8, 10000.0, 64, 1e-5, 0.0, true, 1, 64,
                new MoeSpec(4, 1, 2, 16, GateFunction.SOFTMAX, Balancing.AUX_FREE, 0.01, 0.001)), ws.resolve("model.json"));
    }
}
