package org.r1wb.workbench.run;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.r1wb.agent.LocalRunLauncher;
import org.r1wb.agent.RunFolder;
import org.r1wb.agent.remote.HostKeyPrompt;
import org.r1wb.agent.remote.NodeList;
import org.r1wb.agent.remote.NodeSpec;
import org.r1wb.agent.remote.Passphrases;
import org.r1wb.agent.remote.RemoteNode;
import org.r1wb.agent.remote.SshConnector;
import org.r1wb.agent.remote.SshSession;
import org.r1wb.agent.slurm.SlurmTarget;
import org.r1wb.gpu.EngineChoice;
import org.r1wb.gpu.EngineSelector;
import org.r1wb.gpu.NodeFacts;
import org.r1wb.model.spec.ModelSpec;
import org.r1wb.model.spec.ModelSpecs;
import org.r1wb.model.spec.SpecProblem;
import org.r1wb.model.train.DataRef;
import org.r1wb.model.train.OptimizerSpec;
import org.r1wb.model.train.RunSpec;
import org.r1wb.model.train.RunSpecValidator;
import org.r1wb.model.train.RunSpecs;
import org.r1wb.pipeline.shards.ShardIndex;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * Turns a {@link RunRequest} into {@code runs/<id>/run.json} and starts it in a child JVM through
 * {@link LocalRunLauncher}: {@code r1wb train} here, or {@code r1wb remote start --follow} for a node or a Slurm
 * cluster. Training never runs in the workbench's process. Free of JavaFX; call it off the FX thread.
 */
public final class RunStarter {

    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
    private static final DateTimeFormatter ID_TIME = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");
    private static final int BATCH = 8;
    private static final int MAX_WINDOW = 64;

    private final Path workspace;
    private final LocalRunLauncher launcher;
    private final Path knownHosts;
    private final Supplier<EngineChoice> localEngine;

    /**
     * @param knownHosts the known_hosts file that remote targets are checked against (the agent child uses the same)
     */
    public RunStarter(Path workspace, LocalRunLauncher launcher, Path knownHosts) {
        this(workspace, launcher, knownHosts, () -> EngineSelector.forThisBuild().choose(NodeFacts.probeLocal()));
    }

    /**
     * @param localEngine what this machine trains with, asked when a run targets its GPU (probes drivers and
     *                    Python: call {@link #start} off the FX thread)
     */
    public RunStarter(Path workspace, LocalRunLauncher launcher, Path knownHosts, Supplier<EngineChoice> localEngine) {
        this.workspace = workspace;
        this.launcher = launcher;
        this.knownHosts = knownHosts;
        this.localEngine = localEngine;
    }

    /** A started run: its folder and the child process training it. */
    public record Started(RunFolder run, Process process) {
    }

    /** The run spec a request stands for; every problem (bad data folder, invalid spec) is thrown at once. */
    public RunSpec spec(RunRequest request, String id) throws IOException {
        Path indexFile = request.data().resolve(ShardIndex.FILE);
        if (!Files.isRegularFile(indexFile)) {
            throw new IOException(request.data() + " holds no " + ShardIndex.FILE
                    + ": choose the output folder of a pipeline that writes shards");
        }
        ShardIndex index = JSON.readValue(indexFile.toFile(), ShardIndex.class);
        ModelSpec model = ModelSpecs.load(request.modelFile());
        if (index.vocabSize() > model.vocabSize()) {
            throw new IOException("the data's vocabulary (" + index.vocabSize() + ") is larger than the model's vocabSize ("
                    + model.vocabSize() + "): raise vocabSize in " + request.modelFile().getFileName());
        }
        OptimizerSpec optimizer = new OptimizerSpec(request.lr(), request.lr() / 10, 0.1, 0, 0,
                Math.max(1, request.steps() / 10), 1.0);
        int window = Math.min(MAX_WINDOW, model.maxSeqLen());
        String data = workspace.toAbsolutePath().relativize(request.data().toAbsolutePath()).toString();
        RunSpec spec = new RunSpec(id, model, new DataRef(data, index.digest()), RunSpec.PRETRAIN, optimizer,
                request.steps(), BATCH, window, request.seed(), Math.max(1, request.steps() / 4), 2, 0, 1, RunSpec.CPU);
        List<SpecProblem> problems = RunSpecValidator.validate(spec);
        if (!problems.isEmpty()) {
            throw new IOException(problems.stream().map(SpecProblem::toString).collect(Collectors.joining("; ")));
        }
        return spec;
    }

    /**
     * For a remote target, connects to its node once, as the agent child will: an unknown host key goes to
     * {@code prompt} (and, accepted, into known_hosts), an encrypted key's passphrase is asked through
     * {@code passphrases}, and the node's Java is checked. Returns the passphrase given (for {@link #start}), or
     * {@code null}. Blocks on the network: call it off the FX thread.
     */
    public char[] checkNode(RunTarget target, HostKeyPrompt prompt, Passphrases passphrases) throws IOException {
        return target.node() == null ? null : checkNode(target.node(), prompt, passphrases);
    }

    /** {@link #checkNode(RunTarget, HostKeyPrompt, Passphrases)} for the node named {@code nodeName}. */
    public char[] checkNode(String nodeName, HostKeyPrompt prompt, Passphrases passphrases) throws IOException {
        NodeList nodes = NodeList.load(workspace);
        NodeSpec node = nodes.find(nodeName).orElseThrow(() -> new IOException("no node '" + nodeName
                + "' in " + workspace.resolve(NodeList.FILE)));
        char[][] given = new char[1][];
        Passphrases remembering = keyFile -> {
            char[] passphrase = passphrases.passphrase(keyFile);
            given[0] = passphrase == null ? null : passphrase.clone();
            return passphrase;
        };
        SshConnector connector = new SshConnector(knownHosts, prompt, remembering, name -> nodes.find(name).orElse(null));
        try (SshSession ssh = connector.open(node)) {
            new RemoteNode(ssh).checkJava();
        }
        return given[0];
    }

    /**
     * Writes the run's {@code run.json} and starts it: its trainer in a child JVM here, or a child agent that
     * uploads, starts (or submits to Slurm) and follows it on a node ({@code r1wb remote start --follow}), mirroring
     * the node's journal into the run folder the run view reads. {@code passphrase} goes to that child's standard
     * input and is then cleared.
     */
    public Started start(RunRequest request, char[] passphrase) throws IOException {
        RunTarget target = request.target();
        if (target.kind() == RunTarget.Kind.LOCAL_GPU) {
            requireLocalGpu();
        }
        RunFolder run = freeFolder("run-" + LocalDateTime.now().format(ID_TIME));
        RunSpec spec = spec(request, run.id());
        Files.createDirectories(run.dir());
        RunSpecs.save(spec, run.spec());
        if (target.kind() == RunTarget.Kind.LOCAL) {
            return new Started(run, launcher.startTraining(run));
        }
        if (target.kind() == RunTarget.Kind.LOCAL_GPU) {
            // run.json stays a CPU spec the DJL trainer could resume; the device is the backend's command line
            return new Started(run, launcher.startPytorch(run, List.of("--device", "cuda", "--bf16")));
        }
        List<String> args = new ArrayList<>(List.of("remote", "start", "-w", workspace.toString(), "--node", target.node(),
                "--known-hosts", knownHosts.toString(), "--follow"));
        if (passphrase != null) {
            args.add("--passphrase-stdin");
        }
        if (target.kind() == RunTarget.Kind.SLURM) {
            args.add("--slurm");
            args.addAll(slurmOptions(target.slurm()));
        }
        args.add(run.id());
        try {
            return new Started(run, launcher.startAgent(run, args, passphrase));
        } finally {
            if (passphrase != null) {
                Arrays.fill(passphrase, '\0');
            }
        }
    }

    /**
     * Submits a pipeline to a Slurm cluster as an array job plus a merge, recorded as a run of this workspace: a
     * child agent ({@code r1wb remote pipeline --run ID}) submits both jobs through the login node and journals their
     * progress into the run folder until the merge ends, so the Runs tool window lists it beside training runs.
     */
    public Started startPipelineJob(PipelineJobRequest request, char[] passphrase) throws IOException {
        String name = Path.of(request.pipeline()).getFileName().toString().replace(".pipeline.json", "");
        RunFolder run = freeFolder(name + "-slurm-" + LocalDateTime.now().format(ID_TIME));
        SlurmTarget slurm = request.slurm();
        List<String> args = new ArrayList<>(List.of("remote", "pipeline", "-w", workspace.toString(), "--node", slurm.node(),
                "--known-hosts", knownHosts.toString(), "--shards", Integer.toString(request.shards()),
                "--cluster-workspace", request.clusterWorkspace(), "--run", run.id()));
        if (passphrase != null) {
            args.add("--passphrase-stdin");
        }
        args.addAll(slurmOptions(slurm));
        args.add(request.pipeline());
        try {
            return new Started(run, launcher.startAgent(run, args, passphrase));
        } finally {
            if (passphrase != null) {
                Arrays.fill(passphrase, '\0');
            }
        }
    }

    private static List<String> slurmOptions(SlurmTarget slurm) {
        return List.of("--setup", slurm.setup(), "--partition", slurm.partition(), "--account", slurm.account(), "--gpus",
                Integer.toString(slurm.gpusPerNode()), "--cpus", Integer.toString(slurm.cpusPerTask()), "--time",
                slurm.timeLimit());
    }

    /** Refuses the GPU target, with the engine selection's reason, unless this machine has a CUDA PyTorch. */
    private void requireLocalGpu() throws IOException {
        EngineChoice engine = localEngine.get();
        switch (engine.engine()) {
            case PYTORCH -> {
            }
            case DJL_CUDA -> throw new IOException("this machine's GPU is not usable by this build: " + engine.reason()
                    + "; the GPU target trains through the PyTorch backend, which needs a CUDA PyTorch importable by "
                    + "python3 (the DJL trainer runs on the CPU here)");
            case DJL_CPU -> throw new IOException("no GPU to train on here: " + engine.reason()
                    + "; choose 'This machine (CPU…)' or a node with a GPU");
        }
    }

    /** Starts a run on this machine (no node, no passphrase). */
    public Started start(RunRequest request) throws IOException {
        return start(request, null);
    }

    private RunFolder freeFolder(String base) {
        RunFolder run = RunFolder.of(workspace, base);
        for (int i = 2; Files.exists(run.dir()); i++) {
            run = RunFolder.of(workspace, base + "-" + i);
        }
        return run;
    }
}
