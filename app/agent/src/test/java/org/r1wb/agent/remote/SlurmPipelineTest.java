package org.r1wb.agent.remote;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.server.keyprovider.SimpleGeneratorHostKeyProvider;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.r1wb.agent.R1wbCommand;
import org.r1wb.agent.RunFolder;
import org.r1wb.agent.slurm.JobState;
import org.r1wb.agent.slurm.PipelineBatch;
import org.r1wb.agent.slurm.PipelineRunBinding;
import org.r1wb.agent.slurm.SlurmCluster;
import org.r1wb.agent.slurm.SlurmTarget;
import org.r1wb.model.run.EventJournal;
import org.r1wb.model.run.RunEvent;
import org.r1wb.pipeline.PipelineListener;
import org.r1wb.pipeline.PipelineResult;
import org.r1wb.pipeline.PipelineRunner;
import org.r1wb.resources.SampleWorkspace;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A pipeline run as a Slurm array job on a real one-node cluster (see {@link LocalSlurm}), submitted with
 * {@code r1wb remote pipeline --run} through a MINA login node: three shard tasks, then the merge that waited for them,
 * write the same output folder, file for file, as the same pipeline run in one process, while the local run folder
 * records the jobs and journals their progress for the run manager.
 */
class SlurmPipelineTest {

    private static final int SHARDS = 3;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern JOBS = Pattern.compile("array job (\\d+) .*merge job (\\d+)");
    private static final String PIPELINE = """
            {"format": 1, "name": "dedup", "nodes": [
              {"id": "arithmetic", "stage": "read.jsonl", "params": {"path": "data/raw/arithmetic.jsonl", "textField": "text"}},
              {"id": "prose", "stage": "read.text", "params": {"path": "data/raw/prose.txt", "unit": "line"}},
              {"id": "normalize", "stage": "normalize", "params": {"form": "NFKC"}},
              {"id": "exact", "stage": "dedup.exact", "params": {}},
              {"id": "near", "stage": "dedup.minhash", "params": {}},
              {"id": "bpe", "stage": "tokenizer.train", "params": {"vocabSize": 300, "minFrequency": 2}},
              {"id": "shards", "stage": "shards.write", "params": {"validationFraction": 0.1, "seed": 7}}],
             "edges": [{"from": "arithmetic", "to": "normalize"}, {"from": "prose", "to": "normalize"},
                       {"from": "normalize", "to": "exact"}, {"from": "exact", "to": "near"},
                       {"from": "near", "to": "bpe"}, {"from": "bpe", "to": "shards"}]}
            """;

    @Test
    void anArrayJobPipelineWritesWhatOneProcessWrites(@TempDir Path tmp) throws Exception {
        String unavailable = LocalSlurm.unavailable();
        Assumptions.assumeTrue(unavailable == null, () -> "skipped: " + unavailable);
        Path single = workspace(tmp.resolve("single"));
        PipelineResult reference = new PipelineRunner().run(single, single.resolve("pipelines/dedup.pipeline.json"),
                PipelineListener.NONE, () -> false);

        TestKeys keys = TestKeys.create(tmp.resolve("keys"), "id_ed25519");
        try (LocalSlurm slurm = LocalSlurm.start(tmp.resolve("slurm"));
             MinaNode login = new MinaNode(tmp.resolve("hostkey"), keys.authorizedKeys(), null).start()) {
            Path cluster = workspace(tmp.resolve("cluster"));
            NodeSpec node = new NodeSpec("login", "127.0.0.1", login.port(), System.getProperty("user.name"),
                    keys.privateKey().toString(), false, null, tmp.resolve("cluster-home").toString(), null);
            Path local = tmp.resolve("local");
            new NodeList(List.of(node)).save(local);
            Path dist = Files.createDirectories(tmp.resolve("dist/lib"));
            for (Map.Entry<String, Path> file : TestDistribution.get().files().entrySet()) {
                Files.copy(file.getValue(), dist.resolve(Path.of(file.getKey()).getFileName()));
            }
            StringWriter out = new StringWriter();
            int ended = R1wbCommand.commandLine().setOut(new PrintWriter(out, true)).setErr(new PrintWriter(out, true))
                    .execute("remote", "pipeline", "-w", local.toString(), "--known-hosts", tmp.resolve("known_hosts").toString(),
                            "--accept-host-key", KeyUtils.getFingerPrint(hostKey(tmp.resolve("hostkey"))), "--node", "login",
                            "--setup", slurm.setup(), "--shards", Integer.toString(SHARDS), "--cluster-workspace",
                            cluster.toString(), "--distribution", dist.getParent().toString(), "--run", "dedup-slurm",
                            "--poll", "1", "pipelines/dedup.pipeline.json");
            Path logs = cluster.resolve(PipelineBatch.FOLDER).resolve("dedup");
            assertThat(ended).as(out + "\nthe jobs' logs:\n" + logsOf(logs)).isZero();
            Matcher ids = JOBS.matcher(out.toString());
            assertThat(ids.find()).as(out.toString()).isTrue();
            String merge = ids.group(2);
            SshConnector connector = new SshConnector(tmp.resolve("known_hosts"), HostKeyPrompt.REFUSE, Passphrases.NONE);
            SlurmTarget target = SlurmTarget.onLoginNode("login", slurm.setup());
            assertThat(state(connector, node, target, merge)).as(logsOf(logs)).isEqualTo(JobState.COMPLETED);

            // the run manager's record of it: the jobs, each change of the shard count, and the output folder
            RunFolder run = RunFolder.of(local, "dedup-slurm");
            assertThat(run.exists()).isTrue();
            PipelineRunBinding binding = PipelineRunBinding.load(run.dir()).orElseThrow();
            assertThat(binding.mergeJob()).isEqualTo(merge);
            assertThat(binding.shards()).isEqualTo(SHARDS);
            List<RunEvent> events = EventJournal.read(run.events());
            List<Double> done = events.stream().filter(e -> "pipeline_shards".equals(e.type())).map(e -> e.number("done")).toList();
            assertThat(done).as("shard tasks done, as the follower saw them change").isSorted().last().isEqualTo((double) SHARDS);
            assertThat(run.state()).isEqualTo("finished");
            assertThat(run.lastStatus().orElseThrow().text("message")).startsWith("wrote ");
            try (Stream<Path> taskLogs = Files.list(logs)) {
                assertThat(taskLogs.filter(f -> f.getFileName().toString().startsWith("shards-"))).as("one log per array task").hasSize(SHARDS);
            }

            Path merged = cluster.resolve(single.relativize(reference.outputDir()));
            assertThat(filesOf(merged)).as("the merge's output folder, the single-process run's digest")
                    .isEqualTo(filesOf(reference.outputDir())).isNotEmpty();
        }
    }

    private static PublicKey hostKey(Path file) throws Exception {
        SimpleGeneratorHostKeyProvider provider = new SimpleGeneratorHostKeyProvider(file);
        provider.setAlgorithm("EC");
        return provider.loadKeys(null).iterator().next().getPublic();
    }

    private static Path workspace(Path dir) throws IOException {
        SampleWorkspace.create(dir);
        Files.writeString(dir.resolve("pipelines/dedup.pipeline.json"), PIPELINE);
        return dir;
    }

    private static JobState state(SshConnector connector, NodeSpec node, SlurmTarget target, String job) {
        try (SshSession ssh = connector.open(node)) {
            return new SlurmCluster(ssh, target).state(job);
        } catch (RemoteException e) {
            return JobState.UNKNOWN;
        }
    }

    /**
     * Every file of an output folder by relative path: its digest, or for JSON files their content without the
     * stages' wall times ({@code millis}), the one thing two runs of the same pipeline may not share.
     */
    private static Map<String, String> filesOf(Path folder) throws IOException {
        Map<String, String> files = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(folder)) {
            for (Path file : walk.filter(Files::isRegularFile).toList()) {
                String name = folder.relativize(file).toString();
                files.put(name, name.endsWith(".json") ? withoutTimes(JSON.readTree(file.toFile())).toString() : ContentDigest.of(file));
            }
        }
        return files;
    }

    private static JsonNode withoutTimes(JsonNode node) {
        if (node instanceof ObjectNode object) {
            object.remove("millis");
            object.forEach(SlurmPipelineTest::withoutTimes);
        } else if (node.isArray()) {
            node.forEach(SlurmPipelineTest::withoutTimes);
        }
        return node;
    }

    private static String logsOf(Path folder) throws IOException {
        StringBuilder text = new StringBuilder();
        try (Stream<Path> logs = Files.list(folder)) {
            for (Path log : logs.filter(f -> f.toString().endsWith(".log")).sorted().toList()) {
                text.append("== ").append(log.getFileName()).append('\n').append(Files.readString(log));
            }
        }
        return text.toString();
    }
}
