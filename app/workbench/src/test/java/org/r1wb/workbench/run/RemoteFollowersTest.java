package org.r1wb.workbench.run;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.r1wb.agent.ExitCodes;
import org.r1wb.agent.LocalRunLauncher;
import org.r1wb.agent.R1wbCommand;
import org.r1wb.agent.RunFolder;
import org.r1wb.model.spec.Balancing;
import org.r1wb.model.spec.GateFunction;
import org.r1wb.model.spec.ModelSpec;
import org.r1wb.model.spec.ModelSpecs;
import org.r1wb.model.spec.MoeSpec;
import org.r1wb.model.train.RunSpecs;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A run started on a node with nobody following it (the workbench was closed) is picked up when the workspace is
 * opened: one follower child per unfinished remote run, none while one is alive, and the mirror ends equal to the
 * node's journal.
 */
class RemoteFollowersTest {

    @Test
    void anUnfollowedRemoteRunIsFollowedAgainOnOpen(@TempDir Path tmp) throws Exception {
        try (SshTestNode node = SshTestNode.start(tmp)) {
            Path ws = node.workspace;
            Path model = ws.resolve("models/tiny.model.json");
            ModelSpecs.save(new ModelSpec(512, 32, 2, 2, 2, 16, 10_000, 64, 1e-5, 0.0, true, 1, 64,
                    new MoeSpec(4, 1, 2, 32, GateFunction.SOFTMAX, Balancing.AUX_FREE, 0.01, 0.001)), model);
            Path data;
            try (var dirs = Files.list(ws.resolve("data"))) {
                data = dirs.filter(d -> Files.isRegularFile(d.resolve("index.json"))).findFirst().orElseThrow();
            }
            LocalRunLauncher launcher = new LocalRunLauncher(List.of("-Xmx512m"));
            RunStarter starter = new RunStarter(ws, launcher, node.knownHosts);
            RunFolder run = RunFolder.of(ws, "away");
            Files.createDirectories(run.dir());
            RunSpecs.save(starter.spec(new RunRequest(data, model, 120, 1e-3, 1, RunTarget.node(SshTestNode.NAME)), run.id()), run.spec());

            StringWriter out = new StringWriter();
            int started = R1wbCommand.commandLine().setOut(new PrintWriter(out, true)).setErr(new PrintWriter(out, true))
                    .execute("remote", "start", "-w", ws.toString(), "--known-hosts", node.knownHosts.toString(),
                            "--accept-host-key", node.fingerprint(), "--node", SshTestNode.NAME, run.id());
            assertThat(started).as(out.toString()).isEqualTo(ExitCodes.OK);
            assertThat(run.isRemote()).isTrue();
            assertThat(run.events()).as("nobody has followed it yet").doesNotExist();

            RemoteFollowers followers = new RemoteFollowers(ws, launcher, node.knownHosts);
            assertThat(followers.resume()).extracting(RunFolder::id).containsExactly("away");
            assertThat(followers.resume()).as("no second follower while the first is alive").isEmpty();
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(4);
            while (!RunFolder.isFinal(run.state()) && System.nanoTime() < deadline) {
                Thread.sleep(200);
            }
            assertThat(run.state()).as(Files.readString(run.dir().resolve(RunFolder.LOG))).isEqualTo("finished");
            assertThat(Files.readAllLines(run.events())).isEqualTo(Files.readAllLines(node.journalOnNode(run.id())));
            assertThat(followers.resume()).as("a finished run needs no follower").isEmpty();
        }
    }
}
