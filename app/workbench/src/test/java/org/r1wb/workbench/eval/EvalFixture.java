package org.r1wb.workbench.eval;

import org.r1wb.model.eval.EvalCache;
import org.r1wb.model.eval.EvalListener;
import org.r1wb.model.eval.EvalRunner;
import org.r1wb.model.eval.EvalSettings;
import org.r1wb.model.eval.TaskReport;
import org.r1wb.model.eval.TextCodec;
import org.r1wb.model.eval.task.EvalTask;
import org.r1wb.model.eval.task.TaskLoader;
import org.r1wb.model.eval.task.TaskRegistry;
import org.r1wb.model.generate.CheckpointModel;
import org.r1wb.model.run.EventJournal;
import org.r1wb.model.run.EventSink;
import org.r1wb.model.spec.Balancing;
import org.r1wb.model.spec.GateFunction;
import org.r1wb.model.spec.ModelSpec;
import org.r1wb.model.spec.MoeSpec;
import org.r1wb.model.train.ArrayTokenSource;
import org.r1wb.model.train.DataRef;
import org.r1wb.model.train.OptimizerSpec;
import org.r1wb.model.train.RunSpec;
import org.r1wb.model.train.RunSpecs;
import org.r1wb.model.train.Trainer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A workspace whose evaluation store was filled by really running the engine: a tiny MoE trained for a
 * few steps in this JVM (checkpoints every {@link #EVERY} steps), then the suite {@code tiny} (multiple
 * choice, held-out perplexity, generated sums) evaluated on each checkpoint through {@link EvalRunner}.
 * Characters are the tokens, so no tokenizer has to be trained. Keeps the engine's own reports, which the
 * views must show.
 */
final class EvalFixture {

    static final String RUN = "tiny";
    static final int STEPS = 12;
    static final int EVERY = 4;
    static final String SUITE = "tiny";

    final Path workspace;
    /** The engine's reports per checkpoint label ({@code tiny@4}, …), in step order. */
    final Map<String, List<TaskReport>> reports = new LinkedHashMap<>();
    /** The checkpoints as the catalog lists them. */
    final List<EvaluatedCheckpoint> checkpoints;

    private EvalFixture(Path workspace, List<EvaluatedCheckpoint> checkpoints) {
        this.workspace = workspace;
        this.checkpoints = checkpoints;
    }

    static EvalFixture create(Path workspace) throws IOException {
        writeTasks(workspace.resolve("evals"));
        Path runDir = Files.createDirectories(workspace.resolve("runs").resolve(RUN));
        String corpus = corpus();
        int[] tokens = corpus.chars().map(c -> c & 127).toArray();
        int split = tokens.length * 9 / 10;
        RunSpec spec = new RunSpec(RUN, model(), new DataRef("mem", "none"), null,
                new OptimizerSpec(2e-2, 2e-3, 0.01, 0.9, 0.95, 2, 1.0), STEPS, 4, 24, 7, STEPS, 1, EVERY, 0, null);
        // r1wb eval compare finds a checkpoint's run through its run.json
        RunSpecs.save(spec, runDir.resolve("run.json"));
        long start = System.nanoTime();
        try (EventJournal journal = EventJournal.openForAppend(runDir.resolve("events.jsonl"), RUN)) {
            new Trainer().train(spec, new ArrayTokenSource(java.util.Arrays.copyOf(tokens, split), 128),
                    new ArrayTokenSource(java.util.Arrays.copyOfRange(tokens, split, tokens.length), 128), runDir, journal,
                    () -> false);
        }
        long trained = System.nanoTime();
        EvalFixture fixture = new EvalFixture(workspace, CheckpointCatalog.scan(workspace));
        List<EvalTask> tasks = TaskRegistry.scan(workspace.resolve("evals"), TaskLoader.builtIn()).suite(SUITE);
        try (EvalCache cache = EvalCache.open(workspace.resolve(EvaluationsViewModel.STORE))) {
            EvalRunner runner = new EvalRunner(cache, TaskLoader.builtIn().metrics(), EvalListener.NONE, EventSink.NONE);
            for (EvaluatedCheckpoint checkpoint : fixture.checkpoints) {
                try (CheckpointModel model = CheckpointModel.open(checkpoint.folder())) {
                    fixture.reports.put(checkpoint.label(), runner.run(model, CHARS, checkpoint.label(), tasks,
                            EvalSettings.defaults().withBatchSize(8), () -> false));
                }
            }
        }
        System.out.printf("eval fixture: training %.1f s, evaluating %d checkpoints %.1f s%n", (trained - start) / 1e9,
                fixture.checkpoints.size(), (System.nanoTime() - trained) / 1e9);
        return fixture;
    }

    /** The engine's report of {@code task} on {@code label}. */
    TaskReport report(String label, String task) {
        return reports.get(label).stream().filter(r -> r.task().equals(task)).findFirst().orElseThrow();
    }

    /** 2 layers (1 dense, 1 MoE: 4 experts, top-2, one shared), D 32, ASCII vocabulary. */
    private static ModelSpec model() {
        return new ModelSpec(128, 32, 2, 4, 2, 8, 10000.0, 96, 1e-5, 0.0, true, 1, 64,
                new MoeSpec(4, 1, 2, 16, GateFunction.SOFTMAX, Balancing.AUX_FREE, 0.01, 0.001));
    }

    /** Sums written out, the text the model learns (and the tasks ask about). */
    private static String corpus() {
        Random random = new Random(11);
        StringBuilder text = new StringBuilder();
        while (text.length() < 12_000) {
            int a = random.nextInt(5);
            int b = random.nextInt(5);
            text.append(a).append('+').append(b).append('=').append(a + b).append('\n');
        }
        return text.toString();
    }

    private static void writeTasks(Path evals) throws IOException {
        Files.createDirectories(evals);
        StringBuilder choice = new StringBuilder();
        StringBuilder sums = new StringBuilder();
        Random random = new Random(5);
        for (int i = 0; i < 12; i++) {
            int a = random.nextInt(5);
            int b = random.nextInt(5);
            int wrong = (a + b + 1 + random.nextInt(3)) % 9;
            boolean goldFirst = random.nextBoolean();
            choice.append(String.format("{\"q\": \"%d+%d=\", \"choices\": [\"%d\", \"%d\"], \"label\": %d}%n", a, b,
                    goldFirst ? a + b : wrong, goldFirst ? wrong : a + b, goldFirst ? 0 : 1));
            if (i < 8) {
                sums.append(String.format("{\"q\": \"%d+%d=\", \"a\": \"%d\"}%n", a, b, a + b));
            }
        }
        Files.writeString(evals.resolve("tiny-choice.jsonl"), choice);
        Files.writeString(evals.resolve("tiny-sums.jsonl"), sums);
        Files.writeString(evals.resolve("tiny-prose.jsonl"),
                "{\"text\": \"1+2=3\\n4+0=4\\n2+2=4\\n\"}\n{\"text\": \"3+1=4\\n0+0=0\\n\"}\n{\"text\": \"2+3=5\\n1+1=2\\n\"}\n");
        Files.writeString(evals.resolve("tiny-choice.yaml"), """
                task: tiny-choice
                description: which sum is right, by log-likelihood
                data: {file: tiny-choice.jsonl}
                output_type: multiple_choice
                prompt: "{{q}}"
                fewshot: {count: 2, seed: 3, separator: "\\n"}
                target_delimiter: ""
                choices: choices
                gold: label
                metrics: [acc, acc_norm]
                """);
        Files.writeString(evals.resolve("tiny-sums.yaml"), """
                task: tiny-sums
                description: the sum, generated
                data: {file: tiny-sums.jsonl}
                output_type: generate_until
                prompt: "{{q}}"
                target: "{{a}}"
                generation: {until: ["\\n"], max_tokens: 3}
                normalize: [strip]
                metrics: [exact_match]
                """);
        Files.writeString(evals.resolve("tiny-prose.yaml"), """
                task: tiny-prose
                description: held-out sums, perplexity
                data: {file: tiny-prose.jsonl}
                output_type: loglikelihood_rolling
                metrics: [perplexity, bits_per_byte]
                """);
        Files.writeString(evals.resolve("tiny.yaml"), "suite: tiny\ntasks: [tiny-choice, tiny-sums, tiny-prose]\n");
    }

    /** ASCII characters as token ids; 10 (newline) ends generation. */
    static final TextCodec CHARS = new TextCodec() {
        @Override
        public int[] encode(String text) {
            return text.chars().map(c -> c & 127).toArray();
        }

        @Override
        public String decode(int[] ids) {
            return new String(ids, 0, ids.length);
        }

        @Override
        public int endOfTextId() {
            return 0;
        }

        @Override
        public String digest() {
            return "ascii-chars-v1";
        }
    };

    /** Every label, in step order. */
    List<String> labels() {
        return new ArrayList<>(reports.keySet());
    }
}
