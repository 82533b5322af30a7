package org.r1wb.agent;

import org.r1wb.model.generate.CheckpointModel;
import org.r1wb.model.nn.ProbeCapture;
import org.r1wb.model.nn.ProbeRouting;
import org.r1wb.model.run.EventJournal;
import org.r1wb.model.run.RunEvent;
import org.r1wb.model.spec.ModelSpec;
import org.r1wb.model.train.CheckpointMeta;
import org.r1wb.model.train.Checkpoints;
import org.r1wb.model.train.RunSpec;
import org.r1wb.model.train.RunSpecs;
import org.r1wb.pipeline.bpe.BpeTokenizer;
import org.r1wb.pipeline.shards.TokenShards;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.stream.IntStream;

/**
 * {@code r1wb inspect RUN --probe TEXT [--checkpoint step-N|final|latest]}: runs the probe text through a checkpoint
 * of the run and records every layer's attention ({@code attention}, one event per layer and head) and every MoE
 * layer's routing ({@code routing_tokens}) in the run's journal, where the workbench's views find them. While a
 * trainer holds the run, the events go to {@code probes.jsonl} beside the journal instead, so the trainer stays the
 * journal's only writer. With {@code --png FILE} and {@code --routing} or {@code --attention}, it also draws the
 * layer's figure headless, from the journal (and {@code probes.jsonl}).
 */
@Command(name = "inspect", description = "Capture attention and per-token routing for a probe text at a checkpoint; "
        + "draw routing or attention figures headless (PNG).")
public final class InspectCommand extends BaseCommand implements Callable<Integer> {

    /** Where probe events go while a trainer holds the run's journal. */
    public static final String PROBES = "probes.jsonl";

    @Mixin
    private WorkspaceOption workspace;

    @Parameters(paramLabel = "RUN", description = "The run id (a folder of the workspace's runs/).")
    private String runId;

    @Option(names = "--probe", paramLabel = "TEXT", description = "Text to run through the checkpoint; its attention "
            + "and routing are appended to the run's events.")
    private String probe;

    @Option(names = "--checkpoint", paramLabel = "NAME", defaultValue = "latest",
            description = "step-N, final or latest (default: ${DEFAULT-VALUE}, the run's last checkpoint event).")
    private String checkpointName;

    @Option(names = "--png", paramLabel = "FILE", description = "Draw a figure (with --routing or --attention) to FILE.")
    private Path png;

    @Option(names = "--routing", description = "The figure: expert load over the steps and the probe's token × expert gates.")
    private boolean routing;

    @Option(names = "--attention", description = "The figure: the probe's attention, one heatmap per head.")
    private boolean attention;

    @Option(names = "--layer", paramLabel = "N", description = "The layer to draw (default: the first MoE layer for "
            + "--routing, 0 for --attention).")
    private Integer layer;

    @Override
    public Integer call() throws IOException {
        Djl.offline();
        System.setProperty("java.awt.headless", "true");
        RunFolder run = RunFolder.of(workspace.path(), runId);
        if (!Files.isRegularFile(run.spec())) {
            return badInput("no run '" + runId + "' in " + workspace.path().resolve("runs") + " (see r1wb runs)");
        }
        if (probe == null && png == null) {
            return badInput("nothing to do: give --probe TEXT to capture, --png FILE to draw, or both");
        }
        if (png != null && routing == attention) {
            return badInput("--png draws one figure: choose --routing or --attention");
        }
        if (png == null && (routing || attention || layer != null)) {
            return badInput("--routing, --attention and --layer choose a figure; give --png FILE too");
        }
        if (probe != null && probe.isBlank()) {
            return badInput("the probe text is empty; give --probe some text to run through the model");
        }
        RunSpec spec = RunSpecs.load(run.spec());
        Integer drawn = null;
        if (png != null) {
            try {
                drawn = chooseLayer(spec.model());
            } catch (IllegalArgumentException e) {
                return badInput(e.getMessage());
            }
        }
        if (probe != null) {
            Integer captured = capture(run, spec);
            if (captured != ExitCodes.OK) {
                return captured;
            }
        }
        if (png != null) {
            return draw(run, drawn);
        }
        return ExitCodes.OK;
    }

    /** The layer to draw, checked against the model: any layer for attention, a MoE layer for routing. */
    private int chooseLayer(ModelSpec model) {
        List<Integer> moeLayers = IntStream.range(0, model.layers()).filter(model::isMoeLayer).boxed().toList();
        if (attention) {
            int chosen = layer == null ? 0 : layer;
            if (chosen < 0 || chosen >= model.layers()) {
                throw new IllegalArgumentException("layer " + chosen + " is out of range: the model has layers 0–"
                        + (model.layers() - 1));
            }
            return chosen;
        }
        if (moeLayers.isEmpty()) {
            throw new IllegalArgumentException("the model has no MoE layer, so no routing to draw");
        }
        int chosen = layer == null ? moeLayers.get(0) : layer;
        if (!moeLayers.contains(chosen)) {
            String valid = moeLayers.get(0) + "–" + moeLayers.get(moeLayers.size() - 1);
            throw new IllegalArgumentException(chosen >= 0 && chosen < model.layers()
                    ? "layer " + chosen + " is a dense layer (no router); the MoE layers are " + valid
                    : "layer " + chosen + " is out of range: the MoE layers are " + valid);
        }
        return chosen;
    }

    private int capture(RunFolder run, RunSpec spec) throws IOException {
        Path checkpoint;
        try {
            checkpoint = checkpoint(run);
        } catch (IllegalArgumentException e) {
            return badInput(e.getMessage());
        }
        Path shardsDir = workspace.path().resolve(spec.data().path()).normalize();
        BpeTokenizer tokenizer;
        try {
            tokenizer = TokenShards.open(shardsDir).tokenizer();
        } catch (IOException e) {
            return badInput("cannot open the run's tokenizer in " + shardsDir + ": " + e.getMessage());
        }
        int[] ids = tokenizer.encode(probe);
        if (ids.length == 0) {
            return badInput("the probe text encodes to no tokens");
        }
        List<Map.Entry<String, Map<String, Object>>> events;
        try (CheckpointModel model = CheckpointModel.open(checkpoint)) {
            ProbeCapture capture;
            try {
                capture = model.probe(ids);
            } catch (IllegalArgumentException e) {
                return badInput(e.getMessage());
            }
            List<String> tokens = new ArrayList<>();
            for (int id : ids) {
                tokens.add(tokenizer.decode(new int[] {id}));
            }
            events = payloads(model.meta(), tokens, capture);
        }
        Path target = append(run, events);
        String where = target.getFileName().toString();
        err().println("inspect: " + ids.length + " tokens through " + run.dir().relativize(checkpoint) + ": "
                + events.size() + " events appended to " + where
                + (where.equals(PROBES) ? " (a trainer holds the run, so its journal is left to it)" : ""));
        return ExitCodes.OK;
    }

    /** {@code latest}: the run's last checkpoint event; {@code step-N} / {@code final}: that folder of checkpoints/. */
    private Path checkpoint(RunFolder run) throws IOException {
        if ("latest".equals(checkpointName)) {
            String last = null;
            for (RunEvent event : EventJournal.read(run.events())) {
                if ("checkpoint".equals(event.type())) {
                    last = event.text("path");
                }
            }
            if (last == null) {
                throw new IllegalArgumentException("run " + run.id() + " has no checkpoint yet; train it until one is "
                        + "written (the run spec's checkpoint interval) and try again");
            }
            return run.dir().resolve(last).normalize();
        }
        Path folder = run.checkpoints().resolve(checkpointName).normalize();
        if (!folder.getParent().equals(run.checkpoints()) || !Files.isRegularFile(folder.resolve(Checkpoints.META))) {
            throw new IllegalArgumentException("run " + run.id() + " has no checkpoint '" + checkpointName + "'; it has: "
                    + String.join(", ", checkpointNames(run)) + " (or use latest)");
        }
        return folder;
    }

    private static List<String> checkpointNames(RunFolder run) throws IOException {
        if (!Files.isDirectory(run.checkpoints())) {
            return List.of("none");
        }
        try (var entries = Files.list(run.checkpoints())) {
            List<String> names = entries.filter(p -> Files.isRegularFile(p.resolve(Checkpoints.META)))
                    .map(p -> p.getFileName().toString()).sorted().toList();
            return names.isEmpty() ? List.of("none") : names;
        }
    }

    /** One {@code attention} event per layer and head (causal rows: row q has q + 1 keys), one {@code routing_tokens} per MoE layer. */
    static List<Map.Entry<String, Map<String, Object>>> payloads(CheckpointMeta meta, List<String> tokens,
                                                                  ProbeCapture capture) {
        List<Map.Entry<String, Map<String, Object>>> events = new ArrayList<>();
        for (int layer = 0; layer < capture.layers(); layer++) {
            float[][][] heads = capture.attention(layer);
            for (int head = 0; head < heads.length; head++) {
                float[][] rows = new float[tokens.size()][];
                for (int q = 0; q < rows.length; q++) {
                    rows[q] = Arrays.copyOf(heads[head][q], q + 1);
                }
                Map<String, Object> fields = new LinkedHashMap<>();
                fields.put("step", meta.step());
                fields.put("layer", layer);
                fields.put("head", head);
                fields.put("tokens", tokens);
                fields.put("weights", rows);
                events.add(Map.entry("attention", fields));
            }
        }
        for (int layer = 0; layer < capture.layers(); layer++) {
            ProbeRouting decision = capture.routing(layer);
            if (decision != null) {
                Map<String, Object> fields = new LinkedHashMap<>();
                fields.put("step", meta.step());
                fields.put("layer", layer);
                fields.put("tokens", tokens);
                fields.put("weights", decision.scores());
                fields.put("chosen", decision.chosen());
                events.add(Map.entry("routing_tokens", fields));
            }
        }
        return events;
    }

    /**
     * Appends to the journal while holding the run's lock, so no trainer starts mid-append; when a trainer holds it,
     * to {@code probes.jsonl} instead. Returns the file written.
     */
    private static Path append(RunFolder run, List<Map.Entry<String, Map<String, Object>>> events) throws IOException {
        Optional<RunLock> lock = RunLock.tryAcquire(run);
        Path file = lock.isPresent() ? run.events() : run.dir().resolve(PROBES);
        try (EventJournal journal = EventJournal.openForAppend(file, run.id())) {
            for (Map.Entry<String, Map<String, Object>> event : events) {
                journal.emit(event.getKey(), event.getValue());
            }
        } finally {
            lock.ifPresent(RunLock::close);
        }
        return file;
    }

    private int draw(RunFolder run, int drawnLayer) throws IOException {
        List<RunEvent> events = new ArrayList<>(EventJournal.read(run.events()));
        events.addAll(EventJournal.read(run.dir().resolve(PROBES)));
        BufferedImage image;
        try {
            image = routing ? routingFigure(run, events, drawnLayer) : attentionFigure(run, events, drawnLayer);
        } catch (IllegalArgumentException e) {
            return badInput(e.getMessage());
        }
        Path target = png.toAbsolutePath();
        if (target.getParent() != null) {
            Files.createDirectories(target.getParent());
        }
        Path temp = target.resolveSibling(target.getFileName() + ".tmp");
        ImageIO.write(image, "png", temp.toFile());
        Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        out().println(target);
        return ExitCodes.OK;
    }

    private BufferedImage routingFigure(RunFolder run, List<RunEvent> events, int drawnLayer) {
        TreeMap<Long, double[]> load = new TreeMap<>();
        RunEvent tokens = null;
        for (RunEvent event : events) {
            if (EventValues.integer(event, "layer") != drawnLayer) {
                continue;
            }
            if ("routing".equals(event.type())) {
                load.put((long) event.number("step"), EventValues.vector(event, "load"));
            } else if ("routing_tokens".equals(event.type()) && (tokens == null || event.t() >= tokens.t())) {
                tokens = event;
            }
        }
        InspectFigures.LoadHistory history = new InspectFigures.LoadHistory(
                load.keySet().stream().mapToLong(Long::longValue).toArray(), load.values().toArray(new double[0][]));
        InspectFigures.Matrix matrix = tokens == null ? null : EventValues.matrix(tokens);
        int[][] chosen = tokens == null ? null : EventValues.intMatrix(tokens, "chosen");
        return InspectFigures.routing(run.id() + " · layer " + drawnLayer + " · expert routing", history, matrix, chosen);
    }

    private BufferedImage attentionFigure(RunFolder run, List<RunEvent> events, int drawnLayer) {
        Map<Integer, RunEvent> latest = new TreeMap<>();
        for (RunEvent event : events) {
            if ("attention".equals(event.type()) && EventValues.integer(event, "layer") == drawnLayer) {
                latest.merge(EventValues.integer(event, "head"), event, (a, b) -> b.t() >= a.t() ? b : a);
            }
        }
        if (latest.isEmpty()) {
            throw new IllegalArgumentException("run " + run.id() + " has no attention capture for layer " + drawnLayer
                    + "; capture one with --probe TEXT");
        }
        long step = latest.values().stream().max(Comparator.comparingLong(RunEvent::t)).map(e -> (long) e.number("step"))
                .orElseThrow();
        List<InspectFigures.Matrix> heads = latest.values().stream().map(EventValues::matrix).toList();
        return InspectFigures.attention(run.id() + " · layer " + drawnLayer + " · attention, step " + step
                + " (query rows × key columns)", heads);
    }
}
