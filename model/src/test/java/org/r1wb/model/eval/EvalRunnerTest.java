package org.r1wb.model.eval;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.r1wb.model.eval.metric.Metrics;
import org.r1wb.model.eval.metric.PassAtK;
import org.r1wb.model.eval.task.EvalTask;
import org.r1wb.model.eval.task.TaskLoader;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class EvalRunnerTest {

    private static final TextCodec CHARS = TestModels.chars("chars-v1");
    private static final String TRAINING = "the cat sat on the mat. the dog sat on the log. ";

    @TempDir
    Path dir;

    private EvalTask load(String name, String yaml) throws IOException {
        return TaskLoader.builtIn().load(Files.writeString(dir.resolve(name + ".yaml"), yaml));
    }

    private static Map<String, EvalResult> byMetric(TaskReport report) {
        Map<String, EvalResult> map = new java.util.HashMap<>();
        report.results().forEach(r -> map.put(r.metric(), r));
        return map;
    }

    @Test
    void multipleChoiceRollingPerplexityAndCopyTasksScoreAsTheModelPredicts() throws IOException {
        Files.writeString(dir.resolve("mc.jsonl"), """
                {"q": "the cat sat on the", "choices": ["mat", "zqx"], "label": 0}
                {"q": "the dog sat on the", "choices": ["xq", "log"], "label": 1}
                {"q": "the", "choices": ["cat", "qqqqqqqqqqqq"], "label": 1}
                """);
        EvalTask mc = load("mc", "task: mc\ndata: {file: mc.jsonl}\noutput_type: multiple_choice\nprompt: \"{{q}}\"\n"
                + "choices: choices\ngold: label\nmetrics: [acc, acc_norm]\n");
        Files.writeString(dir.resolve("prose.jsonl"), "{\"text\": \"the cat sat on the mat.\"}\n{\"text\": \"a dog sat.\"}\n");
        EvalTask prose = load("prose", "task: prose\ndata: {file: prose.jsonl}\noutput_type: loglikelihood_rolling\n"
                + "metrics: [perplexity, bits_per_byte]\n");
        EvalTask copy = load("copy", """
                task: copy
                data: {generator: copy-reverse, params: {count: 4, words: 4, seed: 3}}
                output_type: generate_until
                prompt: "{{mode}}: {{text}} =>"
                generation: {until: ["\\n"], max_tokens: 60}
                target: "{{target}}"
                metrics: [bleu, rouge1, rougeL]
                """);
        TestModels.BigramModel model = new TestModels.BigramModel("ckpt", TRAINING);
        for (var doc : copy.docs()) {
            // a model that copies but never reverses
            model.script(doc.get("mode").asText() + ": " + doc.get("text").asText() + " =>", " " + doc.get("text").asText() + "\n");
        }
        List<Duration> etas = new ArrayList<>();
        List<Map<String, ?>> events = new ArrayList<>();
        EvalListener listener = new EvalListener() {
            @Override
            public void progress(EvalTask task, int done, int total, Duration eta) {
                etas.add(eta);
            }
        };
        try (EvalCache cache = EvalCache.open(dir.resolve("r1wb.db"))) {
            List<TaskReport> reports = new EvalRunner(cache, Metrics.builtIn(), listener, (type, fields) -> events.add(fields))
                    .run(model, CHARS, "ckpt", List.of(mc, prose, copy), EvalSettings.defaults().withBatchSize(2), () -> false);

            Map<String, EvalResult> mcResults = byMetric(reports.get(0));
            // the expected picks, from the model's own scores of each choice (context + " " + choice)
            int acc = 0;
            int accNorm = 0;
            for (var doc : mc.docs()) {
                String context = doc.get("q").asText();
                double[] nll = new double[2];
                for (int c = 0; c < 2; c++) {
                    double[] pair = model.nll(new int[][] {(context + " " + doc.get("choices").get(c).asText()).chars().toArray(),
                        context.chars().toArray()});
                    nll[c] = pair[0] - pair[1];
                }
                int gold = doc.get("label").asInt();
                int[] bytes = {doc.get("choices").get(0).asText().length(), doc.get("choices").get(1).asText().length()};
                acc += (nll[gold] < nll[1 - gold]) ? 1 : 0;
                accNorm += (nll[gold] / bytes[gold] < nll[1 - gold] / bytes[1 - gold]) ? 1 : 0;
            }
            assertThat(acc).as("the fixture has right and wrong answers").isBetween(1, 2);
            assertThat(accNorm).as("and acc_norm disagrees with acc on one").isNotEqualTo(acc);
            assertThat(mcResults.get("acc").value()).isCloseTo(acc / 3.0, within(1e-12));
            assertThat(mcResults.get("acc_norm").value()).isCloseTo(accNorm / 3.0, within(1e-12));

            Map<String, EvalResult> proseResults = byMetric(reports.get(1));
            double nll = 0;
            int tokens = 0;
            int bytes = 0;
            for (String text : List.of("the cat sat on the mat.", "a dog sat.")) {
                int[] ids = ("\0" + text).chars().toArray();
                nll += model.nll(new int[][] {ids})[0];
                tokens += ids.length - 1;
                bytes += text.length();
            }
            assertThat(proseResults.get("perplexity").value()).isCloseTo(Math.exp(nll / tokens), within(1e-9));
            assertThat(proseResults.get("bits_per_byte").value()).isCloseTo(nll / bytes / Math.log(2), within(1e-9));

            Map<String, EvalResult> copyResults = byMetric(reports.get(2));
            assertThat(copyResults.get("rouge1").value()).as("a reversal has every word").isCloseTo(1.0, within(1e-12));
            assertThat(copyResults.get("rougeL").value()).isLessThan(1.0).isGreaterThan(0.25);
            assertThat(copyResults.get("bleu").value()).isLessThan(100).isGreaterThan(40);
            assertThat(copyResults.get("bleu").stderr()).isGreaterThan(0);
            assertThat(reports.get(2).samples()).hasSize(4);
            assertThat(reports.get(2).samples().get(0).output()).isEqualTo(" " + copy.docs().get(0).get("text").asText());

            assertThat(etas).isNotEmpty().last().isEqualTo(Duration.ZERO);
            assertThat(events).hasSize(7).allMatch(e -> e.get("cached").equals(false) && e.get("checkpoint").equals("ckpt"));
        }
    }

    @Test
    void passAtKRunsEachCandidateInItsOwnProcess() throws IOException {
        Files.writeString(dir.resolve("code.jsonl"), """
                {"code": "static int twice(int x) {", "tests": "check(twice(2) == 4); check(twice(-3) == -6);"}
                {"code": "static int inc(int x) {", "tests": "check(inc(1) == 2);"}
                """);
        EvalTask code = load("code", """
                task: code
                data: {file: code.jsonl}
                output_type: generate_until
                prompt: "{{code}}"
                target: ""
                generation: {until: ["\\n}"], max_tokens: 30, temperature: 0.8, samples: 3, seed: 1}
                metrics: [{name: pass_at_k, k: 1}, {name: pass_at_k, k: 2}]
                check: {language: java, program: "{{code}}{{completion}}\\n}", tests: tests, timeout_ms: 6000}
                """);
        TestModels.BigramModel model = new TestModels.BigramModel("ckpt", TRAINING)
                .script("static int twice(int x) {", " return 2 * x;\n}", " return x + 2;\n}", " return x << 1;\n}")
                .script("static int inc(int x) {", " return x;\n}", " while (true) { }", " return x +;\n}");
        try (EvalCache cache = EvalCache.open(dir.resolve("r1wb.db"))) {
            TaskReport report = new EvalRunner(cache, Metrics.builtIn(), EvalListener.NONE, (t, f) -> { })
                    .run(model, CHARS, "ckpt", List.of(code), EvalSettings.defaults(), () -> false).get(0);

            // which scripted output each sample got follows from its seed; count the passing ones per problem
            List<SampleRecord> samples = report.samples();
            assertThat(samples).hasSize(2);
            int passesTwice = 0;
            long seedBase = 1 * 1_000_003L;
            for (int i = 0; i < 3; i++) {
                int pick = (int) Math.floorMod(seedBase + i, 3L);
                passesTwice += pick == 1 ? 0 : 1;
            }
            double expected1 = (PassAtK.estimate(3, passesTwice, 1) + 0) / 2;
            double expected2 = (PassAtK.estimate(3, passesTwice, 2) + 0) / 2;
            Map<String, EvalResult> results = byMetric(report);
            assertThat(results.get("pass@1").value()).isCloseTo(expected1, within(1e-12));
            assertThat(results.get("pass@2").value()).isCloseTo(expected2, within(1e-12));
            assertThat(results.get("pass@1").stderr()).isCloseTo(expected1, within(1e-12));
        }
    }
}
