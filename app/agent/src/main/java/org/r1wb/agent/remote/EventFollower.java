package org.r1wb.agent.remote;

import org.r1wb.agent.store.EventStore;
import org.r1wb.model.run.EventJournal;
import org.r1wb.model.run.RunEvent;

import java.io.IOException;
import java.time.Duration;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Follows a run on a node into the local {@link EventStore}: runs {@code r1wb attach RUN --after SEQ} over SSH
 * with SEQ the last seq stored locally, stores each event as it arrives, and when the link drops reconnects with
 * {@link Backoff} and asks again from the new last seq. Events arrive in order and are stored idempotently by
 * (run, seq), so however often the link drops, the store ends with each event exactly once. Empty lines are
 * attach's heartbeat and carry nothing.
 */
public final class EventFollower {

    /** What following achieved. */
    public record Result(String finalState, long events, int connections) {
    }

    /** Observes the follower (the workbench's run view, tests). */
    public interface Listener {
        /** A connection was made and attach is about to run. */
        default void connected(int connection) {
        }

        /** A new event was stored. */
        default void stored(RunEvent event) {
        }

        /** The link failed; the follower waits {@code wait} before reconnecting. */
        default void lost(IOException cause, Duration wait) {
        }
    }

    private static final Set<String> FINAL = Set.of("finished", "failed", "cancelled");

    private final SshConnector connector;
    private final RemoteRun run;
    private final EventStore store;
    private final Backoff backoff;
    private final Listener listener;

    public EventFollower(SshConnector connector, RemoteRun run, EventStore store, Backoff backoff, Listener listener) {
        this.connector = connector;
        this.run = run;
        this.store = store;
        this.backoff = backoff;
        this.listener = listener;
    }

    /**
     * Follows until the node's attach ends normally (the run reached a final state and every event is stored),
     * or {@code timeout} passes. Refusals (host key, authentication, a missing run) end it with the exception.
     */
    public Result follow(Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        int connections = 0;
        while (true) {
            if (System.nanoTime() > deadline) {
                throw new IOException("gave up following run " + run.runId() + " on " + run.node().address()
                        + " after " + timeout + " (" + connections + " connections); the run goes on there: attach again later");
            }
            try (SshSession ssh = connector.open(run.node())) {
                connections++;
                listener.connected(connections);
                Progress progress = new Progress(store.lastSeq(run.runId()));
                int exit = ssh.stream(RemoteNode.attachCommand(run, progress.last), progress::accept);
                if (progress.stored > 0) {
                    backoff.reset();
                }
                if (exit == 0) {
                    String state = lastState();
                    return new Result(state, store.count(run.runId()), connections);
                }
                if (exit > 0) {
                    throw RemoteException.refused("'r1wb attach " + run.runId() + "' failed on " + run.node().address()
                            + " with exit " + exit + "; see " + run.runDir() + "/agent.log there");
                }
                pause(new RemoteException("the link to " + run.node().address() + " dropped", true, null));
            } catch (RemoteException e) {
                if (!e.isTransient()) {
                    throw e;
                }
                pause(e);
            }
        }
    }

    private void pause(IOException cause) throws InterruptedException {
        Duration wait = backoff.next();
        listener.lost(cause, wait);
        Thread.sleep(wait.toMillis());
    }

    private String lastState() throws IOException {
        String state = "unknown";
        for (RunEvent event : store.events(run.runId(), 0)) {
            if ("status".equals(event.type())) {
                state = event.text("state");
            }
        }
        return FINAL.contains(state) ? state : "unknown";
    }

    /** One connection's stream: keeps order, drops repeats, refuses a gap. */
    private final class Progress {
        private long last;
        private long stored;

        Progress(long last) {
            this.last = last;
        }

        void accept(String line) throws IOException {
            if (line.isEmpty()) {
                return;
            }
            RunEvent event = EventJournal.parse(line);
            if (event == null) {
                throw new RemoteException("attach sent a line that is not an event: " + line, true, null);
            }
            if (event.seq() <= last) {
                return;
            }
            if (event.seq() != last + 1) {
                throw new RemoteException("attach skipped from seq " + last + " to " + event.seq() + " on run "
                        + run.runId() + "; asking again", true, null);
            }
            if (!run.runId().equals(event.run())) {
                throw RemoteException.refused("attach for run " + run.runId() + " sent an event of run " + event.run());
            }
            store.append(event);
            last = event.seq();
            stored++;
            listener.stored(event);
        }
    }
}
