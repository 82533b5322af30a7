package org.r1wb.model.train;

import org.r1wb.model.run.EventJournal;

import java.nio.file.Path;

/**
 * A training run in its own JVM, for {@link ResumeTest} to kill: {@code TrainChild RUN_DIR STEPS}. Trains the
 * resume test's run into {@code RUN_DIR}, journaling to {@code RUN_DIR/events.jsonl}.
 */
public final class TrainChild {

    private TrainChild() {
    }

    public static void main(String[] args) throws Exception {
        System.setProperty("ai.djl.offline", "true");
        System.setProperty("OPT_OUT_TRACKING", "true");
        Path runDir = Path.of(args[0]);
        RunSpec spec = ResumeTest.run(Integer.parseInt(args[1]));
        try (EventJournal journal = EventJournal.openForAppend(runDir.resolve("events.jsonl"), spec.id())) {
            new Trainer().train(spec, ResumeTest.TRAIN, ResumeTest.VAL, runDir, journal, () -> false);
        }
    }
}
