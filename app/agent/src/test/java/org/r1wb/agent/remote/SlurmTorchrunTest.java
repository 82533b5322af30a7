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
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A training run submitted to the one-node test cluster with the PyTorch backend: the job script runs
 * {@code srun torchrun --nproc_per_node=2 -m r1wb_torch.train} (DDP over gloo on the CPU) from the sources the agent
 * uploaded, and the run is followed as any Slurm run: its journal (written by rank 0) reaches the local store.
 */
class SlurmTorchrunTest {

    private static final int STEPS = 12;

    @Test
    void aPytorchRunTrainsUnderTorchrunOnTheClusterAndIsFollowed(@TempDir Path tmp) throws Exception {
        String unavailable = LocalSlurm.unavailable();
        Assumptions.assumeTrue(unavailable == null, () -> "skipped: " + unavailable);
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/torchrun")),
                "skipped: /usr/bin/torchrun is missing (apt-get install python3-torch; .ci/run does)");
        TestKeys keys = TestKeys.create(tmp.resolve("keys"), "id_ed25519");
        try (LocalSlurm slurm = LocalSlurm.start(tmp.resolve("slurm"));
             MinaNode login = new MinaNode(tmp.resolve("hostkey"), keys.authorizedKeys(), null).start()) {
            Path ws = tmp.resolve("workspace");
            Path shards = TinyRuns.shards(ws);
            NodeSpec node = new NodeSpec("login", "127.0.0.1", login.port(), System.getProperty("user.name"),
                    keys.privateKey().toString(), false, null, tmp.resolve("cluster-home").toString(), null);
            SshConnector connector = new SshConnector(ws.resolve("known_hosts"), (host, type, fingerprint) -> true, file -> null);
            SlurmTarget target = new SlurmTarget("login", slurm.setup(), "", "", 1, 0, 2, "30", SlurmTarget.PYTORCH, 2);
            assertThat(target.problems()).isEmpty();

            RemoteRun run;
            String job;
            try (SshSession ssh = connector.open(node)) {
                RemoteNode remote = new RemoteNode(ssh);
                run = remote.prepareRun(TinyRuns.spec("torch-run", STEPS, 0),
                        remote.ensureDistribution(TestDistribution.get()), remote.ensureData(shards));
                RemoteNode.Upload backend = remote.ensurePythonBackend();
                assertThat(Path.of(backend.path(), "r1wb_torch", "train.py")).exists();
                assertThat(remote.ensurePythonBackend().transferred()).as("uploaded once").isFalse();
                job = new SlurmCluster(ssh, target).submit(run, backend.path());
            }
            RunFolder onNode = new RunFolder(Path.of(run.runDir()));
            assertThat(Files.readString(onNode.dir().resolve(SlurmCluster.SCRIPT_FILE)))
                    .contains("srun --kill-on-bad-exit=1 torchrun --standalone --nproc_per_node=2", "-m r1wb_torch.train",
                            "--resume", "#SBATCH --signal=TERM@120");

            try (EventStore store = EventStore.open(ws.resolve(EventStore.FILE))) {
                SlurmRunFollower follower = new SlurmRunFollower(connector, target, run, store,
                        new Backoff(Duration.ofMillis(50), Duration.ofMillis(500), new Random(3)),
                        new SlurmRunFollower.Listener() {
                        }, Duration.ofMillis(300));
                SlurmRunFollower.Result result;
                try {
                    result = follower.follow(job, Duration.ofMinutes(4));
                } catch (Exception e) {
                    throw new AssertionError(e.getMessage() + "; the job's log:\n" + log(onNode, job), e);
                }
                assertThat(result.jobState()).as(log(onNode, job)).isEqualTo(JobState.COMPLETED);
                assertThat(result.runState()).isEqualTo("finished");

                List<RunEvent> journal = EventJournal.read(onNode.events());
                assertThat(journal).filteredOn(e -> "status".equals(e.type())).extracting(e -> e.text("message"))
                        .as("rank 0 says how many ranks train").anyMatch(m -> m.contains("2 rank(s)"));
                assertThat(journal).as("one metric per step, from rank 0 only")
                        .filteredOn(e -> "metric".equals(e.type()) && e.fields().containsKey("loss"))
                        .extracting(e -> (int) e.number("step"))
                        .containsExactlyElementsOf(IntStream.rangeClosed(1, STEPS).boxed().toList());
                assertThat(store.events(run.runId(), 0)).extracting(EventJournal::toJson)
                        .containsExactlyElementsOf(journal.stream().map(EventJournal::toJson).toList());
            }
        }
    }

    private static String log(RunFolder run, String job) {
        try {
            return Files.readString(run.dir().resolve("slurm-" + job + ".log"));
        } catch (java.io.IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }
}
