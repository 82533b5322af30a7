package org.r1wb.workbench.run;

import org.r1wb.agent.slurm.SlurmTarget;

/**
 * A pipeline to run on a Slurm cluster as an array job of shard tasks plus a merge ({@code r1wb remote pipeline}).
 *
 * @param pipeline         the pipeline file, relative to the workspace (the same path under the cluster workspace)
 * @param shards           array tasks, each running the per-document stages over its slice of the input
 * @param clusterWorkspace the workspace folder on the cluster's shared file system, absolute
 * @param slurm            the login node and each job's resources
 */
public record PipelineJobRequest(String pipeline, int shards, String clusterWorkspace, SlurmTarget slurm) {
}
