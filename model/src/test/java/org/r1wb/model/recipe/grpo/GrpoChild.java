package org.r1wb.model.recipe.grpo;

import org.r1wb.model.run.EventJournal;
import org.r1wb.model.train.TrainResult;

import java.nio.file.Path;

/**
 * A GRPO stage in its own JVM, for {@link GrpoKillResumeTest}: {@code GrpoChild DIR RUN_DIR JOURNAL STEPS} runs (or
 * resumes) {@link GrpoStageTest}'s stage, its initial checkpoint under {@code DIR}, in {@code RUN_DIR}.
 */
public final class GrpoChild {

    private GrpoChild() {
    }

    public static void main(String[] args) throws Exception {
        System.setProperty("ai.djl.offline", "true");
        System.setProperty("OPT_OUT_TRACKING", "true");
        int steps = Integer.parseInt(args[3]);
        try (EventJournal journal = EventJournal.openForAppend(Path.of(args[2]), "grpo-test")) {
            TrainResult result = GrpoStageTest.stage(Path.of(args[0]), steps, GrpoKillResumeTest.CHECKPOINT_EVERY)
                    .run(Path.of(args[1]), journal, () -> false);
            System.out.println(result.outcome() + ": " + result.message());
            System.exit(result.outcome() == TrainResult.Outcome.FINISHED ? 0 : 1);
        }
    }
}
