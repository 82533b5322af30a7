package org.r1wb.model.eval.code;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Runs a candidate Java program against its tests in a separate JVM (single-file source launch), with a
 * heap limit and a wall-clock limit, so a candidate that loops, allocates without end or calls
 * {@code System.exit} cannot harm the evaluation. It is a fence against accidents, not a security sandbox:
 * run untrusted models' code on a machine you can lose.
 */
public final class JavaProgramChecker {

    /** The checker's version; part of the cache key through the task digest's checker settings. */
    public static final String VERSION = "java-checker/v1";

    /** What happened to one candidate. */
    public enum Status { PASS, FAIL, COMPILE_ERROR, TIMEOUT, OUT_OF_MEMORY, ERROR }

    /**
     * @param status what happened
     * @param output the first few KiB of the program's output, for the sample browser
     * @param millis wall-clock time of the run
     */
    public record Outcome(Status status, String output, long millis) {

        public boolean passed() {
            return status == Status.PASS;
        }
    }

    private static final int OUTPUT_LIMIT = 4096;
    private static final String PASSED = "R1WB-CHECK-PASSED";

    /**
     * Compiles and runs {@code program} (static members of the class under test) followed by {@code tests}
     * (statements that call {@code check(boolean)}); passes when every check holds and the run ends in time.
     */
    public Outcome run(String program, String tests, long timeoutMs, int memoryMb) {
        String source = "public class Candidate {\n" + program + "\n"
                + "    static void check(boolean ok) {\n"
                + "        if (!ok) {\n"
                + "            System.out.println(\"R1WB-CHECK-FAILED\");\n"
                + "            System.exit(3);\n"
                + "        }\n"
                + "    }\n"
                + "    public static void main(String[] args) throws Exception {\n"
                + tests + "\n"
                + "        System.out.println(\"" + PASSED + "\");\n"
                + "    }\n"
                + "}\n";
        Path dir = null;
        long start = System.nanoTime();
        try {
            dir = Files.createTempDirectory("r1wb-candidate");
            Path file = dir.resolve("Candidate.java");
            Files.writeString(file, source, StandardCharsets.UTF_8);
            Path java = Path.of(System.getProperty("java.home"), "bin", "java");
            ProcessBuilder builder = new ProcessBuilder(List.of(java.toString(), "-Xmx" + memoryMb + "m",
                    "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-XX:-UsePerfData", "-Djava.io.tmpdir=" + dir,
                    file.toString()))
                    .directory(dir.toFile()).redirectErrorStream(true);
            // a clean environment: JAVA_TOOL_OPTIONS and friends must not reach the candidate
            builder.environment().clear();
            Process process = builder.start();
            process.getOutputStream().close();
            BoundedReader reader = new BoundedReader(process.getInputStream());
            reader.start();
            boolean finished = process.waitFor(timeoutMs, TimeUnit.MILLISECONDS);
            if (!finished) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
            reader.join(2000);
            String output = reader.text();
            long millis = (System.nanoTime() - start) / 1_000_000;
            return new Outcome(status(finished, finished ? process.exitValue() : -1, output), output, millis);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run a candidate program: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Outcome(Status.ERROR, "interrupted", (System.nanoTime() - start) / 1_000_000);
        } finally {
            delete(dir);
        }
    }

    private static Status status(boolean finished, int exitCode, String output) {
        if (!finished) {
            return Status.TIMEOUT;
        }
        if (output.contains("OutOfMemoryError")) {
            return Status.OUT_OF_MEMORY;
        }
        if (output.contains("compilation failed")) {
            return Status.COMPILE_ERROR;
        }
        return exitCode == 0 && output.contains(PASSED) ? Status.PASS : Status.FAIL;
    }

    private static void delete(Path dir) {
        if (dir == null) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            // a temp folder left behind is harmless; the result stands
        }
    }

    /** Drains a process's output, keeping the first {@link #OUTPUT_LIMIT} bytes, so a chatty candidate neither blocks nor fills memory. */
    private static final class BoundedReader extends Thread {
        private final InputStream in;
        private final ByteArrayOutputStream kept = new ByteArrayOutputStream();

        BoundedReader(InputStream in) {
            super("candidate-output");
            setDaemon(true);
            this.in = in;
        }

        @Override
        public void run() {
            byte[] buffer = new byte[8192];
            try {
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    synchronized (kept) {
                        kept.write(buffer, 0, Math.max(0, Math.min(n, OUTPUT_LIMIT - kept.size())));
                    }
                }
            } catch (IOException e) {
                // the process was killed; what was read so far stands
            }
        }

        String text() {
            synchronized (kept) {
                return kept.toString(StandardCharsets.UTF_8);
            }
        }
    }
}
