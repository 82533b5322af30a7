package org.r1wb.workbench.properties;

import org.r1wb.model.run.EventJournal;
import org.r1wb.model.run.RunEvent;
import org.r1wb.model.spec.ModelEstimates;
import org.r1wb.model.spec.ModelSpec;
import org.r1wb.model.spec.ModelSpecs;
import org.r1wb.pipeline.spec.PipelineSpec;
import org.r1wb.workbench.workspace.ItemKind;
import org.r1wb.workbench.workspace.WorkspaceItem;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * The properties of a project-tree entry: where it is, its size and age, and what its kind says about it — a
 * run's state, steps and last loss, a model's parameter counts, a pipeline's node count. Reads files, so call it
 * off the FX thread; a file that cannot be read gives a "Problem" row instead of an exception.
 */
public final class ItemProperties {

    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")
            .withZone(ZoneId.systemDefault());

    private ItemProperties() {
    }

    /** Every row for {@code item}, the file section first. */
    public static List<ItemProperty> of(WorkspaceItem item) {
        List<ItemProperty> rows = new ArrayList<>();
        rows.add(new ItemProperty("File", "Name", item.detail().isEmpty() ? item.label() : item.detail()));
        rows.add(new ItemProperty("File", "Kind", kindName(item.kind())));
        rows.add(new ItemProperty("File", "Path", item.path().toString()));
        Path path = item.path();
        if (!Files.exists(path)) {
            rows.add(new ItemProperty("File", "Size", "not on disk yet"));
            return rows;
        }
        try {
            BasicFileAttributes attributes = Files.readAttributes(path, BasicFileAttributes.class);
            rows.add(new ItemProperty("File", "Size", bytes(attributes.isDirectory() ? folderSize(path)
                    : attributes.size())));
            rows.add(new ItemProperty("File", "Modified", WHEN.format(attributes.lastModifiedTime().toInstant())));
            switch (item.kind()) {
                case PIPELINE -> pipeline(path, rows);
                case MODEL -> model(path, rows);
                case RUN -> run(path, rows);
                case GROUP, WORKSPACE -> rows.add(new ItemProperty("Contents", "Entries",
                        String.valueOf(item.children().size())));
                default -> { }
            }
        } catch (IOException | UncheckedIOException | IllegalArgumentException e) {
            rows.add(new ItemProperty("Problem", "Cannot read", e.getMessage()));
        }
        return rows;
    }

    private static void pipeline(Path file, List<ItemProperty> rows) throws IOException {
        PipelineSpec spec = PipelineSpec.read(file);
        rows.add(new ItemProperty("Pipeline", "Name", spec.name()));
        rows.add(new ItemProperty("Pipeline", "Nodes", String.valueOf(spec.nodes().size())));
        rows.add(new ItemProperty("Pipeline", "Edges", String.valueOf(spec.edges().size())));
    }

    private static void model(Path file, List<ItemProperty> rows) throws IOException {
        ModelSpec spec = ModelSpecs.load(file);
        ModelEstimates estimates = ModelEstimates.of(spec);
        rows.add(new ItemProperty("Model", "Layers", String.valueOf(spec.layers())));
        rows.add(new ItemProperty("Model", "d_model", String.valueOf(spec.dModel())));
        rows.add(new ItemProperty("Model", "Experts", spec.moe() == null ? "dense"
                : spec.moe().routedExperts() + " routed, top-" + spec.moe().topK()));
        rows.add(new ItemProperty("Model", "Total parameters", count(estimates.totalParams())));
        rows.add(new ItemProperty("Model", "Active parameters", count(estimates.activeParamsPerToken())));
        rows.add(new ItemProperty("Model", "Training memory", bytes(estimates.trainingStateBytes())));
    }

    private static void run(Path dir, List<ItemProperty> rows) throws IOException {
        Path journal = dir.resolve("events.jsonl");
        if (!Files.isRegularFile(journal)) {
            rows.add(new ItemProperty("Run", "State", "not started"));
            return;
        }
        String state = "unknown";
        double step = Double.NaN;
        double loss = Double.NaN;
        long started = -1;
        long last = -1;
        for (RunEvent event : EventJournal.read(journal)) {
            started = started < 0 ? event.t() : started;
            last = event.t();
            if ("status".equals(event.type()) && event.text("state") != null) {
                state = event.text("state");
            } else if ("metric".equals(event.type())) {
                step = Double.isNaN(event.number("step")) ? step : event.number("step");
                loss = Double.isNaN(event.number("loss")) ? loss : event.number("loss");
            }
        }
        rows.add(new ItemProperty("Run", "State", state));
        rows.add(new ItemProperty("Run", "Steps", Double.isNaN(step) ? "none yet" : String.valueOf((long) step)));
        rows.add(new ItemProperty("Run", "Last loss", Double.isNaN(loss) ? "none yet"
                : String.format(Locale.ROOT, "%.4f", loss)));
        if (started >= 0) {
            rows.add(new ItemProperty("Run", "Started", WHEN.format(Instant.ofEpochMilli(started))));
            rows.add(new ItemProperty("Run", "Last event", WHEN.format(Instant.ofEpochMilli(last))));
        }
    }

    private static long folderSize(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).mapToLong(file -> {
                try {
                    return Files.size(file);
                } catch (IOException e) {
                    // a file removed while we walk: it no longer counts
                    return 0;
                }
            }).sum();
        }
    }

    private static String kindName(ItemKind kind) {
        return switch (kind) {
            case WORKSPACE -> "workspace";
            case GROUP -> "folder";
            case PIPELINE -> "pipeline";
            case MODEL -> "model";
            case RECIPE -> "recipe";
            case RUN -> "training run";
            case EVAL -> "evaluation file";
            case EVALUATIONS -> "evaluation results";
        };
    }

    /** 1 234 567 → "1.23 M". */
    static String count(long n) {
        if (n >= 1_000_000_000L) {
            return String.format(Locale.ROOT, "%.2f B (%,d)", n / 1e9, n);
        }
        if (n >= 1_000_000L) {
            return String.format(Locale.ROOT, "%.2f M (%,d)", n / 1e6, n);
        }
        return String.format(Locale.ROOT, "%,d", n);
    }

    static String bytes(long n) {
        if (n >= 1L << 30) {
            return String.format(Locale.ROOT, "%.1f GiB", n / (double) (1L << 30));
        }
        if (n >= 1L << 20) {
            return String.format(Locale.ROOT, "%.1f MiB", n / (double) (1L << 20));
        }
        if (n >= 1L << 10) {
            return String.format(Locale.ROOT, "%.1f KiB", n / 1024.0);
        }
        return n + " B";
    }
}
