package org.r1wb.model.eval;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.r1wb.model.eval.metric.Metrics;
import org.r1wb.model.eval.task.EvalTask;
import org.r1wb.model.eval.task.TaskLoader;
import org.r1wb.model.run.EventSink;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EvalCacheTest {

    private static final String TASK = """
            task: sums
            data: {file: sums.jsonl}
            output_type: generate_until
            prompt: "{{question}}"
            target: "{{answer}}"
            fewshot: {count: 2, seed: 11}
            generation: {until: ["\\n"], max_tokens: 12}
            extract: hash
            metrics: [exact_match]
            """;
    private static final TextCodec CHARS = TestModels.chars("chars-v1");

    @TempDir
    Path dir;

    private EvalTask task() throws IOException {
        if (!Files.exists(dir.resolve("sums.jsonl"))) {
            TestModels.arithmetic(dir, "sums.jsonl", 20, 0);
        }
        Files.writeString(dir.resolve("sums.yaml"), TASK);
        return TaskLoader.builtIn().load(dir.resolve("sums.yaml"));
    }

    /** A model that knows the first {@code right} sums and answers the rest wrong. */
    private static TestModels.BigramModel model(String digest, int right) {
        TestModels.BigramModel model = new TestModels.BigramModel(digest, "What is 1+1? #### 2\n");
        for (int i = 1; i <= 20; i++) {
            model.script("What is " + i + "+" + i + "?", "#### " + (i <= right ? 2 * i : 2 * i + 1));
        }
        return model;
    }

    private TaskReport run(EvalCache cache, EvalModel model, TextCodec codec, EvalTask task, EvalSettings settings) {
        return new EvalRunner(cache, Metrics.builtIn(), EvalListener.NONE, EventSink.NONE)
                .run(model, codec, "test", List.of(task), settings, () -> false).get(0);
    }

    @Test
    void twoCheckpointsNeverShareAnAnswer() throws IOException {
        EvalTask task = task();
        try (EvalCache cache = EvalCache.open(dir.resolve("r1wb.db"))) {
            TaskReport a = run(cache, model("ckpt-a", 20), CHARS, task, EvalSettings.defaults());
            TestModels.BigramModel b = model("ckpt-b", 5);
            TaskReport reportB = run(cache, b, CHARS, task, EvalSettings.defaults());

            assertThat(a.results().get(0).value()).isEqualTo(1.0);
            assertThat(reportB.fromCache()).isZero();
            assertThat(reportB.computed()).isEqualTo(20);
            assertThat(b.generations).isEqualTo(20);
            assertThat(reportB.results().get(0).value()).isEqualTo(0.25);
            assertThat(cache.requestCount()).isEqualTo(40);
        }
    }

    @Test
    void aSecondRunIsServedEntirelyFromTheCache() throws IOException {
        EvalTask task = task();
        TestModels.BigramModel model = model("ckpt-a", 10);
        TaskReport first;
        try (EvalCache cache = EvalCache.open(dir.resolve("r1wb.db"))) {
            first = run(cache, model, CHARS, task, EvalSettings.defaults());
        }
        int generations = model.generations;
        try (EvalCache cache = EvalCache.open(dir.resolve("r1wb.db"))) {
            TaskReport second = run(cache, model, CHARS, task, EvalSettings.defaults());

            assertThat(second.resultsCached()).isTrue();
            assertThat(second.results()).allMatch(EvalResult::cached);
            assertThat(second.results().get(0).value()).isEqualTo(first.results().get(0).value()).isEqualTo(0.5);
            assertThat(second.results().get(0).stderr()).isEqualTo(first.results().get(0).stderr());
        }
        assertThat(model.generations).as("nothing recomputed").isEqualTo(generations);
    }

    @Test
    void changingTheFewshotSeedASamplingParameterTheDataOrTheTokenizerRecomputes() throws IOException {
        EvalTask task = task();
        TestModels.BigramModel model = model("ckpt-a", 20);
        try (EvalCache cache = EvalCache.open(dir.resolve("r1wb.db"))) {
            EvalSettings base = EvalSettings.defaults();
            assertThat(run(cache, model, CHARS, task, base).computed()).isEqualTo(20);
            assertThat(run(cache, model, CHARS, task, base.withLimit(15)).computed())
                    .as("fewer documents: a new result from the cached answers").isZero();

            assertThat(run(cache, model, CHARS, task, base.withFewshotSeed(99L)).computed()).isEqualTo(20);
            assertThat(run(cache, model, CHARS, task, base.withSampling(0.7, 1, 5L)).computed()).isEqualTo(20);
            assertThat(run(cache, model, CHARS, task, base.withSampling(0.7, 1, 6L)).computed()).isEqualTo(20);
            assertThat(run(cache, model, CHARS, task, base.withMaxTokens(8)).computed()).isEqualTo(20);
            assertThat(run(cache, model, TestModels.chars("chars-v2"), task, base).computed()).isEqualTo(20);

            TestModels.arithmetic(dir, "sums.jsonl", 20, 1);
            EvalTask edited = task();
            assertThat(edited.digest()).isNotEqualTo(task.digest());
            assertThat(run(cache, model, CHARS, edited, base).computed()).isEqualTo(20);

            assertThat(run(cache, model, CHARS, task, base.withSampling(0.7, 1, 5L)).resultsCached())
                    .as("and every one of those is cached in turn").isTrue();
        }
    }

    /** Hands out one model and counts how often it was loaded. */
    private static final class CountingSource implements EvalModelSource {
        private final EvalModel model;
        private final String digest;
        int loads;

        CountingSource(EvalModel model, String digest) {
            this.model = model;
            this.digest = digest;
        }

        @Override
        public String checkpointDigest() {
            return digest;
        }

        @Override
        public EvalModel load() {
            loads++;
            return model;
        }
    }

    @Test
    void aCachedSuiteNeverLoadsTheModelAndAPartlyCachedOneLoadsItOnceForTheMissingRequests() throws IOException {
        EvalTask sums = task();
        TestModels.arithmetic(dir, "more.jsonl", 20, 1);
        Files.writeString(dir.resolve("more.yaml"), TASK.replace("task: sums", "task: more").replace("sums.jsonl", "more.jsonl"));
        EvalTask more = TaskLoader.builtIn().load(dir.resolve("more.yaml"));
        TestModels.BigramModel model = model("ckpt-a", 20);
        CountingSource source = new CountingSource(model, "ckpt-a");
        try (EvalCache cache = EvalCache.open(dir.resolve("r1wb.db"))) {
            EvalRunner runner = new EvalRunner(cache, Metrics.builtIn(), EvalListener.NONE, EventSink.NONE);
            List<TaskReport> first = runner.run(source, CHARS, "a", List.of(sums), EvalSettings.defaults().withLimit(8), () -> false);
            assertThat(first.get(0).computed()).isEqualTo(8);
            assertThat(source.loads).isEqualTo(1);

            List<TaskReport> partly = runner.run(source, CHARS, "a", List.of(sums, more), EvalSettings.defaults(), () -> false);
            assertThat(source.loads).as("one load for both tasks").isEqualTo(2);
            assertThat(partly.get(0).fromCache()).isEqualTo(8);
            assertThat(partly.get(0).computed()).isEqualTo(12);
            assertThat(partly.get(1).computed()).isEqualTo(20);
            assertThat(model.generations).as("only the missing requests answered").isEqualTo(40);

            List<TaskReport> cached = runner.run(source, CHARS, "a", List.of(sums, more), EvalSettings.defaults(), () -> false);
            assertThat(source.loads).as("a cached rerun does not load the model").isEqualTo(2);
            assertThat(cached).allMatch(TaskReport::resultsCached);
            assertThat(cached.get(0).results()).extracting(EvalResult::value)
                    .containsExactlyElementsOf(partly.get(0).results().stream().map(EvalResult::value).toList());
            assertThat(model.generations).isEqualTo(40);
        }
    }

    @Test
    void aSourceWhoseModelIsAnotherCheckpointStoresNothing() throws IOException {
        EvalTask sums = task();
        CountingSource lying = new CountingSource(model("ckpt-b", 20), "ckpt-a");
        try (EvalCache cache = EvalCache.open(dir.resolve("r1wb.db"))) {
            EvalRunner runner = new EvalRunner(cache, Metrics.builtIn(), EvalListener.NONE, EventSink.NONE);
            assertThatThrownBy(() -> runner.run(lying, CHARS, "a", List.of(sums), EvalSettings.defaults(), () -> false))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("ckpt-b");
            assertThat(cache.requestCount()).isZero();
        }
    }

    @Test
    void aCancelledSuiteResumesComputingOnlyTheMissingRequests() throws IOException {
        EvalTask task = task();
        TestModels.BigramModel model = model("ckpt-a", 20);
        EvalSettings batchesOfFour = EvalSettings.defaults().withBatchSize(4);
        AtomicInteger checks = new AtomicInteger();
        try (EvalCache cache = EvalCache.open(dir.resolve("r1wb.db"))) {
            EvalRunner runner = new EvalRunner(cache, Metrics.builtIn(), EvalListener.NONE, EventSink.NONE);
            // cancelled before the third batch: two batches (8 requests) answered and stored
            assertThatThrownBy(() -> runner.run(model, CHARS, "test", List.of(task), batchesOfFour,
                    () -> checks.incrementAndGet() > 2)).isInstanceOf(CancellationException.class)
                    .hasMessageContaining("cancelled after 8 of 20");
            assertThat(cache.requestCount()).isEqualTo(8);
        }
        try (EvalCache cache = EvalCache.open(dir.resolve("r1wb.db"))) {
            TaskReport resumed = run(cache, model, CHARS, task, batchesOfFour);
            assertThat(resumed.fromCache()).isEqualTo(8);
            assertThat(resumed.computed()).isEqualTo(12);
            assertThat(model.generations).isEqualTo(20);
            assertThat(resumed.results().get(0).value()).isEqualTo(1.0);
        }
    }

    @Test
    void migratesAVersion1StoreKeepingItsResults() throws Exception {
        Path db = dir.resolve("r1wb.db");
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + db);
             Statement statement = connection.createStatement()) {
            // the version-1 schema, as the first release wrote it
            statement.execute("CREATE TABLE schema_version (component TEXT PRIMARY KEY, version INTEGER NOT NULL)");
            statement.execute("CREATE TABLE eval_results (cache_key TEXT NOT NULL, checkpoint_digest TEXT NOT NULL, "
                    + "task TEXT NOT NULL, task_digest TEXT NOT NULL, settings TEXT NOT NULL, metric TEXT NOT NULL, "
                    + "value REAL NOT NULL, stderr REAL NOT NULL, samples INTEGER NOT NULL, created_ms INTEGER NOT NULL, "
                    + "PRIMARY KEY (cache_key, metric))");
            statement.execute("INSERT INTO schema_version VALUES ('eval', 1)");
            statement.execute("INSERT INTO eval_results VALUES ('old-key', 'ckpt-old', 'arithmetic-em', 'td', '{}', "
                    + "'exact_match', 0.25, 0.1, 100, 1000)");
        }

        try (EvalCache cache = EvalCache.open(db)) {
            assertThat(cache.results("old-key")).hasValueSatisfying(results ->
                    assertThat(results).extracting(EvalResult::value).containsExactly(0.25));
            assertThat(cache.resultsOf("ckpt-old")).extracting(EvalCache.StoredResult::checkpointLabel).containsExactly("");
            assertThat(run(cache, model("ckpt-a", 20), CHARS, task(), EvalSettings.defaults()).computed()).isEqualTo(20);
        }
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + db);
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT version FROM schema_version WHERE component = 'eval'")) {
            assertThat(rows.next()).isTrue();
            assertThat(rows.getInt(1)).isEqualTo(EvalCache.SCHEMA_VERSION).isEqualTo(2);
        }
    }

    @Test
    void aStoreFromANewerVersionIsRefusedAndLeftAlone() throws Exception {
        Path db = dir.resolve("r1wb.db");
        EvalCache.open(db).close();
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + db);
             Statement statement = connection.createStatement()) {
            statement.execute("UPDATE schema_version SET version = 9 WHERE component = 'eval'");
        }
        assertThatThrownBy(() -> EvalCache.open(db)).isInstanceOf(EvalStoreException.class)
                .hasMessageContaining("schema version 9, newer than this r1wb reads (2)");
    }

    @Test
    void aFileThatIsNotADatabaseGetsAClearMessageAndIsNotTouched() throws IOException {
        Path bogus = dir.resolve("r1wb.db");
        Files.writeString(bogus, "this is not sqlite ".repeat(200));
        byte[] before = Files.readAllBytes(bogus);

        assertThatThrownBy(() -> EvalCache.open(bogus).close()).isInstanceOf(EvalStoreException.class)
                .hasMessageContaining(bogus.toString()).hasMessageContaining("not a readable SQLite file; move it aside");
        assertThat(Files.readAllBytes(bogus)).isEqualTo(before);
    }

    @Test
    void aLockedStoreKeepsTheComputedAnswersAndTheNextRunStoresThem() throws Exception {
        Path db = dir.resolve("r1wb.db");
        EvalTask task = task();
        TestModels.BigramModel model = model("ckpt-a", 20);
        EvalSettings batchesOfFour = EvalSettings.defaults().withBatchSize(4);
        EvalCache.open(db).close();
        try (Connection other = DriverManager.getConnection("jdbc:sqlite:" + db);
             Statement lock = other.createStatement()) {
            lock.execute("BEGIN EXCLUSIVE");
            try (EvalCache cache = EvalCache.open(db, Duration.ofMillis(200))) {
                assertThatThrownBy(() -> run(cache, model, CHARS, task, batchesOfFour))
                        .isInstanceOf(EvalStoreException.class).hasMessageContaining("locked by another program")
                        .hasMessageContaining(cache.pendingFile().toString());
                assertThat(cache.pendingFile()).exists();
            }
            lock.execute("ROLLBACK");
        }
        try (EvalCache cache = EvalCache.open(db)) {
            assertThat(cache.requestCount()).as("the pending answers were imported").isEqualTo(4);
            assertThat(cache.pendingFile()).doesNotExist();
            TaskReport rerun = run(cache, model, CHARS, task, batchesOfFour);
            assertThat(rerun.fromCache()).isEqualTo(4);
            assertThat(rerun.computed()).isEqualTo(16);
        }
    }
}
