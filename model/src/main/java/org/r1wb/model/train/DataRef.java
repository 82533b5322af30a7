package org.r1wb.model.train;

/**
 * Where a run's tokens come from.
 *
 * @param path   the token-shard folder, relative to the workspace or absolute
 * @param digest content digest of the shards, so a run names exactly the data it saw
 */
public record DataRef(String path, String digest) {
}
