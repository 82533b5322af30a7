package org.r1wb.model.train;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.r1wb.model.ChildJvm;
import org.r1wb.model.nn.TinySpecs;
import org.r1wb.model.run.EventJournal;
import org.r1wb.model.run.EventSink;
import org.r1wb.model.run.RunEvent;
import org.r1wb.model.spec.Balancing;
import org.r1wb.model.spec.GateFunction;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** A run killed with SIGKILL and resumed from its last checkpoint follows the uninterrupted run's loss curve exactly. */
class ResumeTest {

    static final TokenSource TRAIN = TrainerTest.markov(20_000, 1);
    static final TokenSource VAL = TrainerTest.markov(4_000, 2);
    private static final int STEPS = 40;
    /** The child is killed as soon as a checkpoint at least this far in exists. */
    private static final int KILL_AFTER = 10;

    /** AUX_FREE balancing and dropout, so the selection biases and the dropout masks must resume too. */
    static RunSpec run(int steps) {
        var tiny = TinySpecs.tiny(GateFunction.SIGMOID, Balancing.AUX_FREE);
        var model = new org.r1wb.model.spec.ModelSpec(tiny.vocabSize(), tiny.dModel(), tiny.layers(), tiny.heads(),
                tiny.kvHeads(), tiny.headDim(), tiny.ropeTheta(), tiny.maxSeqLen(), tiny.normEps(), 0.1,
                tiny.tiedEmbeddings(), tiny.denseLayers(), tiny.ffnHidden(), tiny.moe());
        return new RunSpec("resume", model, new DataRef("mem", "none"), null,
                new OptimizerSpec(1e-2, 1e-3, 0.1, 0, 0, 5, 1.0), steps, 4, 16, 42, 7, 1, 5, 2, null);
    }

    /**
     * Every run is a fresh JVM, as the product's trainer is: a child process. Fresh JVMs used to disagree now and then
     * (issue #4: a garbage collection between forward and backward freed a number autograd had kept; see
     * {@link org.r1wb.model.nn.Scalars}), so this also checks that two JVMs train the same seed bit for bit.
     */
    @Test
    void killedWithSigkillAndResumedFollowsTheUninterruptedLossCurveBitForBit(@TempDir Path dir) throws Exception {
        Path whole = Files.createDirectories(dir.resolve("whole"));
        Process reference = startChild("train", whole, whole.resolve("events.jsonl"));
        assertThat(reference.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(reference.exitValue()).as(Files.readString(whole.resolve("child.log"))).isZero();
        Map<Integer, Double> uninterrupted = losses(whole.resolve("events.jsonl"));
        assertThat(uninterrupted).hasSize(STEPS);

        Path runDir = Files.createDirectories(dir.resolve("killed"));
        Process child = startChild("train", runDir, runDir.resolve("events.jsonl"));
        int killedAt = waitForCheckpoint(child, runDir.resolve("checkpoints"));
        child.destroyForcibly(); // SIGKILL on Unix: no shutdown hook, no flush
        assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(child.exitValue()).as("killed by signal 9").isEqualTo(137);
        assertThat(runDir.resolve("checkpoints").resolve(Checkpoints.FINAL)).as("the child had not finished").doesNotExist();
        // the killed child followed the same curve up to its death (its last journal line may be torn)
        Map<Integer, Double> beforeKill = losses(runDir.resolve("events.jsonl"));
        assertThat(beforeKill.keySet()).contains(killedAt);
        beforeKill.forEach((step, loss) -> assertThat(loss).as("killed child's loss at step %d", step)
                .isEqualTo(uninterrupted.get(step)));

        Path resumedJournal = runDir.resolve("resumed.jsonl");
        Process resumer = startChild("resume", runDir, resumedJournal);
        assertThat(resumer.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(resumer.exitValue()).as(Files.readString(runDir.resolve("child.log"))).isZero();
        Map<Integer, Double> resumed = losses(resumedJournal);
        int firstResumed = resumed.keySet().iterator().next();
        assertThat(firstResumed - 1).as("resumed from the last checkpoint").isGreaterThanOrEqualTo(killedAt)
                .isLessThan(STEPS);
        assertThat(resumed.keySet()).hasSize(STEPS - firstResumed + 1);
        for (var entry : resumed.entrySet()) {
            assertThat(entry.getValue()).as("loss at step %d", entry.getKey())
                    .isEqualTo(uninterrupted.get(entry.getKey()));
        }
    }

    @Test
    void resumingAFinishedRunChangesNothing(@TempDir Path dir) throws Exception {
        TrainResult first = new Trainer().train(run(3), TRAIN, VAL, dir, EventSink.NONE, () -> false);
        String digest = Checkpoints.sha256(first.checkpoint().resolve(Checkpoints.WEIGHTS));
        TrainResult again = new Trainer().resume(run(3), TRAIN, VAL, dir, EventSink.NONE, () -> false);
        assertThat(again.outcome()).isEqualTo(TrainResult.Outcome.FINISHED);
        assertThat(again.steps()).isZero();
        assertThat(Checkpoints.sha256(first.checkpoint().resolve(Checkpoints.WEIGHTS))).isEqualTo(digest);
    }

    private static Map<Integer, Double> losses(Path journal) throws IOException {
        Map<Integer, Double> losses = new TreeMap<>();
        for (RunEvent event : EventJournal.read(journal)) {
            if (event.type().equals("metric") && event.fields().containsKey("loss")) {
                losses.put((int) event.number("step"), event.number("loss"));
            }
        }
        return losses;
    }

    private static Process startChild(String mode, Path runDir, Path journal) throws IOException {
        return ChildJvm.start(TrainChild.class, runDir.resolve("child.log"), mode, runDir.toString(), journal.toString(),
                Integer.toString(STEPS));
    }

    private static int waitForCheckpoint(Process child, Path checkpoints) throws Exception {
        return ChildJvm.waitForCheckpoint(child, checkpoints, KILL_AFTER, STEPS,
                checkpoints.getParent().resolve("child.log"));
    }
}
