package org.r1wb.model.train;

import java.nio.file.Path;

/** A checkpoint that has been written: its step, folder and weights digest. */
public record CheckpointInfo(int step, Path path, String digest) {
}
