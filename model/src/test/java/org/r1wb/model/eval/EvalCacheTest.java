package org.r1wb.model.eval;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class EvalCacheTest {

    /** Characters as ids; end of text is 0. */
    private static final TextCodec CHARS = new TextCodec() {
        @Override
        public int[] encode(String text) {
            return text.chars().toArray();
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
            return "chars-v1";
        }
    };

    /**
     * A model that "knows" a fixed answer sheet: it continues a prompt with {@code #### answer}, and
     * assigns each next token probability 1/2. It counts its calls so tests see what was recomputed.
     */
    private static final class AnswerSheetModel implements EvalModel {
        private final String digest;
        private final java.util.Map<String, String> sheet;
        int calls;

        AnswerSheetModel(String digest, java.util.Map<String, String> sheet) {
            this.digest = digest;
            this.sheet = sheet;
        }

        @Override
        public String checkpointDigest() {
            return digest;
        }

        @Override
        public int maxSequenceLength() {
            return 256;
        }

        @Override
        public double[] nll(int[][] windows) {
            calls++;
            double[] out = new double[windows.length];
            for (int i = 0; i < windows.length; i++) {
                out[i] = (windows[i].length - 1) * Math.log(2);
            }
            return out;
        }

        @Override
        public int[] greedy(int[] prompt, int maxNewTokens, int... stopIds) {
            calls++;
            String question = new String(prompt, 0, prompt.length).strip();
            String answer = "work\n#### " + sheet.getOrDefault(question, "?");
            int[] ids = answer.getBytes(StandardCharsets.UTF_8).length > maxNewTokens
                    ? answer.substring(0, maxNewTokens).chars().toArray() : answer.chars().toArray();
            return ids;
        }

        @Override
        public void close() {
        }
    }

    private final List<ExactMatchTask.Problem> problems = List.of(
            new ExactMatchTask.Problem("1+1?", "2"), new ExactMatchTask.Problem("2+2?", "4"),
            new ExactMatchTask.Problem("3+3?", "6"), new ExactMatchTask.Problem("4+4?", "8"));
    private final java.util.Map<String, String> threeRight = java.util.Map.of("1+1?", "2", "2+2?", "4", "3+3?", "6", "4+4?", "9");

    @Test
    void computesExactMatchAndPerplexityAndServesTheRerunFromTheStore(@TempDir Path dir) {
        Path db = dir.resolve("r1wb.db");
        List<EvalTask> tasks = List.of(new ExactMatchTask("arith", problems, CHARS, 32),
                new PerplexityTask("heldout", new int[][] {{1, 2, 3, 4, 5}, {5, 4, 3}}));
        AnswerSheetModel model = new AnswerSheetModel("ckpt-a", threeRight);

        List<EvalResult> first;
        try (EvalCache cache = EvalCache.open(db)) {
            first = new EvalRunner(cache).run(model, tasks, new Recorder(), () -> false);
        }
        int callsAfterFirst = model.calls;
        List<EvalResult> second;
        try (EvalCache cache = EvalCache.open(db)) {
            second = new EvalRunner(cache).run(model, tasks, new Recorder(), () -> false);
        }

        assertThat(first.get(0).metric()).isEqualTo("exact_match");
        assertThat(first.get(0).value()).isEqualTo(0.75);
        assertThat(first.get(0).stderr()).isCloseTo(Math.sqrt(0.75 * 0.25 / 4), within(1e-12));
        assertThat(first.get(1).value()).isCloseTo(2.0, within(1e-9));
        assertThat(first).noneMatch(EvalResult::cached);
        assertThat(model.calls).isEqualTo(callsAfterFirst);
        assertThat(second).allMatch(EvalResult::cached);
        assertThat(second).extracting(EvalResult::value).containsExactlyElementsOf(
                first.stream().map(EvalResult::value).toList());
    }

    @Test
    void anotherCheckpointOrSettingOrDataNeverSharesAnAnswer(@TempDir Path dir) {
        Path db = dir.resolve("r1wb.db");
        AnswerSheetModel a = new AnswerSheetModel("ckpt-a", threeRight);
        AnswerSheetModel b = new AnswerSheetModel("ckpt-b", java.util.Map.of());
        ExactMatchTask task = new ExactMatchTask("arith", problems, CHARS, 32);
        try (EvalCache cache = EvalCache.open(db)) {
            EvalRunner runner = new EvalRunner(cache);
            double scoreA = runner.run(a, List.of(task), new Recorder(), () -> false).get(0).value();
            Recorder recorder = new Recorder();
            double scoreB = runner.run(b, List.of(task), recorder, () -> false).get(0).value();
            assertThat(scoreA).isEqualTo(0.75);
            assertThat(scoreB).isZero();
            assertThat(recorder.cached).containsExactly(false);

            Recorder longer = new Recorder();
            runner.run(a, List.of(new ExactMatchTask("arith", problems, CHARS, 33)), longer, () -> false);
            Recorder otherData = new Recorder();
            runner.run(a, List.of(new ExactMatchTask("arith", problems.subList(0, 3), CHARS, 32)), otherData, () -> false);
            assertThat(longer.cached).containsExactly(false);
            assertThat(otherData.cached).containsExactly(false);
            assertThat(cache.size()).isEqualTo(4);
        }
    }

    @Test
    void extractsTheFirstHashAnswer() {
        assertThat(ExactMatchTask.extractAnswer("3 + 4 = 7\n#### 7\n#### 8")).isEqualTo("7");
        assertThat(ExactMatchTask.extractAnswer("no answer here")).isNull();
        assertThat(ExactMatchTask.extractAnswer("####-12")).isEqualTo("-12");
    }

    @Test
    void aFileThatIsNotADatabaseGetsAClearMessage(@TempDir Path dir) throws Exception {
        Path bogus = dir.resolve("r1wb.db");
        java.nio.file.Files.writeString(bogus, "this is not sqlite ".repeat(200));

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> EvalCache.open(bogus).close())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(bogus.toString());
    }

    private static final class Recorder implements EvalRunner.Listener {
        final List<Boolean> cached = new ArrayList<>();

        @Override
        public void taskStarted(EvalTask task, boolean fromCache) {
            cached.add(fromCache);
        }

        @Override
        public void progress(EvalTask task, int done, int total) {
        }

        @Override
        public void taskFinished(EvalTask task, List<EvalResult> results) {
        }
    }
}
