package org.r1wb.pipeline.stage;

import org.r1wb.pipeline.Document;

/** Counts an {@link Outcome} into a stage's statistics; the batch and the streaming paths share it. */
public final class OutcomeRecorder {

    private OutcomeRecorder() {
    }

    /** Records that {@code input} got {@code outcome}; returns the document passed on, or null when dropped. */
    public static Document record(StageContext context, Document input, Outcome outcome) {
        context.countIn(1);
        outcome.counts().forEach(context::count);
        if (!outcome.kept()) {
            context.drop(input, outcome.dropReason());
            return null;
        }
        context.countOut(1);
        return outcome.document();
    }
}
