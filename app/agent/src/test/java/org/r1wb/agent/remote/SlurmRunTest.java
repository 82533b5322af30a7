package org.r1wb.agent.remote;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.r1wb.agent.RunFolder;
import org.r1wb.agent.TinyRuns;
import org.r1wb.agent.slurm.JobState;
import org.r1wb.agent.slurm.SlurmCluster;
import org.r1wb.agent.slurm.SlurmRunFollower;
import org.r1wb.agent.slurm.SlurmTarget;
import org.r1wb.agent.store.EventStore;
import org.r1wb.model.run.EventJournal;
import org.r1wb.model.run.RunEvent;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A training run submitted to a real one-node Slurm cluster through its login node (embedded MINA SSHD): it runs,
 * {@code scancel} stops it mid-run with a checkpoint, a second submission resumes it from that checkpoint, and at the
 * end the local store holds exactly the node's journal, in which every training step appears once.
 */
class SlurmRunTest {

    private static final int STEPS = 200;
    private static final int CHECKPOINT_EVERY = 20;

    @Test
    void scancelMidRunThenResubmitResumesFromTheCheckpoint(@TempDir Path tmp) throws Exception {
        String unavailable = LocalSlurm.unavailable();
        Assumptions.assumeTrue(unavailable == null, () -> "skipped: " + unavailable);
        TestKeys keys = TestKeys.create(tmp.resolve("keys"), "id_ed25519");
        try (LocalSlurm slurm = LocalSlurm.start(tmp.resolve("slurm"));
             MinaNode login = new MinaNode(tmp.resolve("hostkey"), keys.authorizedKeys(), null).start()) {
            Path ws = tmp.resolve("workspace");
            Path shards = TinyRuns.shards(ws);
            NodeSpec node = new NodeSpec("login", "127.0.0.1", login.port(), System.getProperty("user.name"),
                    keys.privateKey().toString(), false, null, tmp.resolve("cluster-home").toString(), null);
            SshConnector connector = new SshConnector(ws.resolve("known_hosts"), (host, type, fingerprint) -> true, file -> null);
            SlurmTarget target = SlurmTarget.onLoginNode("login", slurm.setup());

            RemoteRun run;
            String first;
            try (SshSession ssh = connector.open(node)) {
                RemoteNode remote = new RemoteNode(ssh);
                run = remote.prepareRun(TinyRuns.spec("slurm-run", STEPS, CHECKPOINT_EVERY),
                        remote.ensureDistribution(TestDistribution.get()), remote.ensureData(shards));
                first = new SlurmCluster(ssh, target).submit(run);
            }
            RunFolder onNode = new RunFolder(Path.of(run.runDir()));
            assertThat(Files.readString(onNode.dir().resolve(SlurmCluster.SCRIPT_FILE)))
                    .contains("#SBATCH --requeue", "#SBATCH --cpus-per-task=2", "train", "--resume");

            try (EventStore store = EventStore.open(ws.resolve(EventStore.FILE))) {
                SlurmRunFollower follower = new SlurmRunFollower(connector, target, run, store,
                        new Backoff(Duration.ofMillis(50), Duration.ofMillis(500), new Random(3)),
                        new SlurmRunFollower.Listener() {
                        }, Duration.ofMillis(300));
                CompletableFuture<SlurmRunFollower.Result> following = follow(follower, first);
                TinyRuns.await("step 30 of the Slurm job", Duration.ofMinutes(3), () -> lastMetricStep(onNode) >= 30);
                try (SshSession ssh = connector.open(node)) {
                    new SlurmCluster(ssh, target).cancel(first);
                }
                SlurmRunFollower.Result cancelled = following.get(3, TimeUnit.MINUTES);
                assertThat(cancelled.jobState()).isEqualTo(JobState.CANCELLED);
                assertThat(cancelled.runState()).as("SIGTERM from scancel reached the trainer, which said so").isEqualTo("cancelled");
                int stoppedAt = lastMetricStep(onNode);
                assertThat(stoppedAt).isBetween(30, STEPS - 1);
                assertThat(onNode.checkpoints().resolve("step-" + stoppedAt)).as("a checkpoint at the step it stopped").isDirectory();

                String second;
                try (SshSession ssh = connector.open(node)) {
                    SlurmCluster cluster = new SlurmCluster(ssh, target);
                    second = cluster.submit(run);
                    assertThat(cluster.jobs(run)).containsExactly(first, second);
                }
                SlurmRunFollower.Result finished = follow(follower, second).get(3, TimeUnit.MINUTES);
                assertThat(finished.jobState()).isEqualTo(JobState.COMPLETED);
                assertThat(finished.runState()).isEqualTo("finished");

                List<RunEvent> journal = EventJournal.read(onNode.events());
                assertThat(journal).filteredOn(e -> "status".equals(e.type()))
                        .extracting(e -> e.text("message")).anyMatch(m -> m.contains("from step " + stoppedAt));
                assertThat(journal).as("every step trained exactly once across the two jobs")
                        .filteredOn(e -> "metric".equals(e.type()) && !Double.isNaN(e.number("loss")))
                        .extracting(e -> (int) e.number("step")).containsExactlyElementsOf(IntStream.rangeClosed(1, STEPS).boxed().toList());
                List<RunEvent> local = store.events(run.runId(), 0);
                assertThat(local).extracting(RunEvent::seq)
                        .containsExactlyElementsOf(LongStream.rangeClosed(1, journal.size()).boxed().toList());
                assertThat(local).extracting(EventJournal::toJson).containsExactlyElementsOf(journal.stream().map(EventJournal::toJson).toList());
            }
        }
    }

    private static CompletableFuture<SlurmRunFollower.Result> follow(SlurmRunFollower follower, String job) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return follower.follow(job, Duration.ofMinutes(3));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    private static int lastMetricStep(RunFolder run) {
        try {
            return EventJournal.read(run.events()).stream().filter(e -> "metric".equals(e.type()) && !Double.isNaN(e.number("loss")))
                    .mapToInt(e -> (int) e.number("step")).max().orElse(0);
        } catch (java.io.IOException e) {
            return 0;
        }
    }
}
