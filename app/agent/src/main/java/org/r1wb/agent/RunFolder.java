package org.r1wb.agent;

import org.r1wb.model.run.EventJournal;
import org.r1wb.model.run.RunEvent;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * One run on disk: {@code runs/<id>/} with {@code run.json}, the {@code events.jsonl} journal,
 * {@code checkpoints/}, the agent's {@code agent.pid} and its {@code agent.log}.
 */
public record RunFolder(Path dir) {

    public static final String SPEC = "run.json";
    public static final String EVENTS = "events.jsonl";
    public static final String PID = "agent.pid";
    public static final String LOG = "agent.log";

    /** The run's id: its folder name. */
    public String id() {
        return dir.getFileName().toString();
    }

    public Path spec() {
        return dir.resolve(SPEC);
    }

    public Path events() {
        return dir.resolve(EVENTS);
    }

    public Path checkpoints() {
        return dir.resolve("checkpoints");
    }

    /** The folder of run {@code id} in {@code workspace}. */
    public static RunFolder of(Path workspace, String id) {
        return new RunFolder(workspace.resolve("runs").resolve(id));
    }

    /** Every run folder in the workspace, oldest first by name (ids start with a timestamp). */
    public static List<RunFolder> list(Path workspace) throws IOException {
        Path runs = workspace.resolve("runs");
        List<RunFolder> folders = new ArrayList<>();
        if (!Files.isDirectory(runs)) {
            return folders;
        }
        try (Stream<Path> entries = Files.list(runs)) {
            entries.filter(p -> Files.isRegularFile(p.resolve(SPEC))).sorted().forEach(p -> folders.add(new RunFolder(p)));
        }
        return folders;
    }

    /**
     * The run's state from its last {@code status} event; a run whose journal says running but whose
     * agent process is gone is reported as {@code lost}, so a killed agent never looks alive.
     */
    public String state() throws IOException {
        Optional<RunEvent> last = lastStatus();
        if (last.isEmpty()) {
            return "created";
        }
        String state = last.get().text("state");
        if ("running".equals(state) && !agentAlive()) {
            return "lost";
        }
        return state;
    }

    /** The last {@code status} event, if any. */
    public Optional<RunEvent> lastStatus() throws IOException {
        RunEvent last = null;
        for (RunEvent event : EventJournal.read(events())) {
            if ("status".equals(event.type())) {
                last = event;
            }
        }
        return Optional.ofNullable(last);
    }

    /** True when the pid file names a live process. */
    public boolean agentAlive() {
        try {
            long pid = Long.parseLong(Files.readString(dir.resolve(PID)).strip());
            return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
        } catch (IOException | NumberFormatException e) {
            return false;
        }
    }

    /** True for the states after which no event will follow. */
    public static boolean isFinal(String state) {
        return "finished".equals(state) || "failed".equals(state) || "cancelled".equals(state) || "lost".equals(state);
    }
}
