package org.r1wb.views.dashboard;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.r1wb.views.chart.MetricSeries;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class SeriesTransformTest {

    @Test
    void smoothingIsADebiasedMovingAverage() {
        SeriesTransform.Running ema = new SeriesTransform(0.5, false).start();
        assertThat(ema.next(4)).isEqualTo(4);
        // (0.5·0.5·4 + 0.5·2) / (1 − 0.25) = 2.6667
        assertThat(ema.next(2)).isCloseTo(2.0 / 0.75, within(1e-12));
        assertThat(ema.next(Double.NaN)).isNaN();
    }

    @Test
    void logScaleDropsNonPositiveValues() {
        SeriesTransform.Running log = new SeriesTransform(0, true).start();
        assertThat(log.next(1000)).isCloseTo(3, within(1e-12));
        assertThat(log.next(0)).isNaN();
        assertThatThrownBy(() -> new SeriesTransform(1, false)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void displayedSeriesFollowsTheRawOneAndKeepsItWhole() {
        MetricSeries raw = new MetricSeries("loss");
        raw.appendAll(new double[] {1, 2}, new double[] {10, 100});
        try (DisplayedSeries shown = new DisplayedSeries(raw, new SeriesTransform(0, true))) {
            raw.append(3, 1000);
            assertThat(shown.shown().size()).isEqualTo(3);
            assertThat(shown.shown().y(2)).isCloseTo(3, within(1e-12));
            assertThat(shown.setTransform(SeriesTransform.NONE)).isTrue();
            assertThat(shown.shown().y(1)).isEqualTo(100);
            assertThat(shown.setTransform(SeriesTransform.NONE)).isFalse();
            assertThat(raw.y(2)).isEqualTo(1000);
        }
        raw.append(4, 1);
        assertThat(raw.size()).isEqualTo(4);
    }

    @Test
    void csvJoinsSeriesOnTheirSteps(@TempDir Path dir) throws IOException {
        MetricSeries loss = new MetricSeries("loss");
        loss.appendAll(new double[] {1, 2}, new double[] {6.5, 6.25});
        MetricSeries val = new MetricSeries("val_loss");
        val.append(2, 6.75);
        Path file = dir.resolve("out/metrics.csv");
        DashboardCsv.write(List.of(loss, val), file);
        assertThat(Files.readAllLines(file)).containsExactly("step,loss,val_loss", "1,6.5,", "2,6.25,6.75");
    }
}
