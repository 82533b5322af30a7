package org.r1wb.gpu;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The {@code nvidia-smi} fallback: used when the CUDA runtime cannot be loaded in-process (for example a
 * node whose CUDA version differs from the one JavaCPP was built for), and on remote nodes over SSH.
 */
public final class NvidiaSmi {

    /** The query whose CSV {@link #parseDevices} reads. */
    public static final List<String> QUERY = List.of("nvidia-smi",
            "--query-gpu=index,name,memory.total,compute_cap", "--format=csv,noheader,nounits");

    private NvidiaSmi() {
    }

    /** Parses the CSV output of {@link #QUERY}; lines that don't fit are skipped. */
    public static List<GpuDevice> parseDevices(String csv) {
        List<GpuDevice> gpus = new ArrayList<>();
        for (String line : csv.split("\\R")) {
            String[] cells = line.split(",");
            if (cells.length < 3) {
                continue;
            }
            try {
                String capability = cells.length > 3 ? cells[3].strip() : null;
                if (capability != null && (capability.isEmpty() || capability.startsWith("["))) {
                    capability = null;
                }
                gpus.add(new GpuDevice(Integer.parseInt(cells[0].strip()), cells[1].strip(),
                        Long.parseLong(cells[2].strip()), capability));
            } catch (NumberFormatException e) {
                // a header, a "[N/A]" or a warning line: not a device row
            }
        }
        return gpus;
    }

    /** Runs the query on this machine; empty with {@code reason[0]} set when it can't. */
    static Optional<List<GpuDevice>> devices(String[] reason) {
        try {
            Process process = new ProcessBuilder(QUERY).redirectErrorStream(true).start();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                reason[0] = "nvidia-smi did not answer within 10 s";
                return Optional.empty();
            }
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (process.exitValue() != 0) {
                reason[0] = "nvidia-smi failed: " + output.strip();
                return Optional.empty();
            }
            List<GpuDevice> gpus = parseDevices(output);
            if (gpus.isEmpty()) {
                reason[0] = "nvidia-smi lists no device";
                return Optional.empty();
            }
            return Optional.of(gpus);
        } catch (IOException e) {
            reason[0] = "no nvidia-smi on PATH";
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            reason[0] = "interrupted while asking nvidia-smi";
            return Optional.empty();
        }
    }
}
