package org.r1wb.views.dashboard;

import org.r1wb.views.chart.MetricSeries;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.TreeMap;

/**
 * Writes series as one CSV table: a {@code step} column with every x of any series, ascending, and one
 * column per series (empty where it has no point at that step). The raw values, never the smoothed ones;
 * written to a temporary file and renamed, so a crash leaves no half file.
 */
public final class DashboardCsv {

    private DashboardCsv() {
    }

    /** Writes {@code series} to {@code file}. */
    public static void write(List<MetricSeries> series, Path file) throws IOException {
        TreeMap<Double, String[]> rows = new TreeMap<>();
        for (int s = 0; s < series.size(); s++) {
            MetricSeries one = series.get(s);
            for (int i = 0; i < one.size(); i++) {
                rows.computeIfAbsent(one.x(i), x -> new String[series.size()])[s] = Double.toString(one.y(i));
            }
        }
        Path target = file.toAbsolutePath();
        Files.createDirectories(target.getParent());
        Path temp = target.resolveSibling(target.getFileName() + ".tmp");
        try (Writer out = Files.newBufferedWriter(temp, StandardCharsets.UTF_8)) {
            out.write("step");
            for (MetricSeries one : series) {
                out.write(',');
                out.write(one.name().replace(',', ' '));
            }
            out.write('\n');
            for (var row : rows.entrySet()) {
                double x = row.getKey();
                out.write(x == Math.rint(x) ? Long.toString((long) x) : Double.toString(x));
                for (String cell : row.getValue()) {
                    out.write(',');
                    if (cell != null) {
                        out.write(cell);
                    }
                }
                out.write('\n');
            }
        }
        Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
