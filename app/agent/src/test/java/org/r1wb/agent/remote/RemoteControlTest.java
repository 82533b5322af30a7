package org.r1wb.agent.remote;

import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.r1wb.agent.FakeNvidiaSmi;
import org.r1wb.agent.RunFolder;
import org.r1wb.agent.TinyRuns;
import org.r1wb.agent.store.EventStore;
import org.r1wb.model.nn.MoeTransformer;
import org.r1wb.model.run.EventJournal;
import org.r1wb.model.run.RunEvent;
import org.r1wb.model.train.CheckpointMeta;
import org.r1wb.model.train.Checkpoints;
import org.r1wb.model.train.RunSpec;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Controlling a run on a node over SSH: cancel, GPU telemetry through attach, checkpoint download. */
class RemoteControlTest {

    @Test
    void aCancelledNodeRunEndsCancelledWithItsGpuSamplesInTheStore(@TempDir Path tmp) throws Exception {
        Path fakeGpu = FakeNvidiaSmi.install(tmp.resolve("fake-gpu"));
        TestKeys keys = TestKeys.create(tmp.resolve("keys"), "id");
        String path = fakeGpu + ":" + System.getenv("PATH");
        try (MinaNode server = new MinaNode(tmp.resolve("hostkey"), keys.authorizedKeys(), path).start()) {
            Node node = Node.of(tmp, keys, server.port());
            // far more steps than it will take: the cancel must end it
            RemoteRun run = node.start(TinyRuns.spec("remote-cancel", 100_000, 0), Duration.ofMillis(200));
            try (EventStore store = EventStore.open(tmp.resolve("ws").resolve(EventStore.FILE))) {
                CompletableFuture<EventFollower.Result> following = node.follow(run, store);
                TinyRuns.await("training steps and two GPU samples in the local store", Duration.ofMinutes(3),
                        () -> count(store, run, "metric") >= 1 && count(store, run, "device") >= 2);
                try (SshSession ssh = node.connector.open(node.spec)) {
                    new RemoteNode(ssh).cancel(run);
                }
                EventFollower.Result result = following.get(3, TimeUnit.MINUTES);

                assertThat(result.finalState()).isEqualTo("cancelled");
                List<RunEvent> onNode = EventJournal.read(new RunFolder(Path.of(run.runDir())).events());
                List<RunEvent> local = store.events(run.runId(), 0);
                assertThat(local).extracting(EventJournal::toJson)
                        .containsExactlyElementsOf(onNode.stream().map(EventJournal::toJson).toList());
                assertThat(onNode.get(onNode.size() - 1).text("state")).isEqualTo("cancelled");
                assertThat(onNode).filteredOn(e -> "metric".equals(e.type()) && !Double.isNaN(e.number("loss")))
                        .as("stopped long before its steps").hasSizeBetween(1, 99_999);
                List<RunEvent> devices = local.stream().filter(e -> "device".equals(e.type())).toList();
                assertThat(devices).allSatisfy(d -> {
                    assertThat(d.text("state")).isEqualTo("ok");
                    assertThat(d.text("name")).isEqualTo("Fake GPU");
                    assertThat(d.number("mem_used_mib")).isEqualTo(2048);
                });
                assertThat(devices).extracting(d -> d.number("util")).isSorted().doesNotHaveDuplicates();
            }
        }
    }

    @Test
    void aCheckpointDownloadsIdenticalAndLoadsAndACutLeavesNothingThatLooksComplete(@TempDir Path tmp) throws Exception {
        TestKeys keys = TestKeys.create(tmp.resolve("keys"), "id");
        try (MinaNode server = new MinaNode(tmp.resolve("hostkey"), keys.authorizedKeys(), null).start();
             CuttingProxy proxy = new CuttingProxy(server.port())) {
            Node node = Node.of(tmp, keys, proxy.port());
            RemoteRun run = node.start(TinyRuns.spec("remote-ckpt", 20, 10), Duration.ZERO);
            RunEvent lastCheckpoint;
            try (EventStore store = EventStore.open(tmp.resolve("ws").resolve(EventStore.FILE))) {
                assertThat(node.follow(run, store).get(3, TimeUnit.MINUTES).finalState()).isEqualTo("finished");
                lastCheckpoint = store.events(run.runId(), 0).stream().filter(e -> "checkpoint".equals(e.type()))
                        .reduce((a, b) -> b).orElseThrow();
            }
            Path nodeCheckpoint = Path.of(run.runDir()).resolve(lastCheckpoint.text("path"));
            String name = nodeCheckpoint.getFileName().toString();
            Path local = tmp.resolve("ws/runs/remote-ckpt/checkpoints");

            long weights = Files.size(nodeCheckpoint.resolve(Checkpoints.WEIGHTS));
            try (SshSession ssh = node.connector.open(node.spec)) {
                proxy.cutAfter(weights / 2);
                assertThatThrownBy(() -> new RemoteNode(ssh).downloadCheckpoint(run, name, local))
                        .isInstanceOfSatisfying(RemoteException.class, e -> {
                            assertThat(e.isTransient()).isTrue();
                            assertThat(e.getMessage()).as("cut while a file was coming").contains("download");
                        });
            }
            try (Stream<Path> left = Files.walk(local)) {
                assertThat(left.filter(p -> !p.equals(local)).toList()).as("a cut download leaves nothing behind").isEmpty();
            }

            Path downloaded;
            try (SshSession ssh = node.connector.open(node.spec)) {
                downloaded = new RemoteNode(ssh).downloadCheckpoint(run, name, local);
            }
            assertThat(downloaded).isEqualTo(local.resolve(name));
            try (Stream<Path> nodeFiles = Files.list(nodeCheckpoint); Stream<Path> localFiles = Files.list(downloaded)) {
                List<String> names = nodeFiles.map(p -> p.getFileName().toString()).sorted().toList();
                assertThat(localFiles.map(p -> p.getFileName().toString()).sorted().toList()).isEqualTo(names)
                        .contains(Checkpoints.WEIGHTS, Checkpoints.OPTIMIZER, Checkpoints.META);
                for (String file : names) {
                    assertThat(Checkpoints.sha256(downloaded.resolve(file))).as(file)
                            .isEqualTo(Checkpoints.sha256(nodeCheckpoint.resolve(file)));
                }
            }
            assertThat(Checkpoints.sha256(downloaded.resolve(Checkpoints.WEIGHTS))).isEqualTo(lastCheckpoint.text("digest"));

            CheckpointMeta meta = Checkpoints.readMeta(downloaded);
            assertThat(meta.step()).isEqualTo((int) lastCheckpoint.number("step"));
            try (NDManager manager = NDManager.newBaseManager()) {
                MoeTransformer model = Checkpoints.loadModel(downloaded, meta, manager);
                assertThat(model.getParameters().size()).isPositive();
                assertThat(model.getParameters().valueAt(0).getArray().getShape().size()).isPositive();
            }
        }
    }

    private static long count(EventStore store, RemoteRun run, String type) {
        try {
            return store.events(run.runId(), 0).stream().filter(e -> type.equals(e.type())).count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A MINA node reached at {@code port}, its shards and distribution uploaded on first start. */
    private record Node(NodeSpec spec, SshConnector connector, Path workspace) {

        static Node of(Path tmp, TestKeys keys, int port) {
            NodeSpec spec = new NodeSpec("mina", "127.0.0.1", port, System.getProperty("user.name"),
                    keys.privateKey().toString(), false, null, tmp.resolve("node-home").toString(), null);
            Path ws = tmp.resolve("ws");
            return new Node(spec, new SshConnector(ws.resolve("known_hosts"), (h, t, f) -> true, Passphrases.NONE), ws);
        }

        RemoteRun start(RunSpec run, Duration deviceEvery) throws IOException {
            try (SshSession ssh = connector.open(spec)) {
                RemoteNode remote = new RemoteNode(ssh);
                RemoteNode.Upload dist = remote.ensureDistribution(TestDistribution.get());
                RemoteNode.Upload data = remote.ensureData(TinyRuns.shards(workspace));
                return remote.startRun(run, dist, data, deviceEvery);
            }
        }

        CompletableFuture<EventFollower.Result> follow(RemoteRun run, EventStore store) {
            EventFollower follower = new EventFollower(connector, run, store,
                    new Backoff(Duration.ofMillis(50), Duration.ofMillis(800), new Random(1)), new EventFollower.Listener() { });
            return CompletableFuture.supplyAsync(() -> {
                try {
                    return follower.follow(Duration.ofMinutes(4));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
        }
    }
}
