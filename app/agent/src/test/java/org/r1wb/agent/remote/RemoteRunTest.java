package org.r1wb.agent.remote;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.r1wb.agent.RunFolder;
import org.r1wb.agent.TinyRuns;
import org.r1wb.agent.store.EventStore;
import org.r1wb.model.run.EventJournal;
import org.r1wb.model.run.RunEvent;
import org.r1wb.model.train.RunSpec;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.LongStream;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The promise of remote runs, end to end over real SSH: a small training run is started on a node, the link is
 * cut at least {@value #CUTS} times at random moments while it runs, and at the end the local store holds
 * exactly the node's events, each once, seq 1..N, and the run finished. Once against an embedded MINA SSHD
 * server, once against a real OpenSSH sshd.
 */
class RemoteRunTest {

    private static final int CUTS = 20;
    /** Cut attempts allowed to reach {@link #CUTS} severing ones (some land between connections). */
    private static final int MAX_ATTEMPTS = CUTS + 10;
    /** About 8 s of training on 2 idle cores, long enough for {@value #CUTS} cuts 0.1–0.3 s apart and more. */
    private static final int STEPS = 800;
    private static final Pattern STEP = Pattern.compile("\"step\":(\\d+)");
    private static final String PASSPHRASE = "tiger lily 42 / never stored";

    @Test
    void minaNodeRunFinishesAndTheStoreHoldsExactlyItsEventsDespiteCuts(@TempDir Path tmp) throws Exception {
        TestKeys keys = TestKeys.create(tmp.resolve("keys"), "id_ed25519", PASSPHRASE);
        try (MinaNode server = new MinaNode(tmp.resolve("mina-hostkey"), keys.authorizedKeys(), null).start();
             CuttingProxy proxy = new CuttingProxy(server.port())) {
            exercise(tmp, keys, proxy, "mina", cut -> {
                if (cut % 4 == 3) {
                    int live = proxy.openPairs();
                    server.stop();
                    server.start();
                    return live;
                }
                return proxy.cut();
            });
        }
    }

    @Test
    void openSshNodeRunFinishesAndTheStoreHoldsExactlyItsEventsDespiteCuts(@TempDir Path tmp) throws Exception {
        String unavailable = OpenSshNode.unavailable();
        Assumptions.assumeTrue(unavailable == null, () -> "skipped: " + unavailable);
        TestKeys keys = TestKeys.create(tmp.resolve("keys"), "id_ed25519", PASSPHRASE);
        try (OpenSshNode server = new OpenSshNode(tmp.resolve("sshd"), keys.authorizedKeys()).start();
             CuttingProxy proxy = new CuttingProxy(server.port())) {
            exercise(tmp, keys, proxy, "openssh", cut -> proxy.cut());
        }
    }

    @FunctionalInterface
    interface Cut {
        /** Cuts the link; returns how many live connections it severed (0 when the follower was between connections). */
        int cut(int index) throws IOException;
    }

    private static void exercise(Path tmp, TestKeys keys, CuttingProxy proxy, String kind, Cut cutter) throws Exception {
        Path ws = tmp.resolve("workspace");
        Path shards = TinyRuns.shards(ws);
        Path nodeHome = tmp.resolve("node-home");
        NodeSpec node = new NodeSpec(kind, "127.0.0.1", proxy.port(), System.getProperty("user.name"),
                keys.privateKey().toString(), false, null, nodeHome.toString(), null);
        new NodeList(List.of(node)).save(ws);
        List<String> prompted = new ArrayList<>();
        SshConnector connector = new SshConnector(ws.resolve("known_hosts"), (host, type, fingerprint) -> {
            prompted.add(fingerprint);
            return true;
        }, keyFile -> PASSPHRASE.toCharArray());

        RunSpec spec = TinyRuns.spec("remote-" + kind, STEPS, 100);
        RemoteRun run;
        try (SshSession ssh = connector.open(node)) {
            RemoteNode remote = new RemoteNode(ssh);
            assertThat(remote.checkJava()).contains("version");
            RemoteNode.Upload dist = remote.ensureDistribution(TestDistribution.get());
            assertThat(dist.transferred()).isTrue();
            assertThat(remote.ensureDistribution(TestDistribution.get()).transferred()).as("once per digest").isFalse();
            RemoteNode.Upload data = remote.ensureData(shards);
            assertThat(remote.ensureData(shards).transferred()).isFalse();
            run = remote.startRun(spec, dist, data);
            List<Map<String, Object>> gpus = remote.gpuStatus();
            assertThat(gpus).isNotEmpty();
            if (!onPath("nvidia-smi")) {
                assertThat(gpus).singleElement().satisfies(g -> assertThat(g.get("state")).isEqualTo("no-gpu"));
            }
        }
        assertThat(prompted).as("the unknown host was prompted once, then known").hasSize(1);

        RunFolder nodeRun = new RunFolder(Path.of(run.runDir()));
        AtomicLong stored = new AtomicLong();
        try (EventStore store = EventStore.open(ws.resolve(EventStore.FILE))) {
            EventFollower follower = new EventFollower(connector, run, store,
                    new Backoff(Duration.ofMillis(50), Duration.ofMillis(800), new Random(1)), new EventFollower.Listener() {
                        @Override
                        public void stored(RunEvent event) {
                            stored.incrementAndGet();
                        }
                    });
            CompletableFuture<EventFollower.Result> following = CompletableFuture.supplyAsync(() -> {
                try {
                    return follower.follow(Duration.ofMinutes(8));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });

            // cut k waits for the node's run to pass step (k+1)·STEPS/(CUTS+2) and for a random pause, so the cuts
            // spread over the whole run at any speed and hit the follower in every phase: handshake, attach start, stream
            Random random = new Random(42);
            // a cut that lands while the follower is backing off between connections has nothing to sever: keep
            // cutting (up to MAX_ATTEMPTS) until CUTS of them severed a live connection
            int attempts = 0;
            int severing = 0;
            long storedBeforeLastCut = 0;
            long started = System.nanoTime();
            while (severing < CUTS && attempts < MAX_ATTEMPTS && !following.isDone()) {
                long slot = (long) (attempts + 1) * STEPS / (MAX_ATTEMPTS + 2);
                Thread.sleep(100 + random.nextInt(200));
                TinyRuns.await("step " + slot + " on the node", Duration.ofMinutes(3), () -> lastStep(nodeRun) >= slot);
                if (!"running".equals(nodeRun.state())) {
                    break;
                }
                storedBeforeLastCut = stored.get();
                if (cutter.cut(attempts) > 0) {
                    severing++;
                }
                attempts++;
            }
            double cutSeconds = (System.nanoTime() - started) / 1e9;
            EventFollower.Result result = following.get(8, TimeUnit.MINUTES);

            assertThat(severing).as("cuts that severed a live connection while the run was running (%d attempts in %.0f s;"
                    + " raise STEPS if the run ended first)", attempts, cutSeconds).isEqualTo(CUTS);
            assertThat(storedBeforeLastCut).as("events arrived between cuts, not only at the end").isPositive();
            assertThat(result.finalState()).isEqualTo("finished");
            assertThat(result.connections()).as("a new connection after every severing cut").isGreaterThan(severing);
            List<RunEvent> onNode = EventJournal.read(nodeRun.events());
            List<RunEvent> local = store.events(run.runId(), 0);
            assertThat(local).hasSameSizeAs(onNode);
            assertThat(local).extracting(RunEvent::seq)
                    .containsExactlyElementsOf(LongStream.rangeClosed(1, onNode.size()).boxed().toList());
            assertThat(local).extracting(EventJournal::toJson).containsExactlyElementsOf(onNode.stream().map(EventJournal::toJson).toList());
            assertThat(onNode).filteredOn(e -> "metric".equals(e.type()) && !Double.isNaN(e.number("loss"))).hasSize(STEPS);
            assertThat(result.events()).isEqualTo(onNode.size());
        }
        assertNoSecretIn(List.of(ws, nodeHome), keys);
    }

    /** No private key material and no passphrase in the workspace, the store, the node's folder or any log. */
    private static void assertNoSecretIn(List<Path> roots, TestKeys keys) throws IOException {
        String body = keys.privateBody();
        List<String> needles = List.of(PASSPHRASE, body.substring(0, 40), body.substring(body.length() - 40),
                "PRIVATE KEY");
        int scanned = 0;
        for (Path root : roots) {
            try (Stream<Path> files = Files.walk(root)) {
                for (Path file : files.filter(Files::isRegularFile).filter(f -> !f.startsWith(keys.privateKey().getParent())).toList()) {
                    if (file.toString().endsWith(".jar") || file.toString().endsWith(".bin") || file.toString().endsWith(".params")) {
                        continue;
                    }
                    String text = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
                    for (String needle : needles) {
                        assertThat(text).as(file + " must not hold key material").doesNotContain(needle);
                    }
                    scanned++;
                }
            }
        }
        assertThat(scanned).as("files scanned").isGreaterThan(5);
    }

    /** The last step the node's journal reports, from its tail (the whole file would be re-parsed 20 times a second). */
    private static long lastStep(RunFolder run) {
        try (RandomAccessFile file = new RandomAccessFile(run.events().toFile(), "r")) {
            long from = Math.max(0, file.length() - 4096);
            byte[] tail = new byte[(int) (file.length() - from)];
            file.seek(from);
            file.readFully(tail);
            Matcher step = STEP.matcher(new String(tail, StandardCharsets.UTF_8));
            long last = 0;
            while (step.find()) {
                last = Long.parseLong(step.group(1));
            }
            return last;
        } catch (IOException e) {
            return 0;
        }
    }

    private static boolean onPath(String command) {
        return Stream.of(System.getenv().getOrDefault("PATH", "").split(":"))
                .anyMatch(dir -> !dir.isEmpty() && Files.isExecutable(Path.of(dir, command)));
    }
}
