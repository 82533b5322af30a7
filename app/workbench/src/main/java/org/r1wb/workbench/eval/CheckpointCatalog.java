package org.r1wb.workbench.eval;

import org.r1wb.model.train.CheckpointMeta;
import org.r1wb.model.train.Checkpoints;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The checkpoints of a workspace's runs ({@code runs/<id>/checkpoints/<name>/meta.json}), ordered by run
 * and step. The store keys results by the weights' digest, so two folders with the same weights (a run's
 * last {@code step-N} and its {@code final}) are one checkpoint here.
 */
public final class CheckpointCatalog {

    private CheckpointCatalog() {
    }

    /** Every checkpoint under {@code workspace/runs}; reads metadata only, hashes weights only when it lacks a digest. */
    public static List<EvaluatedCheckpoint> scan(Path workspace) throws IOException {
        Map<String, EvaluatedCheckpoint> byDigest = new LinkedHashMap<>();
        for (Path run : children(workspace.resolve("runs"))) {
            for (Path folder : children(run.resolve("checkpoints"))) {
                if (!Files.isRegularFile(folder.resolve(Checkpoints.META))) {
                    continue;
                }
                CheckpointMeta meta = Checkpoints.readMeta(folder);
                String digest = meta.weightsDigest() != null ? meta.weightsDigest()
                        : Checkpoints.sha256(folder.resolve(Checkpoints.WEIGHTS));
                byDigest.putIfAbsent(digest, new EvaluatedCheckpoint(meta.runId(), meta.step(), folder, digest));
            }
        }
        List<EvaluatedCheckpoint> all = new ArrayList<>(byDigest.values());
        all.sort(Comparator.comparing(EvaluatedCheckpoint::run).thenComparingInt(EvaluatedCheckpoint::step));
        return all;
    }

    private static List<Path> children(Path folder) throws IOException {
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        try (Stream<Path> entries = Files.list(folder)) {
            // hidden folders are a killed run's half-written checkpoints
            return entries.filter(Files::isDirectory).filter(p -> !p.getFileName().toString().startsWith("."))
                    .sorted().toList();
        }
    }
}
