package org.r1wb.model.train;

import org.r1wb.model.run.EventJournal;

import java.nio.file.Path;

/**
 * A training run in its own JVM, for {@link ResumeTest}: {@code TrainChild train|resume RUN_DIR JOURNAL STEPS}.
 * Trains (or resumes) the resume test's run in {@code RUN_DIR}, journaling to {@code JOURNAL}.
 */
public final class TrainChild {

    private TrainChild() {
    }

    public static void main(String[] args) throws Exception {
        System.setProperty("ai.djl.offline", "true");
        System.setProperty("OPT_OUT_TRACKING", "true");
        boolean resume = args[0].equals("resume");
        Path runDir = Path.of(args[1]);
        RunSpec spec = ResumeTest.run(Integer.parseInt(args[3]));
        try (EventJournal journal = EventJournal.openForAppend(Path.of(args[2]), spec.id())) {
            TrainResult result = resume
                    ? new Trainer().resume(spec, ResumeTest.TRAIN, ResumeTest.VAL, runDir, journal, () -> false)
                    : new Trainer().train(spec, ResumeTest.TRAIN, ResumeTest.VAL, runDir, journal, () -> false);
            System.out.println(result.outcome() + ": " + result.message());
            System.exit(result.outcome() == TrainResult.Outcome.FINISHED ? 0 : 1);
        }
    }
}
