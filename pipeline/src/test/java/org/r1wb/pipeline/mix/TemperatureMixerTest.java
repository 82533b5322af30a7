package org.r1wb.pipeline.mix;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TemperatureMixerTest {

    @Test
    void realisedProportionsFollowSizeToTheOneOverT() {
        int[] sizes = {60_000, 6_000, 600};
        List<List<String>> sources = new ArrayList<>();
        for (int s = 0; s < sizes.length; s++) {
            List<String> docs = new ArrayList<>();
            for (int i = 0; i < sizes[s]; i++) {
                docs.add(s + ":" + i);
            }
            sources.add(docs);
        }
        for (double t : new double[] {1.0, 2.0, 5.0}) {
            List<String> mixed = new TemperatureMixer(t).mix(sources, 100_000, 7);
            Map<String, Integer> bySource = new HashMap<>();
            mixed.forEach(d -> bySource.merge(d.substring(0, d.indexOf(':')), 1, Integer::sum));
            double norm = 0;
            for (int size : sizes) {
                norm += Math.pow(size, 1 / t);
            }
            assertThat(mixed).hasSize(100_000);
            for (int s = 0; s < sizes.length; s++) {
                double expected = Math.pow(sizes[s], 1 / t) / norm;
                double realised = bySource.get(Integer.toString(s)) / 100_000.0;
                assertThat(realised).as("source %d at T=%s", s, t).isCloseTo(expected, within(0.01 * expected));
            }
        }
    }

    @Test
    void smallSourcesAreRepeatedWholeBeforeAnyDocumentRepeatsTwice() {
        List<String> mixed = new TemperatureMixer(1000).mix(List.of(List.of("a", "b", "c"), List.of("x")), 9, 1);
        Map<String, Integer> counts = new HashMap<>();
        mixed.forEach(d -> counts.merge(d, 1, Integer::sum));
        // nearly uniform weights: 4.5 documents each → quotas 5 and 4 (or 4 and 5)
        assertThat(counts.get("x")).isBetween(4, 5);
        assertThat(counts.get("a") + counts.get("b") + counts.get("c")).isEqualTo(9 - counts.get("x"));
        assertThat(List.of(counts.get("a"), counts.get("b"), counts.get("c"))).allMatch(c -> c >= 1 && c <= 2);
    }
}
