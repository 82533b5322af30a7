package org.r1wb.model.export;

import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * Runs the PyTorch backend ({@code r1wb_torch}, shipped in the resources module) from the model's tests, with
 * Debian's {@code /usr/bin/python3} and {@code python3-torch}. Tests that need it are skipped, with the reason, where
 * torch or the sources are missing.
 */
final class TorchBackend {

    static final String PYTHON = "/usr/bin/python3";
    static final String TORCHRUN = "/usr/bin/torchrun";
    /** The package's folder in the source tree; surefire runs in the model module's folder. */
    static final Path PACKAGE_ROOT = Path.of("../resources/src/main/resources/org/r1wb/resources/python")
            .toAbsolutePath().normalize();
    static final Path SCRIPTS = Path.of("../resources/src/test/python").toAbsolutePath().normalize();

    /** What a finished process printed and returned. */
    record Result(int exitCode, String output) {
    }

    private TorchBackend() {
    }

    /** Skips the calling test unless the interpreter imports torch and the package sources are there. */
    static void assumeAvailable() throws IOException, InterruptedException {
        Assumptions.assumeTrue(Files.isDirectory(PACKAGE_ROOT.resolve("r1wb_torch")),
                "the r1wb_torch sources are not at " + PACKAGE_ROOT);
        Assumptions.assumeTrue(Files.isExecutable(Path.of(PYTHON)), PYTHON + " is missing (apt-get install python3-torch)");
        Result probe = run(Path.of("."), 60, PYTHON, "-c", "import torch");
        Assumptions.assumeTrue(probe.exitCode() == 0, PYTHON + " cannot import torch (apt-get install python3-torch): "
                + probe.output());
    }

    /** Runs {@code command} in {@code dir} with the package on the path, one compute thread per process. */
    static Result run(Path dir, int timeoutSeconds, String... command) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        builder.environment().put("PYTHONPATH", PACKAGE_ROOT.toString());
        builder.environment().put("PYTHONDONTWRITEBYTECODE", "1");
        builder.environment().put("OMP_NUM_THREADS", "1");
        Process process = builder.start();
        byte[] output = process.getInputStream().readAllBytes();
        if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException(String.join(" ", command) + " ran past " + timeoutSeconds + " s");
        }
        return new Result(process.exitValue(), new String(output, StandardCharsets.UTF_8));
    }

    /** A learnable token stream: seeded phrases over ids below {@code eot}, each followed by {@code eot}. */
    static int[] phrases(int tokens, int eot, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int[][] phrases = new int[40][];
        for (int p = 0; p < phrases.length; p++) {
            phrases[p] = random.ints(5 + random.nextInt(8), 0, eot).toArray();
        }
        List<Integer> stream = new ArrayList<>();
        while (stream.size() < tokens) {
            for (int id : phrases[random.nextInt(phrases.length)]) {
                stream.add(id);
            }
            stream.add(eot);
        }
        return stream.subList(0, tokens).stream().mapToInt(Integer::intValue).toArray();
    }

    /** Writes a token-shard folder (uint16 {@code train.bin}, {@code val.bin} and {@code index.json}). */
    static void writeShards(Path folder, int[] train, int[] val, int vocabSize, int eot) throws IOException {
        Files.createDirectories(folder);
        for (var split : List.of(new Object[] {"train", train}, new Object[] {"val", val})) {
            int[] ids = (int[]) split[1];
            ByteBuffer bytes = ByteBuffer.allocate(ids.length * 2).order(ByteOrder.LITTLE_ENDIAN);
            for (int id : ids) {
                bytes.putShort((short) id);
            }
            Files.write(folder.resolve(split[0] + ".bin"), bytes.array());
        }
        Files.writeString(folder.resolve("index.json"), """
                {"format": 1, "dtype": "uint16", "vocabSize": %d, "eotId": %d,
                 "splits": {"train": {"file": "train.bin", "tokens": %d}, "val": {"file": "val.bin", "tokens": %d}}}
                """.formatted(vocabSize, eot, train.length, val.length));
    }
}
