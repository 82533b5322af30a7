package org.r1wb.model.train;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDManager;
import org.r1wb.model.nn.MoeTransformer;
import org.r1wb.model.spec.ModelSpecs;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The checkpoint folder: {@code weights.params} (DJL's versioned parameter format), {@code optimizer.bin}
 * ({@link AdamW} state) and {@code meta.json} ({@link CheckpointMeta}). A folder is written under a temporary
 * name and renamed into place, so a crash never leaves a half checkpoint under a real name.
 */
public final class Checkpoints {

    /** Version of the folder layout. */
    public static final int FORMAT_VERSION = 1;
    /** The weights file. */
    public static final String WEIGHTS = "weights.params";
    /** The optimizer state file. */
    public static final String OPTIMIZER = "optimizer.bin";
    /** The metadata file. */
    public static final String META = "meta.json";
    /** Folder name of the last checkpoint of a finished run. */
    public static final String FINAL = "final";

    private static final String STEP_PREFIX = "step-";

    private Checkpoints() {
    }

    /** Folder name of the periodic checkpoint after {@code step}. */
    public static String stepName(int step) {
        return STEP_PREFIX + step;
    }

    /**
     * Writes {@code model}'s weights, {@code optimizer}'s state and {@code meta} (its digest filled in) to
     * {@code checkpointsDir/name}, replacing an older folder of that name.
     */
    public static CheckpointInfo write(Path checkpointsDir, String name, MoeTransformer model, AdamW optimizer,
                                       CheckpointMeta meta) throws IOException {
        Files.createDirectories(checkpointsDir);
        Path tmp = Files.createTempDirectory(checkpointsDir, ".tmp-" + name + "-");
        try {
            Path weights = tmp.resolve(WEIGHTS);
            try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(weights)))) {
                model.saveParameters(out);
            }
            if (optimizer != null) {
                optimizer.save(tmp.resolve(OPTIMIZER));
            }
            String digest = sha256(weights);
            CheckpointMeta complete = new CheckpointMeta(FORMAT_VERSION, meta.runId(), meta.step(), meta.model(),
                    digest, meta.trainLoss(), meta.valLoss(), meta.seed());
            Files.writeString(tmp.resolve(META), ModelSpecs.JSON.writeValueAsString(complete) + "\n");
            for (String file : new String[] {WEIGHTS, OPTIMIZER, META}) {
                force(tmp.resolve(file));
            }
            Path target = checkpointsDir.resolve(name);
            if (Files.exists(target)) {
                deleteTree(target);
            }
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            return new CheckpointInfo(meta.step(), target, digest);
        } finally {
            if (Files.exists(tmp)) {
                deleteTree(tmp);
            }
        }
    }

    /** Reads a checkpoint's {@code meta.json}. */
    public static CheckpointMeta readMeta(Path checkpointDir) throws IOException {
        Path file = checkpointDir.resolve(META);
        if (!Files.isRegularFile(file)) {
            throw new IOException(checkpointDir + " is not a checkpoint: " + META + " is missing");
        }
        try {
            CheckpointMeta meta = ModelSpecs.JSON.readValue(file.toFile(), CheckpointMeta.class);
            if (meta.formatVersion() != FORMAT_VERSION) {
                throw new IOException(file + ": checkpoint format " + meta.formatVersion() + ", this build reads "
                        + FORMAT_VERSION);
            }
            return meta;
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IOException(ModelSpecs.describe(file, e), e);
        }
    }

    /** Builds the model described by {@code meta} and loads the folder's weights into it. */
    public static MoeTransformer loadModel(Path checkpointDir, CheckpointMeta meta, NDManager manager)
            throws IOException {
        MoeTransformer model = new MoeTransformer(meta.model());
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(
                Files.newInputStream(checkpointDir.resolve(WEIGHTS))))) {
            model.loadParameters(manager, in);
        } catch (MalformedModelException e) {
            throw new IOException(checkpointDir.resolve(WEIGHTS) + ": " + e.getMessage(), e);
        }
        return model;
    }

    /**
     * Copies a checkpoint's weights into an already built {@code model}'s arrays, in place, so training can continue
     * from them on the same (libtorch-allocated, gradient-tracking) arrays.
     */
    public static void restoreWeights(Path checkpointDir, MoeTransformer model, NDManager manager) throws IOException {
        MoeTransformer saved = new MoeTransformer(model.spec());
        try (NDManager scratch = manager.newSubManager();
             DataInputStream in = new DataInputStream(new BufferedInputStream(
                     Files.newInputStream(checkpointDir.resolve(WEIGHTS))))) {
            saved.loadParameters(scratch, in);
            var targets = model.getParameters().values();
            var sources = saved.getParameters().values();
            for (int i = 0; i < targets.size(); i++) {
                sources.get(i).getArray().copyTo(targets.get(i).getArray());
            }
        } catch (MalformedModelException e) {
            throw new IOException(checkpointDir.resolve(WEIGHTS) + ": " + e.getMessage(), e);
        }
    }

    /**
     * The checkpoint with the most steps in {@code checkpointsDir} ({@code step-N} or {@code final}), if any.
     * Half-written folders of a killed run are deleted on the way: they never carry a real name.
     */
    public static Optional<Path> latest(Path checkpointsDir) throws IOException {
        if (!Files.isDirectory(checkpointsDir)) {
            return Optional.empty();
        }
        List<Path> folders;
        try (Stream<Path> entries = Files.list(checkpointsDir)) {
            folders = entries.filter(Files::isDirectory).toList();
        }
        Path best = null;
        int bestStep = -1;
        for (Path folder : folders) {
            String name = folder.getFileName().toString();
            if (name.startsWith(".tmp-")) {
                deleteTree(folder);
            } else if (name.equals(FINAL) || name.matches(STEP_PREFIX + "\\d+")) {
                int step = readMeta(folder).step();
                if (step > bestStep) {
                    best = folder;
                    bestStep = step;
                }
            }
        }
        return Optional.ofNullable(best);
    }

    /** Deletes the oldest {@code step-N} folders so that at most {@code keep} remain; 0 keeps all. */
    public static void prune(Path checkpointsDir, int keep) throws IOException {
        if (keep <= 0 || !Files.isDirectory(checkpointsDir)) {
            return;
        }
        List<Path> periodic = new ArrayList<>();
        try (Stream<Path> entries = Files.list(checkpointsDir)) {
            entries.filter(p -> p.getFileName().toString().matches(STEP_PREFIX + "\\d+")).forEach(periodic::add);
        }
        periodic.sort(Comparator.comparingInt(p -> Integer.parseInt(p.getFileName().toString().substring(STEP_PREFIX.length()))));
        for (int i = 0; i < periodic.size() - keep; i++) {
            deleteTree(periodic.get(i));
        }
    }

    /** SHA-256 (lower-case hex) of a file's bytes. */
    public static String sha256(Path file) throws IOException {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buffer = new byte[1 << 16];
            for (int read = in.read(buffer); read >= 0; read = in.read(buffer)) {
                digest.update(buffer, 0, read);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private static void force(Path file) throws IOException {
        if (Files.exists(file)) {
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
                channel.force(true);
            }
        }
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> {
                try {
                    Files.delete(path);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }
}
