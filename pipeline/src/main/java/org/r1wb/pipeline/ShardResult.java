package org.r1wb.pipeline;

import java.nio.file.Path;

/**
 * The outcome of one shard's task of a sharded run ({@link PipelineRunner#runShard}).
 *
 * @param shardDir {@code <workspace>/data/.shards/<run digest>-of-<N>/shard-<i>}
 * @param digest   the run digest, which the merge's output folder will be named after
 * @param slice    the shard
 * @param cached   true when the shard's output was already complete and nothing ran
 */
public record ShardResult(Path shardDir, String digest, ShardSlice slice, boolean cached) {
}
