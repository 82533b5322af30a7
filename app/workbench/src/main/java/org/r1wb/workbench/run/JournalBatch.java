package org.r1wb.workbench.run;

import org.r1wb.model.run.RunEvent;

import java.util.List;

/**
 * The events read from a journal in one go, and the problem that stopped the reading, if any.
 *
 * @param events  complete events, in seq order
 * @param problem {@code file:line: what is wrong}, or {@code null} when the journal read cleanly
 */
public record JournalBatch(List<RunEvent> events, String problem) {

    public JournalBatch {
        events = List.copyOf(events);
    }

    /** Whether the batch holds a status event that ends the run. */
    public boolean endsRun() {
        return events.stream().anyMatch(e -> "status".equals(e.type()) && RunState.of(e.text("state")).terminal());
    }

    /** Whether there is anything to hand on. */
    public boolean isEmpty() {
        return events.isEmpty() && problem == null;
    }
}
