package org.r1wb.workbench.inspect;

import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.concurrent.Task;
import org.r1wb.agent.InspectCommand;
import org.r1wb.agent.LocalRunLauncher;
import org.r1wb.model.run.EventJournal;
import org.r1wb.model.run.RunEvent;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Captures attention and per-token routing for a probe text the user typed: runs {@code r1wb inspect RUN --probe
 * TEXT} in a child agent process (the model is loaded there, never in the GUI, so a failure or an OOM costs the
 * capture, not the workbench), shows its output as progress, can cancel it, and, when it ends, folds the captured
 * events into the run's {@link InspectionModel}, so the routing-tokens and attention views show the new capture.
 * Call on the FX thread.
 */
public final class ProbeCapturer {

    private static final String JOURNAL = "events.jsonl";
    /** How long a cancelled child gets to end before it is killed. */
    private static final long GRACE_SECONDS = 5;

    private final Path runDir;
    private final LocalRunLauncher launcher;
    private final InspectionModel model;
    private final StringProperty probeText = new SimpleStringProperty(this, "probeText", "");
    private final ReadOnlyBooleanWrapper running = new ReadOnlyBooleanWrapper(this, "running");
    private final ReadOnlyStringWrapper message = new ReadOnlyStringWrapper(this, "message", "");
    private CaptureTask current;

    /**
     * @param runDir   the run folder ({@code WORKSPACE/runs/ID})
     * @param launcher starts the child agent
     * @param model    where the captured events go
     */
    public ProbeCapturer(Path runDir, LocalRunLauncher launcher, InspectionModel model) {
        this.runDir = runDir.toAbsolutePath().normalize();
        this.launcher = launcher;
        this.model = model;
    }

    /** The text to capture for, as the user edits it. */
    public StringProperty probeTextProperty() {
        return probeText;
    }

    /** Whether a capture is under way. */
    public ReadOnlyBooleanProperty runningProperty() {
        return running.getReadOnlyProperty();
    }

    /** What the capture is doing or how it ended: the child's last line of output, or why it failed. */
    public ReadOnlyStringProperty messageProperty() {
        return message.getReadOnlyProperty();
    }

    /** Starts a capture of {@link #probeTextProperty()}; returns its task, or {@code null} when one runs already. */
    public Task<List<RunEvent>> capture() {
        if (current != null) {
            return null;
        }
        String text = probeText.get();
        if (text == null || text.isBlank()) {
            message.set("Type a probe text to capture");
            return null;
        }
        CaptureTask task = new CaptureTask(text);
        task.messageProperty().addListener((o, old, now) -> {
            // a task's message updates reach the FX thread late: one arriving after the task ended is stale
            if (current == task) {
                message.set(now);
            }
        });
        task.setOnSucceeded(e -> {
            model.apply(task.getValue());
            message.set("Captured " + task.getValue().size() + " events for \u201c" + text + "\u201d");
            finished();
        });
        task.setOnFailed(e -> {
            message.set("Capture failed: " + task.getException().getMessage());
            finished();
        });
        task.setOnCancelled(e -> {
            message.set("Capture cancelled");
            finished();
        });
        current = task;
        running.set(true);
        Thread thread = new Thread(task, "probe-capture " + runDir.getFileName());
        thread.setDaemon(true);
        thread.start();
        return task;
    }

    /** Stops the capture under way: its child process is ended, nothing is applied. */
    public void cancel() {
        CaptureTask task = current;
        if (task != null) {
            // cancelling on the FX thread runs the cancelled handler at once, which forgets the task
            task.cancel(true);
            // the task's thread waits on the child's output, which no interrupt ends: ending the child does
            task.endChild();
        }
    }

    private void finished() {
        current = null;
        running.set(false);
    }

    /**
     * The probe events of a run: {@code attention} and {@code routing_tokens} from its journal and from
     * {@code probes.jsonl} (where captures go while a trainer holds the journal), oldest first, so applying them
     * in order leaves the newest capture of each layer and head shown.
     */
    static List<RunEvent> probeEvents(Path runDir) throws IOException {
        List<RunEvent> events = new ArrayList<>();
        for (Path file : List.of(runDir.resolve(JOURNAL), runDir.resolve(InspectCommand.PROBES))) {
            if (Files.isRegularFile(file)) {
                EventJournal.read(file).stream()
                        .filter(e -> "attention".equals(e.type()) || "routing_tokens".equals(e.type()))
                        .forEach(events::add);
            }
        }
        events.sort(Comparator.comparingLong(RunEvent::t));
        return events;
    }

    /** Runs the child agent and reads back what it captured. */
    private final class CaptureTask extends Task<List<RunEvent>> {

        private final String text;
        private volatile Process process;

        CaptureTask(String text) {
            this.text = text;
        }

        @Override
        protected List<RunEvent> call() throws Exception {
            Path workspace = runDir.getParent().getParent();
            List<String> command = launcher.command(List.of("inspect", "-w", workspace.toString(),
                    runDir.getFileName().toString(), "--probe", text));
            updateMessage("Starting the agent to capture \u201c" + text + "\u201d…");
            process = new ProcessBuilder(command).redirectErrorStream(true).start();
            if (isCancelled()) {
                endChild();
            }
            process.getOutputStream().close();
            String last = "";
            try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = out.readLine()) != null) {
                    if (!line.isBlank() && !line.startsWith("WARNING")) {
                        last = line.strip();
                        updateMessage(last);
                    }
                }
                int exit = process.waitFor();
                if (exit != 0) {
                    throw new IOException("r1wb inspect exited with " + exit + (last.isEmpty() ? "" : ": " + last));
                }
            } catch (InterruptedException | IOException e) {
                if (isCancelled()) {
                    // the child was ended on purpose: nothing to read back
                    return List.of();
                }
                throw e;
            } finally {
                if (isCancelled()) {
                    stop(process);
                }
            }
            return probeEvents(runDir);
        }

        /** Asks the child (and its own children) to end, without waiting. */
        void endChild() {
            Process child = process;
            if (child != null) {
                child.descendants().forEach(ProcessHandle::destroy);
                child.destroy();
            }
        }

        /** Ends the child: politely, then by force after a grace period. */
        private void stop(Process process) throws InterruptedException {
            endChild();
            if (!process.waitFor(GRACE_SECONDS, TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
            }
        }
    }
}
