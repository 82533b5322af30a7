package org.r1wb.model.eval;

import org.r1wb.model.generate.CheckpointModel;
import org.r1wb.model.train.CheckpointMeta;
import org.r1wb.model.train.Checkpoints;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A checkpoint folder as an {@link EvalModelSource}: the digest comes from hashing the weights file (cheap next to
 * starting the engine and building the model), which {@link CheckpointModel#open} does only when a request is missing.
 */
public final class CheckpointSource implements EvalModelSource {

    private final Path folder;
    private final CheckpointMeta meta;
    private final String digest;

    private CheckpointSource(Path folder, CheckpointMeta meta, String digest) {
        this.folder = folder;
        this.meta = meta;
        this.digest = digest;
    }

    /** Reads the folder's metadata and hashes its weights; fails if they do not match the digest it records. */
    public static CheckpointSource of(Path folder) throws IOException {
        CheckpointMeta meta = Checkpoints.readMeta(folder);
        String digest = Checkpoints.sha256(folder.resolve(Checkpoints.WEIGHTS));
        if (meta.weightsDigest() != null && !meta.weightsDigest().equals(digest)) {
            throw new IOException(folder.resolve(Checkpoints.WEIGHTS) + " does not match the digest in "
                    + Checkpoints.META + " (file damaged or replaced)");
        }
        return new CheckpointSource(folder, meta, digest);
    }

    /** The checkpoint's metadata (run, step, spec). */
    public CheckpointMeta meta() {
        return meta;
    }

    @Override
    public String checkpointDigest() {
        return digest;
    }

    @Override
    public EvalModel load() throws IOException {
        return CheckpointModel.open(folder);
    }
}
