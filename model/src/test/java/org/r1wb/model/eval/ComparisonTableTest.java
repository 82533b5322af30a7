package org.r1wb.model.eval;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ComparisonTableTest {

    @TempDir
    Path dir;

    private static EvalResult result(String task, String metric, double value) {
        return new EvalResult(task, metric, value, 0.01, 10, false);
    }

    /** Stores {@code results} as checkpoint {@code digest}'s, the way the runner does. */
    private static void store(EvalCache cache, String digest, EvalResult... results) {
        for (EvalResult result : results) {
            cache.putResults(digest + "/" + result.task() + "/" + result.metric(), digest, digest + "@1",
                    "task-digest", "{}", List.of(result));
        }
    }

    @Test
    void groupsByTaskAndMetricAndMarksEveryTiedBestByTheMetricsDirection() {
        try (EvalCache cache = EvalCache.open(dir.resolve("r1wb.db"))) {
            store(cache, "a", result("sums", "exact_match", 0.5), result("prose", "perplexity", 12.0),
                    result("same", "acc", 0.25), result("alone", "acc", 0.9));
            store(cache, "b", result("sums", "exact_match", 0.75), result("prose", "perplexity", 9.5),
                    result("same", "acc", 0.25));
            store(cache, "c", result("sums", "exact_match", 0.75), result("prose", "perplexity", 9.5000001),
                    result("same", "acc", 0.25));

            ComparisonTable table = ComparisonTable.read(cache, List.of("a", "b", "c", "never-evaluated"));

            assertThat(table.columns()).isEqualTo(4);
            assertThat(table.rows()).extracting(r -> r.task() + " " + r.metric()).containsExactlyInAnyOrder(
                    "sums exact_match", "prose perplexity", "same acc", "alone acc");
            ComparisonTable.Row sums = table.row("sums", "exact_match").orElseThrow();
            assertThat(sums.direction()).isEqualTo(MetricDirection.HIGHER_IS_BETTER);
            assertThat(sums.best()).as("two checkpoints tie for the best: both marked").containsExactlyInAnyOrder(1, 2);
            assertThat(sums.cell(0).orElseThrow().value()).isEqualTo(0.5);
            assertThat(sums.cell(3)).isEmpty();

            ComparisonTable.Row prose = table.row("prose", "perplexity").orElseThrow();
            assertThat(prose.direction()).isEqualTo(MetricDirection.LOWER_IS_BETTER);
            assertThat(prose.best()).containsExactly(1);
            assertThat(prose.isBest(2)).isFalse();

            assertThat(table.row("same", "acc").orElseThrow().best()).as("all equal: all best").containsExactlyInAnyOrder(0, 1, 2);
            assertThat(table.row("alone", "acc").orElseThrow().best()).as("nothing to compare with").isEmpty();
            assertThat(table.tasks()).containsExactlyInAnyOrder("sums", "prose", "same", "alone");
        }
    }

    @Test
    void notANumberIsNeverBest() {
        EvalCache.StoredResult nan = new EvalCache.StoredResult("a", "a@1", "t", "acc", Double.NaN, 0, 1, 1);
        EvalCache.StoredResult low = new EvalCache.StoredResult("b", "b@1", "t", "acc", 0.1, 0, 1, 1);
        EvalCache.StoredResult high = new EvalCache.StoredResult("c", "c@1", "t", "acc", 0.2, 0, 1, 1);

        assertThat(ComparisonTable.of(List.of(List.of(nan), List.of(low), List.of(high))).rows().get(0).best())
                .containsExactly(2);
        assertThat(ComparisonTable.of(List.of(List.of(nan), List.of(low))).rows().get(0).best())
                .as("one number left: nothing compared").isEmpty();
    }
}
