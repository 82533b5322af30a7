package org.r1wb.agent.slurm;


import org.r1wb.agent.remote.JsonFile;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * What ties a local run folder to a sharded pipeline run on Slurm: {@code runs/<id>/slurm-pipeline.json}, written
 * when {@code r1wb remote pipeline --run ID} submits it, so the run manager lists it beside training runs and the
 * user can see which jobs, logs and cluster folder it was. Holds no secret.
 *
 * @param pipeline         the pipeline file, relative to the cluster workspace
 * @param clusterWorkspace the workspace folder on the cluster's shared file system
 * @param shards           the number of array tasks
 * @param target           the login node and the jobs' resources
 * @param shardsJob        the array job's id
 * @param mergeJob         the merge job's id
 * @param logs             the folder of the job scripts and logs on the cluster
 */
public record PipelineRunBinding(String pipeline, String clusterWorkspace, int shards, SlurmTarget target,
                                 String shardsJob, String mergeJob, String logs) {

    /** The file in a local run folder. */
    public static final String FILE = "slurm-pipeline.json";

    /** The binding of {@code batch}, submitted as {@code jobs}. */
    public static PipelineRunBinding of(PipelineBatch batch, SlurmCluster.PipelineJobs jobs) {
        return new PipelineRunBinding(batch.pipeline(), batch.workspace(), batch.shards(), batch.target(), jobs.shards(),
                jobs.merge(), batch.folder());
    }

    /** Writes the binding into {@code runDir} (temp file, then rename). */
    public void save(Path runDir) throws IOException {
        JsonFile.write(runDir.resolve(FILE), this);
    }

    /** The binding in {@code runDir}, if the folder stands for a sharded pipeline run. */
    public static Optional<PipelineRunBinding> load(Path runDir) throws IOException {
        return JsonFile.read(runDir.resolve(FILE), PipelineRunBinding.class, "pipeline run binding");
    }
}
