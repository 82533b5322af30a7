package org.r1wb.views.dashboard;

import javafx.application.Platform;
import javafx.scene.Parent;
import javafx.scene.Scene;
import javafx.scene.layout.StackPane;
import org.r1wb.views.chart.AxisRange;
import org.r1wb.views.chart.MetricChart;
import org.r1wb.views.chart.MetricChartSkin;
import org.r1wb.views.chart.MetricSeries;
import org.r1wb.views.snapshot.Snapshots;
import org.r1wb.views.routing.RoutingHistory;
import org.r1wb.views.routing.RoutingLoadHeatmap;
import org.r1wb.views.routing.RoutingSample;
import org.r1wb.views.routing.TokenHeatmap;
import org.r1wb.views.routing.TokenRouting;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Callable;

/**
 * Benchmark of the inspection views (run by {@code bench/inspect/run.sh}, headless Monocle, software renderer):
 * redraws per second of a 64-expert × 4096-token heatmap (and a 64 × 4096-step load heatmap), each redraw a layer
 * change that rewrites the whole image, laid out and rendered to pixels; the redraw time of one chart with 10 series
 * of 100 000 points; and that of the dashboard with 100 000 points per series. With an argument, writes the chart and
 * the dashboard as PNGs into that folder (to look at).
 */
public final class InspectBenchmark {

    private static final int EXPERTS = 64;
    private static final int TOKENS = 4096;
    private static final int FRAMES = 120;
    private static final int POINTS = 100_000;
    private static final int CHART_SERIES = 10;
    private static final int CHART_REDRAWS = 100;
    /** Appends redrawn unmeasured first: a live chart redraws for hours, so its steady (compiled) cost is the one to know. */
    private static final int CHART_WARM_UP = 300;
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private InspectBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Platform.startup(() -> { });
        Path pictures = args.length > 0 ? Path.of(args[0]) : null;
        tokenHeatmap();
        loadHeatmap();
        chart(pictures);
        dashboard(pictures);
        Platform.exit();
    }

    private static void tokenHeatmap() throws Exception {
        TokenHeatmap heatmap = onFx(TokenHeatmap::new);
        Random random = new Random(1);
        List<String> tokens = new ArrayList<>();
        for (int t = 0; t < TOKENS; t++) {
            tokens.add("t" + t);
        }
        onFx(() -> {
            for (int layer = 0; layer < 2; layer++) {
                double[][] w = new double[TOKENS][EXPERTS];
                for (double[] row : w) {
                    for (int e = 0; e < EXPERTS; e++) {
                        row[e] = random.nextDouble() / EXPERTS;
                    }
                }
                heatmap.getMatrices().put(layer, new TokenRouting(1, layer, tokens, w));
            }
            return null;
        });
        frames("token heatmap 64 experts x 4096 tokens", heatmap, () -> heatmap.layerProperty().set(1 - heatmap.layerProperty().get()));
    }

    private static void loadHeatmap() throws Exception {
        RoutingLoadHeatmap heatmap = onFx(RoutingLoadHeatmap::new);
        RoutingHistory history = new RoutingHistory();
        Random random = new Random(2);
        List<RoutingSample> samples = new ArrayList<>();
        for (int step = 0; step < TOKENS; step++) {
            for (int layer = 0; layer < 2; layer++) {
                double[] load = new double[EXPERTS];
                double[] bias = new double[EXPERTS];
                for (int e = 0; e < EXPERTS; e++) {
                    load[e] = random.nextDouble() * 2 / EXPERTS;
                    bias[e] = random.nextGaussian() * 0.01;
                }
                samples.add(new RoutingSample(step, layer, load, 0.3, 4.0, bias));
            }
        }
        onFx(() -> {
            history.addAll(samples);
            heatmap.historyProperty().set(history);
            return null;
        });
        frames("load heatmap 64 experts x 4096 steps", heatmap, () -> heatmap.layerProperty().set(1 - heatmap.layerProperty().get()));
    }

    /** Times {@link #FRAMES} redraws, each a change, a layout and a render of the whole scene to pixels. */
    private static void frames(String name, Parent view, Runnable change) throws Exception {
        Scene scene = onFx(() -> new Scene(new StackPane(view), 1200, 700));
        onFx(() -> scene.snapshot(null));
        long[] paintNanos = new long[FRAMES];
        long[] frameNanos = new long[FRAMES];
        onFx(() -> {
            for (int i = 0; i < FRAMES; i++) {
                long t0 = System.nanoTime();
                change.run();
                scene.getRoot().applyCss();
                scene.getRoot().layout();
                long t1 = System.nanoTime();
                scene.snapshot(null);
                long t2 = System.nanoTime();
                paintNanos[i] = t1 - t0;
                frameNanos[i] = t2 - t0;
            }
            return null;
        });
        System.out.printf(Locale.ROOT, "%s: image + canvas %.2f ms median; with software rendering of the 1200x700 scene %.2f ms median, %.0f fps%n",
                name, median(paintNanos), median(frameNanos), 1000 / median(frameNanos));
    }

    /**
     * One chart, {@link #CHART_SERIES} series of {@link #POINTS} points, 1400 × 500: the FX thread's time to redraw
     * it (decimation and canvas commands, in layout) after one new point on every series, after a zoom, and after
     * toggling smoothing; and the same including a software render of the scene.
     */
    private static void chart(Path pictures) throws Exception {
        MetricChart chart = onFx(MetricChart::new);
        List<MetricSeries> all = new ArrayList<>();
        Random random = new Random(4);
        for (int s = 0; s < CHART_SERIES; s++) {
            MetricSeries series = new MetricSeries("run " + s + " loss");
            double[] x = new double[POINTS];
            double[] y = new double[POINTS];
            for (int i = 0; i < POINTS; i++) {
                x[i] = i + 1;
                y[i] = (6 + s * 0.3) * Math.exp(-i / (15_000.0 + 2_000 * s)) + 0.3 + 0.05 * random.nextGaussian();
            }
            series.appendAll(x, y);
            all.add(series);
        }
        Scene scene = onFx(() -> {
            chart.titleProperty().set("10 runs x 100 000 steps");
            chart.yAxisLabelProperty().set("loss");
            chart.getSeries().setAll(all);
            return new Scene(new StackPane(chart), 1400, 500);
        });
        onFx(() -> scene.snapshot(null));
        long[] appendCpu = new long[CHART_REDRAWS];
        long[] append = new long[CHART_REDRAWS];
        long[] appendRendered = new long[CHART_REDRAWS];
        long[] zoom = new long[CHART_REDRAWS];
        long[] zoomCpu = new long[CHART_REDRAWS];
        long[] smooth = new long[CHART_REDRAWS];
        long[] smoothCpu = new long[CHART_REDRAWS];
        onFx(() -> {
            MetricChartSkin skin = (MetricChartSkin) chart.getSkin();
            for (int i = 0; i < CHART_WARM_UP; i++) {
                double step = POINTS + (i + 1) / (double) (CHART_WARM_UP + 1);
                laidOut(scene, () -> all.forEach(series -> series.append(step, series.lastY())));
            }
            for (int i = 0; i < CHART_REDRAWS; i++) {
                double step = POINTS + i + 1;
                long cpu = THREADS.getCurrentThreadCpuTime();
                append[i] = laidOut(scene, () -> all.forEach(series -> series.append(step, series.lastY())));
                appendCpu[i] = THREADS.getCurrentThreadCpuTime() - cpu;
                long t0 = System.nanoTime();
                all.forEach(series -> series.append(step + 0.5, series.lastY()));
                scene.getRoot().applyCss();
                scene.getRoot().layout();
                scene.snapshot(null);
                appendRendered[i] = System.nanoTime() - t0;
            }
            // each kind of change on its own: a zoom or smoothing left on would make the appends pay for them
            for (int i = 0; i < CHART_REDRAWS; i++) {
                double from = 1000 * (i + 1);
                long cpu = THREADS.getCurrentThreadCpuTime();
                zoom[i] = laidOut(scene, () -> skin.zoomTo(new AxisRange(from, from + 40_000), null));
                zoomCpu[i] = THREADS.getCurrentThreadCpuTime() - cpu;
            }
            skin.resetView();
            for (int i = 0; i < CHART_REDRAWS; i++) {
                long cpu = THREADS.getCurrentThreadCpuTime();
                smooth[i] = laidOut(scene, () -> chart.smoothingProperty().set(chart.smoothingProperty().get() > 0 ? 0 : 0.9));
                smoothCpu[i] = THREADS.getCurrentThreadCpuTime() - cpu;
            }
            chart.smoothingProperty().set(0);
            return null;
        });
        System.out.printf(Locale.ROOT, "chart, %d series of %,d points (%,d in all), 1400x500: redraw after a new point on every series "
                        + "%.1f ms median (FX thread CPU time %.1f ms; %.1f ms with software rendering of the scene); after a zoom (full re-decimation) %.1f ms "
                        + "(CPU %.1f ms); after toggling smoothing on and off (EMA of every point, then decimation) %.1f ms (CPU %.1f ms); "
                        + "points kept %,d per series (after %d unmeasured appends)%n",
                CHART_SERIES, POINTS, CHART_SERIES * POINTS, median(append), median(appendCpu), median(appendRendered), median(zoom), median(zoomCpu), median(smooth), median(smoothCpu),
                all.get(0).size(), CHART_WARM_UP);
        if (pictures != null) {
            onFx(() -> {
                Snapshots.writePng(scene, pictures.resolve("chart.png"));
                return null;
            });
        }
    }

    /** Nanoseconds for {@code change} plus the CSS and layout pass that redraws the chart (on the FX thread). */
    private static long laidOut(Scene scene, Runnable change) {
        long t0 = System.nanoTime();
        change.run();
        scene.getRoot().applyCss();
        scene.getRoot().layout();
        return System.nanoTime() - t0;
    }

    private static void dashboard(Path pictures) throws Exception {
        DashboardData data = new DashboardData();
        RunDashboard dashboard = onFx(() -> new RunDashboard(data));
        // the chart stylesheet uses the AtlantaFX theme's looked-up colours, which the workbench provides
        dashboard.setStyle("-color-accent-4: #218bff; -color-chart-1: #e16d2d; -color-chart-3: #2ea44f; -color-chart-6: #8250df;"
                + " -color-bg-default: white; -color-border-muted: #d8dee4; -color-fg-default: #1f2328;"
                + " -color-fg-muted: #656d76; -color-fg-subtle: #6e7781;");
        Scene scene = onFx(() -> new Scene(dashboard, 1400, 860));
        onFx(() -> {
            double[] x = new double[POINTS];
            Random random = new Random(3);
            double[][] ys = new double[9][POINTS];
            for (int i = 0; i < POINTS; i++) {
                x[i] = i + 1;
                ys[0][i] = 6 * Math.exp(-i / 20_000.0) + 0.3 + 0.05 * random.nextGaussian();
                ys[1][i] = 3e-3 * Math.min(1, i / 2000.0) * (0.55 + 0.45 * Math.cos(Math.PI * i / POINTS));
                ys[2][i] = Math.abs(1 + 0.3 * random.nextGaussian());
                ys[3][i] = 1e4 + 500 * random.nextGaussian();
                ys[4][i] = 1 + 0.02 * Math.abs(random.nextGaussian());
                for (int l = 0; l < 4; l++) {
                    ys[5 + l][i] = 2 - 0.3 * i / POINTS + 0.01 * l;
                }
            }
            data.loss().appendAll(x, ys[0]);
            data.learningRate().appendAll(x, ys[1]);
            data.gradNorm().appendAll(x, ys[2]);
            data.tokensPerSecond().appendAll(x, ys[3]);
            data.auxLoss().appendAll(x, ys[4]);
            for (int l = 0; l < 4; l++) {
                data.entropy(l).appendAll(x, ys[5 + l]);
            }
            return null;
        });
        int series = data.all().size();
        drain();
        onFx(() -> scene.snapshot(null));
        List<Double> toggles = new ArrayList<>();
        List<Double> appends = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            toggles.add(timed(scene, () -> dashboard.logScaleProperty().set(!dashboard.logScaleProperty().get())));
            double step = POINTS + i + 1;
            appends.add(timed(scene, () -> {
                for (MetricSeries s : List.of(data.loss(), data.learningRate(), data.gradNorm(), data.tokensPerSecond(), data.auxLoss())) {
                    s.append(step, s.lastY());
                }
            }));
        }
        System.out.printf(Locale.ROOT, "dashboard, %d series of %,d points (%,d in all): redraw after a new point on each series %.0f ms median, "
                        + "after toggling log scale (every shown point recomputed) %.0f ms median; points kept %,d%n",
                series, POINTS, series * POINTS, median(appends), median(toggles), data.loss().size());
        if (pictures != null) {
            onFx(() -> {
                Snapshots.writePng(scene, pictures.resolve("dashboard.png"));
                return null;
            });
        }
    }

    /** Milliseconds from {@code change} until the charts have redrawn (their own queued redraws ran) and the scene is rendered. */
    private static double timed(Scene scene, Runnable change) throws Exception {
        long[] start = new long[1];
        CompletableFuture<Long> done = new CompletableFuture<>();
        Platform.runLater(() -> {
            start[0] = System.nanoTime();
            change.run();
            // queued after the charts' own redraw requests, so it runs once they have redrawn
            Platform.runLater(() -> {
                scene.snapshot(null);
                done.complete(System.nanoTime());
            });
        });
        return (done.get() - start[0]) / 1e6;
    }

    private static void drain() throws Exception {
        onFx(() -> null);
    }

    private static double median(long[] nanos) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2] / 1e6;
    }

    private static double median(List<Double> millis) {
        List<Double> sorted = new ArrayList<>(millis);
        Collections.sort(sorted);
        return sorted.get(sorted.size() / 2);
    }

    private static <T> T onFx(Callable<T> task) throws Exception {
        CompletableFuture<T> result = new CompletableFuture<>();
        Platform.runLater(() -> {
            try {
                result.complete(task.call());
            } catch (Exception | Error e) {
                result.completeExceptionally(e);
            }
        });
        return result.get();
    }
}
