package org.r1wb.workbench.run;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.r1wb.agent.LocalRunLauncher;
import org.r1wb.agent.RunFolder;
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
import java.util.List;
import java.util.stream.Collectors;

/**
 * Turns a {@link RunRequest} into {@code runs/<id>/run.json} and starts {@code r1wb train --run-dir} for it in a
 * child JVM through {@link LocalRunLauncher}: training never runs in the workbench's process. Free of JavaFX;
 * call it off the FX thread.
 */
public final class RunStarter {

    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
    private static final DateTimeFormatter ID_TIME = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");
    private static final int BATCH = 8;
    private static final int MAX_WINDOW = 64;

    private final Path workspace;
    private final LocalRunLauncher launcher;

    public RunStarter(Path workspace, LocalRunLauncher launcher) {
        this.workspace = workspace;
        this.launcher = launcher;
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

    /** Writes the run's {@code run.json} and starts its trainer in a child JVM. */
    public Started start(RunRequest request) throws IOException {
        if (!RunRequest.LOCAL_CPU.equals(request.target())) {
            throw new IOException("target '" + request.target() + "' is not available yet; use " + RunRequest.LOCAL_CPU);
        }
        RunFolder run = freeFolder("run-" + LocalDateTime.now().format(ID_TIME));
        RunSpec spec = spec(request, run.id());
        Files.createDirectories(run.dir());
        RunSpecs.save(spec, run.spec());
        return new Started(run, launcher.startTraining(run));
    }

    private RunFolder freeFolder(String base) {
        RunFolder run = RunFolder.of(workspace, base);
        for (int i = 2; Files.exists(run.dir()); i++) {
            run = RunFolder.of(workspace, base + "-" + i);
        }
        return run;
    }
}
