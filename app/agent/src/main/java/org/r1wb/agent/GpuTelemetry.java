package org.r1wb.agent;

import org.r1wb.gpu.GpuDevice;
import org.r1wb.gpu.NvidiaSmi;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A node's GPUs as {@code device} event payloads, from {@code nvidia-smi}. The first four columns of
 * {@link #COLUMNS} are those of {@link NvidiaSmi#QUERY}, so {@link NvidiaSmi#parseDevices} reads the identity of
 * each device; the rest are the live figures. A node without a usable GPU yields one payload with
 * {@code state: no-gpu} and the reason: that is a state of the node, not an error.
 */
public final class GpuTelemetry {

    /** The queried columns, in order. */
    public static final String COLUMNS =
            "index,name,memory.total,compute_cap,utilization.gpu,memory.used,temperature.gpu,power.draw";

    /** The shell command, the same locally and on a node over SSH. */
    public static final String COMMAND = "nvidia-smi --query-gpu=" + COLUMNS + " --format=csv,noheader,nounits";

    private static final String[] LIVE_FIELDS = {"util", "mem_used_mib", "temp_c", "power_w"};
    private static final int EXIT_NOT_FOUND = 127;

    private GpuTelemetry() {
    }

    /** The payloads for the output of {@link #COMMAND} that exited with {@code exitCode}. */
    public static List<Map<String, Object>> fromOutput(int exitCode, String output) {
        if (exitCode == EXIT_NOT_FOUND) {
            return List.of(noGpu("no nvidia-smi on the node's PATH"));
        }
        if (exitCode != 0) {
            return List.of(noGpu("nvidia-smi failed (exit " + exitCode + "): " + firstLine(output)));
        }
        List<Map<String, Object>> devices = new ArrayList<>();
        for (String line : output.split("\\R")) {
            List<GpuDevice> parsed = NvidiaSmi.parseDevices(line);
            if (parsed.isEmpty()) {
                continue;
            }
            GpuDevice gpu = parsed.get(0);
            Map<String, Object> fields = new LinkedHashMap<>();
            fields.put("state", "ok");
            fields.put("index", gpu.index());
            fields.put("name", gpu.name());
            fields.put("mem_total_mib", gpu.memoryMiB());
            if (gpu.computeCapability() != null) {
                fields.put("compute_cap", gpu.computeCapability());
            }
            String[] cells = line.split(",");
            for (int i = 0; i < LIVE_FIELDS.length && 4 + i < cells.length; i++) {
                try {
                    fields.put(LIVE_FIELDS[i], Double.parseDouble(cells[4 + i].strip()));
                } catch (NumberFormatException e) {
                    // "[N/A]" or "[Not Supported]": the driver does not report this figure
                }
            }
            devices.add(fields);
        }
        return devices.isEmpty() ? List.of(noGpu("nvidia-smi lists no device")) : devices;
    }

    /** Queries this machine (the node, when the agent runs there). */
    public static List<Map<String, Object>> local() {
        try {
            Process process = new ProcessBuilder("sh", "-c", COMMAND).redirectErrorStream(true).start();
            process.getOutputStream().close();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return List.of(noGpu("nvidia-smi did not answer within 10 s"));
            }
            return fromOutput(process.exitValue(), output);
        } catch (IOException e) {
            return List.of(noGpu("cannot run a shell to ask nvidia-smi: " + e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return List.of(noGpu("interrupted while asking nvidia-smi"));
        }
    }

    private static Map<String, Object> noGpu(String reason) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("state", "no-gpu");
        fields.put("reason", reason);
        return fields;
    }

    private static String firstLine(String text) {
        String stripped = text.strip();
        int newline = stripped.indexOf('\n');
        return newline < 0 ? stripped : stripped.substring(0, newline);
    }
}
