package org.r1wb.agent;

import org.r1wb.agent.remote.RemoteBinding;
import org.r1wb.agent.slurm.PipelineRunBinding;
import org.r1wb.model.run.EventJournal;
import org.r1wb.model.run.RunEvent;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * One run on disk: {@code runs/<id>/} with {@code run.json}, the {@code events.jsonl} journal,
 * {@code checkpoints/}, the agent's {@code agent.pid}, {@code agent.lock} ({@link RunLock}) and its {@code agent.log}.
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
     * The run's state from its last {@code status} event; a run whose journal says running while no agent
     * holds its {@link RunLock} is reported as {@code lost}, so a killed agent never looks alive. A mirror of a
     * run on a node ({@link #isRemote()}) reports what the node's journal says: its agent is over there.
     */
    public String state() throws IOException {
        Optional<RunEvent> last = lastStatus();
        if (last.isEmpty()) {
            return "created";
        }
        String state = last.get().text("state");
        if ("running".equals(state) && !isRemote() && !agentAlive()) {
            return "lost";
        }
        return state;
    }

    /**
     * The run's state after writing down a lost agent: a journal that says running while no agent holds the
     * lock gets a final {@code failed} status event naming the reason, so every reader (here or over SSH)
     * sees the same end. Returns the state, {@code failed} for such a run.
     */
    public String settle() throws IOException {
        if (!"lost".equals(state())) {
            return state();
        }
        Optional<RunLock> lock = RunLock.tryAcquire(this);
        if (lock.isEmpty()) {
            return state();
        }
        try (RunLock ignored = lock.get()) {
            Optional<RunEvent> last = lastStatus();
            if (last.isPresent() && "running".equals(last.get().text("state"))) {
                try (EventJournal journal = EventJournal.openForAppend(events(), id())) {
                    journal.emit("status", Map.of("state", "failed", "message", lostMessage()));
                }
            }
        }
        return state();
    }

    private String lostMessage() {
        String pid;
        try {
            pid = " (pid " + Files.readString(dir.resolve(PID)).strip() + ")";
        } catch (IOException e) {
            pid = "";
        }
        return "the agent" + pid + " stopped without a final status: it was killed (kill -9, out of memory, "
                + "node reboot) or crashed; see " + LOG + "; the checkpoints in checkpoints/ are kept";
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

    /** Whether the folder holds a run: a run spec, or a sharded pipeline run submitted to Slurm. */
    public boolean exists() {
        return Files.isRegularFile(spec()) || Files.isRegularFile(dir.resolve(PipelineRunBinding.FILE));
    }

    /** True when this folder mirrors a run on a node ({@code remote.json}, written by {@code r1wb remote start}). */
    public boolean isRemote() {
        return Files.isRegularFile(dir.resolve(RemoteBinding.FILE));
    }

    /** True while an agent holds the run's lock. */
    public boolean agentAlive() {
        try {
            return RunLock.isHeld(this);
        } catch (IOException e) {
            return false;
        }
    }

    /** True for the states after which no event will follow. */
    public static boolean isFinal(String state) {
        return "finished".equals(state) || "failed".equals(state) || "cancelled".equals(state) || "lost".equals(state);
    }
}
