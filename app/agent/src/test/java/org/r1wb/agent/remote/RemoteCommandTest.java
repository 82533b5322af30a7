package org.r1wb.agent.remote;

import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.server.keyprovider.SimpleGeneratorHostKeyProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.r1wb.agent.ExitCodes;
import org.r1wb.agent.R1wbCommand;
import org.r1wb.agent.RunFolder;
import org.r1wb.agent.TinyRuns;
import org.r1wb.agent.store.EventStore;
import org.r1wb.model.run.EventJournal;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code r1wb remote start|follow|cancel} against an embedded MINA SSHD node, as a user runs them: an unknown host
 * is refused until its fingerprint is given, the run trains on the node, and the local run folder becomes a
 * mirror whose journal is the node's, line for line, with the store holding the same events.
 */
class RemoteCommandTest {

    private StringWriter out;
    private StringWriter err;
    private String distribution;

    @Test
    void aRunStartedFollowedAndCancelledFromTheCommandLine(@TempDir Path tmp) throws Exception {
        TestKeys keys = TestKeys.create(tmp.resolve("keys"), "id_ed25519");
        Path hostKey = tmp.resolve("hostkey");
        try (MinaNode server = new MinaNode(hostKey, keys.authorizedKeys(), null).start()) {
            Path ws = tmp.resolve("workspace");
            TinyRuns.create(ws, "short", 40, 20);
            TinyRuns.create(ws, "long", 100_000, 50);
            new NodeList(List.of(new NodeSpec("gpu1", "127.0.0.1", server.port(), System.getProperty("user.name"),
                    keys.privateKey().toString(), false, null, tmp.resolve("node-home").toString(), null))).save(ws);
            Path dist = tmp.resolve("dist/lib");
            Files.createDirectories(dist);
            for (Map.Entry<String, Path> file : TestDistribution.get().files().entrySet()) {
                Files.copy(file.getValue(), dist.resolve(Path.of(file.getKey()).getFileName()));
            }
            Path knownHosts = tmp.resolve("known_hosts");
            String fingerprint = KeyUtils.getFingerPrint(hostPublicKey(hostKey));
            List<String> common = List.of("-w", ws.toString(), "--known-hosts", knownHosts.toString());
            distribution = dist.getParent().toString();

            int refused = r1wb(common, "remote", "start", "--node", "gpu1", "short");
            assertThat(refused).isEqualTo(ExitCodes.BAD_INPUT);
            assertThat(err.toString()).contains("not in known_hosts", fingerprint, "--accept-host-key");
            assertThat(knownHosts).satisfiesAnyOf(f -> assertThat(f).doesNotExist(), f -> assertThat(f).isEmptyFile());
            assertThat(RunFolder.of(ws, "short").isRemote()).isFalse();

            assertThat(r1wb(common, "remote", "start", "--node", "gpu1", "short", "--accept-host-key", "SHA256:not-it"))
                    .isEqualTo(ExitCodes.BAD_INPUT);
            assertThat(err.toString()).contains("refusing", fingerprint);

            int started = r1wb(common, "remote", "start", "--node", "gpu1", "short", "--accept-host-key", fingerprint, "--follow");
            assertThat(started).as(out + "\n" + err).isEqualTo(ExitCodes.OK);
            assertThat(out.toString()).contains("uploaded the agent", "started short on gpu1", "checkpoint at step 20", "short: finished");
            RunFolder local = RunFolder.of(ws, "short");
            Path onNode = tmp.resolve("node-home/workspace/runs/short/events.jsonl");
            assertThat(local.isRemote()).isTrue();
            assertThat(local.state()).isEqualTo("finished");
            assertThat(Files.readAllLines(local.events())).as("the mirror is the node's journal").isEqualTo(Files.readAllLines(onNode));
            try (EventStore store = EventStore.open(ws.resolve(EventStore.FILE))) {
                assertThat(store.count("short")).isEqualTo(EventJournal.read(onNode).size());
            }

            assertThat(r1wb(common, "remote", "follow", "short")).as(out + "\n" + err).isEqualTo(ExitCodes.OK);
            assertThat(Files.readAllLines(local.events())).as("following again adds nothing").isEqualTo(Files.readAllLines(onNode));
            assertThat(r1wb(common, "remote", "start", "--node", "gpu1", "short")).isEqualTo(ExitCodes.BAD_INPUT);
            assertThat(err.toString()).contains("already", "r1wb remote follow short");

            assertThat(r1wb(common, "remote", "start", "--node", "gpu1", "long")).as(out + "\n" + err).isEqualTo(ExitCodes.OK);
            assertThat(out.toString()).contains("the agent is there already", "the shards are there already");
            Path longOnNode = tmp.resolve("node-home/workspace/runs/long/events.jsonl");
            TinyRuns.await("the long run's first steps", Duration.ofMinutes(2), () -> stepsIn(longOnNode) >= 5);
            assertThat(r1wb(common, "remote", "cancel", "long")).isEqualTo(ExitCodes.OK);
            assertThat(r1wb(common, "remote", "follow", "long")).isEqualTo(ExitCodes.CANCELLED);
            assertThat(RunFolder.of(ws, "long").state()).isEqualTo("cancelled");
            assertThat(Files.readAllLines(RunFolder.of(ws, "long").events())).isEqualTo(Files.readAllLines(longOnNode));
        }
    }

    private int r1wb(List<String> common, String... args) {
        out = new StringWriter();
        err = new StringWriter();
        CommandLine line = R1wbCommand.commandLine();
        line.setOut(new PrintWriter(out, true));
        line.setErr(new PrintWriter(err, true));
        // the subcommand path first, then the shared options
        int split = args[0].equals("remote") ? 2 : 1;
        List<String> all = new ArrayList<>(List.of(args).subList(0, split));
        all.addAll(common);
        if (args[1].equals("start")) {
            all.addAll(List.of("--distribution", distribution));
        }
        all.addAll(List.of(args).subList(split, args.length));
        return line.execute(all.toArray(String[]::new));
    }

    private static long stepsIn(Path journal) {
        try {
            return EventJournal.read(journal).stream().filter(e -> "metric".equals(e.type())).count();
        } catch (IOException e) {
            return 0;
        }
    }

    private static PublicKey hostPublicKey(Path hostKey) throws Exception {
        SimpleGeneratorHostKeyProvider provider = new SimpleGeneratorHostKeyProvider(hostKey);
        provider.setAlgorithm("EC");
        return provider.loadKeys(null).iterator().next().getPublic();
    }
}
