package org.r1wb.agent;

import org.r1wb.agent.remote.Distribution;
import org.r1wb.agent.remote.NodeList;
import org.r1wb.agent.remote.NodeSpec;
import org.r1wb.agent.remote.RemoteException;
import org.r1wb.agent.remote.RemoteNode;
import org.r1wb.agent.remote.Shell;
import org.r1wb.agent.remote.SshSession;
import org.r1wb.model.eval.BpeTextCodec;
import org.r1wb.model.eval.EvalCache;
import org.r1wb.model.eval.EvalModel;
import org.r1wb.model.eval.EvalModelSource;
import org.r1wb.model.eval.EvalRunner;
import org.r1wb.model.eval.EvalStoreException;
import org.r1wb.model.eval.TaskReport;
import org.r1wb.model.eval.task.EvalTask;
import org.r1wb.model.eval.task.TaskLoader;
import org.r1wb.model.run.EventSink;
import org.r1wb.model.train.Checkpoints;
import org.r1wb.model.train.DataRef;
import org.r1wb.model.train.RunSpec;
import org.r1wb.model.train.RunSpecs;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

/**
 * {@code r1wb remote eval --node NAME CKPT --suite S}: evaluates a local checkpoint in a node's agent. The agent,
 * the run's shards (its tokenizer), the checkpoint's weights and the workspace's {@code evals/} are uploaded once per
 * content digest; {@code r1wb eval} runs on the node in an evaluation workspace kept per {@code evals/} content, whose
 * store caches the node's answers (a rerun after a dropped link resumes from them). The answers are then brought
 * home into the local store and scored here, without loading the model, so the results land in the local store
 * under the same keys a local {@code r1wb eval} uses.
 */
@Command(name = "eval", description = "Evaluate a checkpoint on a remote node; the results land in the local store.")
public final class RemoteEvalCommand extends BaseCommand implements Callable<Integer> {

    /** Where evaluation workspaces live in the node's agent folder, one per content of {@code evals/}. */
    static final String AREA = "eval";

    @Mixin
    private WorkspaceOption workspace;

    @Mixin
    private RemoteAccess access;

    @Mixin
    private EvalOptions options;

    @Parameters(paramLabel = "CKPT", description = "Run id (its last checkpoint) or checkpoint folder.")
    private String target;

    @Option(names = "--node", required = true, paramLabel = "NAME", description = "The node, from nodes.json.")
    private String nodeName;

    @Option(names = "--distribution", paramLabel = "DIR", description = "Folder of the agent's jars to upload (default: the jars this r1wb runs from).")
    private Path distribution;

    @Override
    public Integer call() throws IOException {
        Path ws = workspace.path();
        EvalTarget resolved;
        List<EvalTask> tasks;
        try {
            EvalJob.installBundled(ws);
            resolved = EvalTarget.resolve(ws, target);
            tasks = EvalJob.registry(ws).suite(options.suite());
        } catch (IllegalArgumentException e) {
            return badInput(e.getMessage());
        }
        NodeList nodes = NodeList.load(ws);
        NodeSpec node = RemoteAccess.node(nodes, nodeName, ws);
        Distribution dist = distribution != null ? Distribution.ofFolder(distribution) : Distribution.current();
        String digest = resolved.digest();
        Path home = Files.createTempDirectory("r1wb-remote-eval-");
        try {
            try (SshSession ssh = access.connector(nodes, err()).open(node)) {
                int code = evaluateOnNode(ssh, node, dist, resolved, home);
                if (code != ExitCodes.OK) {
                    return code;
                }
            } catch (RemoteException e) {
                err().println("error: " + e.getMessage());
                return e.isTransient() ? ExitCodes.FAILED : ExitCodes.BAD_INPUT;
            }
            return scoreHere(ws, resolved, digest, tasks, home.resolve(EvalJob.STORE));
        } finally {
            deleteTree(home);
        }
    }

    /** Uploads what the node lacks, runs {@code r1wb eval} there and downloads its store into {@code home}. */
    private int evaluateOnNode(SshSession ssh, NodeSpec node, Distribution dist, EvalTarget resolved, Path home)
            throws IOException {
        RemoteNode remote = new RemoteNode(ssh);
        out().println(node.name() + ": " + remote.checkJava());
        RemoteNode.Upload agent = remote.ensureDistribution(dist);
        out().println(agent.transferred() ? "uploaded the agent (" + dist.files().size() + " jars)" : "the agent is there already");
        RemoteNode.Upload data = remote.ensureData(resolved.shards());
        RemoteNode.Upload checkpoint = remote.ensureFiles("checkpoints", Map.of(
                Checkpoints.META, resolved.checkpoint().resolve(Checkpoints.META),
                Checkpoints.WEIGHTS, resolved.checkpoint().resolve(Checkpoints.WEIGHTS)));
        RemoteNode.Upload evalWorkspace = remote.ensureFiles(AREA, files(workspace.path().resolve("evals"), "evals/"));
        out().println((data.transferred() || checkpoint.transferred() || evalWorkspace.transferred()
                ? "uploaded" : "the node has") + " the tokenizer, the checkpoint and the tasks");
        // the node's eval finds the tokenizer through the run's run.json, which names the shards as uploaded there
        RunSpec spec = RunSpecs.load(resolved.run().spec());
        Path specFile = home.resolve("run.json");
        RunSpecs.save(spec.withData(new DataRef(data.path(), spec.data().digest())).withInit(null), specFile);
        remote.writeFile(evalWorkspace.path() + "/runs/" + spec.id() + "/run.json", Files.readAllBytes(specFile));

        List<String> args = new ArrayList<>(List.of("eval", checkpoint.path(), "-w", evalWorkspace.path()));
        args.addAll(options.arguments());
        out().println("evaluating " + resolved.label() + " on " + node.name());
        out().flush();
        int code = ssh.stream("cd " + Shell.quote(evalWorkspace.path()) + " && exec "
                + RemoteNode.agentCommand(node, agent.path(), args) + " 2>&1", line -> {
                    out().println("  " + node.name() + "| " + line);
                    out().flush();
                });
        if (code != 0) {
            err().println("error: the evaluation on " + node.name() + (code == -1 ? " lost its link"
                    : " ended with exit code " + code) + "; the answers it stored there are kept, and running this "
                    + "again resumes from them");
            return code == ExitCodes.BAD_INPUT ? ExitCodes.BAD_INPUT : ExitCodes.FAILED;
        }
        String store = evalWorkspace.path() + "/" + EvalJob.STORE;
        ssh.download(store, home.resolve(EvalJob.STORE));
        // an answer may still sit in the write-ahead log if a checkpoint of it did not run at close
        if (ssh.exec("test -s " + Shell.quote(store + "-wal")).exitCode() == 0) {
            ssh.download(store + "-wal", home.resolve(EvalJob.STORE + "-wal"));
        }
        return ExitCodes.OK;
    }

    /** Imports the node's answers into the local store and scores them here; the model is never loaded. */
    private int scoreHere(Path ws, EvalTarget resolved, String digest, List<EvalTask> tasks, Path nodeStore)
            throws IOException {
        EvalModelSource answeredOnNode = new EvalModelSource() {
            @Override
            public String checkpointDigest() {
                return digest;
            }

            @Override
            public EvalModel load() throws IOException {
                throw new IOException("the node's answers do not cover every request of " + options.suite()
                        + " (is its agent another version than this r1wb?); pass --distribution, or run 'r1wb eval' here");
            }
        };
        try (EvalCache local = EvalCache.open(ws.resolve(EvalJob.STORE))) {
            int imported;
            try (EvalCache fromNode = EvalCache.open(nodeStore)) {
                imported = local.importAnswers(fromNode, digest);
            }
            List<TaskReport> reports = new EvalRunner(local, TaskLoader.builtIn().metrics(), new EvalJob.ProgressLines(out()),
                    EventSink.NONE).run(answeredOnNode, BpeTextCodec.ofShards(resolved.shards()), resolved.label(), tasks,
                    options.settings(), () -> Thread.currentThread().isInterrupted());
            out().println(imported + " answers brought from " + nodeName + "; " + reports.size()
                    + " task results stored in " + ws.resolve(EvalJob.STORE));
            return ExitCodes.OK;
        } catch (EvalStoreException e) {
            err().println("error: " + e.getMessage());
            return ExitCodes.FAILED;
        }
    }

    /** The regular files under {@code folder}, named by {@code prefix} + their path inside it. */
    private static Map<String, Path> files(Path folder, String prefix) throws IOException {
        Map<String, Path> files = new LinkedHashMap<>();
        try (Stream<Path> walk = Files.walk(folder)) {
            for (Path file : walk.filter(Files::isRegularFile).sorted().toList()) {
                files.put(prefix + folder.relativize(file).toString().replace('\\', '/'), file);
            }
        }
        return files;
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path path : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
