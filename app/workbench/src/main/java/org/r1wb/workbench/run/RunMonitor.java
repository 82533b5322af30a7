package org.r1wb.workbench.run;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import javafx.application.Platform;
import javafx.concurrent.Task;
import org.r1wb.agent.InspectCommand;
import org.r1wb.model.run.EventJournal;
import org.r1wb.model.run.RunEvent;
import org.r1wb.workbench.BackgroundTasks;
import org.r1wb.workbench.inspect.InspectionModel;
import org.r1wb.workbench.inspect.RunComparison;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Connects one run folder to its {@link RunViewModel}: reads {@code run.json} and the journal in a
 * background task, then, while the run is not over, follows the journal with a {@link JournalTail}.
 */
public final class RunMonitor implements AutoCloseable {

    /** How often a live journal is polled. */
    public static final Duration POLL_PERIOD = Duration.ofMillis(500);

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path runDir;
    private final RunViewModel viewModel;
    private final InspectionModel inspection = new InspectionModel();
    private final RunComparison comparison;
    private final JournalReader reader;
    private JournalTail tail;
    private boolean closed;

    public RunMonitor(Path runDir) {
        this.runDir = runDir;
        this.viewModel = new RunViewModel(runDir.getFileName().toString());
        this.reader = new JournalReader(runDir.resolve("events.jsonl"));
        this.comparison = new RunComparison(runDir, POLL_PERIOD);
    }

    public RunViewModel viewModel() {
        return viewModel;
    }

    /** What the run's inspector views (dashboard, routing, attention, devices) draw; fed with the same batches. */
    public InspectionModel inspection() {
        return inspection;
    }

    /** The other runs drawn over this run's dashboard. */
    public RunComparison comparison() {
        return comparison;
    }

    /** Whether the journal is being followed right now. */
    public boolean isTailing() {
        return tail != null && tail.isRunning();
    }

    /** Reads the run in the background and starts following it if it is still going; call on the FX thread. */
    public Task<JournalBatch> start(BackgroundTasks tasks) {
        Task<JournalBatch> load = new Task<>() {
            private String stage = "";
            private List<RunEvent> probes = List.of();

            @Override
            protected JournalBatch call() throws IOException {
                updateMessage("Reading run " + viewModel.runId());
                stage = readStage(runDir.resolve("run.json"));
                probes = readProbes(runDir.resolve(InspectCommand.PROBES));
                return reader.readNew();
            }

            @Override
            protected void succeeded() {
                viewModel.stageProperty().set(stage);
                apply(getValue());
                inspection.apply(probes);
                viewModel.loadedProperty().set(true);
                boolean live = !viewModel.stateProperty().get().terminal() && getValue().problem() == null;
                if (live && !closed) {
                    tail = JournalTail.start(reader, POLL_PERIOD, Platform::runLater, RunMonitor.this::apply);
                }
            }

            @Override
            protected void failed() {
                viewModel.problemProperty().set(getException().getMessage());
                viewModel.loadedProperty().set(true);
            }
        };
        return tasks.submit(load);
    }

    private void apply(JournalBatch batch) {
        viewModel.apply(batch);
        inspection.apply(batch.events());
    }

    /** Stops following the journal; call when the run's tab closes. */
    @Override
    public void close() {
        closed = true;
        if (tail != null) {
            tail.close();
        }
        comparison.close();
    }

    /**
     * The probe captures {@code r1wb inspect} wrote beside the journal because a trainer held the run at the time
     * ({@code probes.jsonl}): their attention and per-token routing events; none when there is no such file.
     */
    static List<RunEvent> readProbes(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            return List.of();
        }
        return EventJournal.read(file).stream()
                .filter(e -> "attention".equals(e.type()) || "routing_tokens".equals(e.type())).toList();
    }

    /** The {@code stage} of a run spec, empty when the file or the field is missing. */
    static String readStage(Path runJson) throws IOException {
        if (!Files.isRegularFile(runJson)) {
            return "";
        }
        try {
            JsonNode spec = JSON.readTree(runJson.toFile());
            return spec == null ? "" : spec.path("stage").asText("");
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            String where = at == null ? "" : ":" + at.getLineNr() + ":" + at.getColumnNr();
            throw new IOException(runJson + where + ": not valid JSON: " + e.getOriginalMessage(), e);
        }
    }
}
