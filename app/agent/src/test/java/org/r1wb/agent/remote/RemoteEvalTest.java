package org.r1wb.agent.remote;

import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.server.keyprovider.SimpleGeneratorHostKeyProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.r1wb.agent.ExitCodes;
import org.r1wb.agent.R1wbCommand;
import org.r1wb.agent.RunFolder;
import org.r1wb.agent.TinyRuns;
import org.r1wb.model.eval.EvalCache;
import org.r1wb.model.train.Checkpoints;
import org.r1wb.resources.SampleProse;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * {@code r1wb remote eval} against an embedded MINA SSHD node: the evaluation runs in the node's agent, its
 * answers come home and the results land in the local store under the keys a local {@code r1wb eval} uses (which
 * then serves them from the cache); a second remote evaluation is served from the node's store.
 */
class RemoteEvalTest {

    /** A result line of {@code r1wb eval}, as the node prints it and this command relays it. */
    private static final Pattern RESULT = Pattern.compile("gpu1\\| {5}tinyp-prose (\\S+) = (\\S+) ± (\\S+) \\(n=2\\)");

    private StringWriter out;
    private StringWriter err;

    @Test
    void evaluatesOnTheNodeAndTheResultsLandInTheLocalStore(@TempDir Path tmp) throws Exception {
        TestKeys keys = TestKeys.create(tmp.resolve("keys"), "id_ed25519");
        Path hostKey = tmp.resolve("hostkey");
        try (MinaNode server = new MinaNode(hostKey, keys.authorizedKeys(), null).start()) {
            Path ws = tmp.resolve("workspace");
            RunFolder run = TinyRuns.create(ws, "ev", 4, 4);
            assertThat(r1wb("train", "--device-every", "0", "--run-dir", run.dir().toString())).as(out + "\n" + err).isZero();
            Path checkpoint = run.dir().resolve("checkpoints/final");
            writeSuite(ws.resolve("evals"));
            new NodeList(List.of(new NodeSpec("gpu1", "127.0.0.1", server.port(), System.getProperty("user.name"),
                    keys.privateKey().toString(), false, null, tmp.resolve("node-home").toString(), null))).save(ws);
            Path dist = tmp.resolve("dist/lib");
            Files.createDirectories(dist);
            for (Map.Entry<String, Path> file : TestDistribution.get().files().entrySet()) {
                Files.copy(file.getValue(), dist.resolve(Path.of(file.getKey()).getFileName()));
            }
            List<String> remote = List.of("remote", "eval", "-w", ws.toString(), "--known-hosts",
                    tmp.resolve("known_hosts").toString(), "--accept-host-key", KeyUtils.getFingerPrint(hostPublicKey(hostKey)),
                    "--distribution", dist.getParent().toString(), "--node", "gpu1", checkpoint.toString(), "--suite", "tinyp");

            assertThat(r1wb(remote.toArray(String[]::new))).as(out + "\n" + err).isEqualTo(ExitCodes.OK);
            assertThat(out.toString()).contains("uploaded the agent", "gpu1| ", "computing 2 requests", "answers brought from gpu1");
            String digest = Checkpoints.sha256(checkpoint.resolve(Checkpoints.WEIGHTS));
            List<EvalCache.StoredResult> local;
            try (EvalCache cache = EvalCache.open(ws.resolve("r1wb.db"))) {
                local = cache.resultsOf(digest);
            }
            assertThat(local).extracting(EvalCache.StoredResult::metric).containsExactlyInAnyOrder("perplexity", "bits_per_byte");
            Matcher printed = RESULT.matcher(out.toString());
            int seen = 0;
            while (printed.find()) {
                seen++;
                String metric = printed.group(1);
                double value = Double.parseDouble(printed.group(2));
                assertThat(local.stream().filter(r -> r.metric().equals(metric)).findFirst().orElseThrow().value())
                        .as("what the node computed, " + metric).isCloseTo(value, within(1e-4));
            }
            assertThat(seen).as("the node's result lines, relayed, in " + out).isEqualTo(2);
            Path nodeStore;
            try (Stream<Path> found = Files.walk(tmp.resolve("node-home/eval"))) {
                nodeStore = found.filter(p -> p.getFileName().toString().equals("r1wb.db")).findFirst().orElseThrow();
            }
            try (EvalCache onNode = EvalCache.open(nodeStore)) {
                assertThat(onNode.resultsOf(digest)).extracting(EvalCache.StoredResult::value)
                        .containsExactlyInAnyOrderElementsOf(local.stream().map(EvalCache.StoredResult::value).toList());
            }

            assertThat(r1wb("eval", checkpoint.toString(), "-w", ws.toString(), "--suite", "tinyp")).as(out + "\n" + err).isZero();
            assertThat(out.toString()).as("a local run finds the node's results under its own keys")
                    .contains("all results served from the cache");

            assertThat(r1wb(remote.toArray(String[]::new))).as(out + "\n" + err).isEqualTo(ExitCodes.OK);
            assertThat(out.toString()).contains("the agent is there already", "the node has the tokenizer",
                    "gpu1|   eval tinyp-prose: served from the cache");
        }
    }

    private static void writeSuite(Path evals) throws Exception {
        Files.createDirectories(evals);
        StringBuilder jsonl = new StringBuilder();
        for (String text : SampleProse.paragraphs(99, 2)) {
            jsonl.append("{\"text\": \"").append(text.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n"))
                    .append("\"}\n");
        }
        Files.writeString(evals.resolve("tinyp-prose.jsonl"), jsonl);
        Files.writeString(evals.resolve("tinyp-prose.yaml"), "task: tinyp-prose\ndata: {file: tinyp-prose.jsonl}\n"
                + "output_type: loglikelihood_rolling\nmetrics: [perplexity, bits_per_byte]\n");
        Files.writeString(evals.resolve("tinyp.yaml"), "suite: tinyp\ntasks: [tinyp-prose]\n");
    }

    private int r1wb(String... args) {
        out = new StringWriter();
        err = new StringWriter();
        CommandLine line = R1wbCommand.commandLine();
        line.setOut(new PrintWriter(out, true));
        line.setErr(new PrintWriter(err, true));
        return line.execute(args);
    }

    private static PublicKey hostPublicKey(Path hostKey) throws Exception {
        SimpleGeneratorHostKeyProvider provider = new SimpleGeneratorHostKeyProvider(hostKey);
        provider.setAlgorithm("EC");
        return provider.loadKeys(null).iterator().next().getPublic();
    }
}
