package org.r1wb.model.recipe.grpo;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.r1wb.model.ChildJvm;
import org.r1wb.model.run.EventJournal;
import org.r1wb.model.run.RunEvent;
import org.r1wb.model.train.Checkpoints;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue #10's resume check: a GRPO stage killed with SIGKILL mid-run and run again continues from its last
 * checkpoint, and every later step's loss, rewards, KL, clip fraction and completion length, and the final weights,
 * equal the uninterrupted run's — each run a fresh JVM, as the product's agent is.
 */
class GrpoKillResumeTest {

    static final int CHECKPOINT_EVERY = 4;
    private static final int STEPS = 40;
    private static final int KILL_AFTER = 8;
    private static final List<String> FIELDS = List.of("loss", "reward", "reward_std", "kl", "clip_fraction",
            "completion_length");

    @Test
    void aStageKilledWithSigkillAndRunAgainRepeatsTheUninterruptedRun(@TempDir Path dir) throws Exception {
        Path whole = Files.createDirectories(dir.resolve("whole"));
        Process reference = start(dir, whole, whole.resolve("events.jsonl"));
        assertThat(reference.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(reference.exitValue()).as(Files.readString(whole.resolve("child.log"))).isZero();
        Map<Integer, Map<String, Object>> uninterrupted = steps(whole.resolve("events.jsonl"));
        assertThat(uninterrupted).hasSize(STEPS);

        Path killed = Files.createDirectories(dir.resolve("killed"));
        Process child = start(dir, killed, killed.resolve("events.jsonl"));
        int killedAt = ChildJvm.waitForCheckpoint(child, killed.resolve("checkpoints"), KILL_AFTER, STEPS,
                killed.resolve("child.log"));
        child.destroyForcibly(); // SIGKILL on Unix: no shutdown hook, no flush
        assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(child.exitValue()).as("killed by signal 9").isEqualTo(137);
        assertThat(killed.resolve("checkpoints").resolve(Checkpoints.FINAL)).as("the child had not finished")
                .doesNotExist();

        Path again = killed.resolve("again.jsonl");
        Process resumer = start(dir, killed, again);
        assertThat(resumer.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(resumer.exitValue()).as(Files.readString(killed.resolve("child.log"))).isZero();
        Map<Integer, Map<String, Object>> resumed = steps(again);
        int first = resumed.keySet().iterator().next();
        assertThat(first - 1).as("resumed from the last checkpoint").isGreaterThanOrEqualTo(killedAt).isLessThan(STEPS);
        assertThat(resumed).hasSize(STEPS - first + 1);
        resumed.forEach((step, fields) -> {
            for (String field : FIELDS) {
                assertThat(fields.get(field)).as("step %d %s", step, field).isEqualTo(uninterrupted.get(step).get(field));
            }
        });
        assertThat(Checkpoints.readMeta(killed.resolve("checkpoints").resolve(Checkpoints.FINAL)).weightsDigest())
                .isEqualTo(Checkpoints.readMeta(whole.resolve("checkpoints").resolve(Checkpoints.FINAL)).weightsDigest());
        // the control: the steps differ from one another, so equal curves are not equal by accident
        assertThat(uninterrupted.values().stream().map(m -> m.get("loss")).distinct().count()).isGreaterThan(1);
    }

    /** The stage's initial checkpoint is written under {@code dir} (once, from a fixed seed), its run in {@code runDir}. */
    private static Process start(Path dir, Path runDir, Path journal) throws IOException {
        return ChildJvm.start(GrpoChild.class, runDir.resolve("child.log"), dir.toString(), runDir.toString(),
                journal.toString(), Integer.toString(STEPS));
    }

    private static Map<Integer, Map<String, Object>> steps(Path journal) throws IOException {
        Map<Integer, Map<String, Object>> steps = new TreeMap<>();
        for (RunEvent event : EventJournal.read(journal)) {
            if (event.type().equals("metric") && event.fields().containsKey("clip_fraction")) {
                steps.put((int) event.number("step"), event.fields());
            }
        }
        return steps;
    }
}
