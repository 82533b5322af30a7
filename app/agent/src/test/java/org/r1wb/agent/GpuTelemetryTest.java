package org.r1wb.agent;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** nvidia-smi output as device event payloads; no GPU is a state with a reason. */
class GpuTelemetryTest {

    @Test
    void devicesCarryIdentityAndTheFiguresTheDriverReports() {
        String csv = "0, NVIDIA H200, 143771, 9.0, 35, 1024, 41, 118.52\n"
                + "1, NVIDIA H200, 143771, 9.0, [N/A], 0, 30, [Not Supported]\n";

        List<Map<String, Object>> devices = GpuTelemetry.fromOutput(0, csv);

        assertThat(devices).hasSize(2);
        assertThat(devices.get(0)).containsEntry("state", "ok").containsEntry("index", 0).containsEntry("name", "NVIDIA H200")
                .containsEntry("mem_total_mib", 143771L).containsEntry("compute_cap", "9.0").containsEntry("util", 35.0)
                .containsEntry("mem_used_mib", 1024.0).containsEntry("temp_c", 41.0).containsEntry("power_w", 118.52);
        assertThat(devices.get(1)).containsEntry("index", 1).containsEntry("temp_c", 30.0)
                .doesNotContainKeys("util", "power_w");
    }

    @Test
    void noNvidiaSmiOrNoDriverIsTheNoGpuState() {
        assertThat(GpuTelemetry.fromOutput(127, "sh: 1: nvidia-smi: not found"))
                .singleElement().satisfies(d -> assertThat(d).containsEntry("state", "no-gpu")
                        .containsEntry("reason", "no nvidia-smi on the node's PATH"));
        assertThat(GpuTelemetry.fromOutput(9, "NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver.\n"))
                .singleElement().satisfies(d -> assertThat((String) d.get("reason")).contains("exit 9").contains("NVIDIA driver"));
        assertThat(GpuTelemetry.fromOutput(0, "No devices were found\n"))
                .singleElement().satisfies(d -> assertThat(d).containsEntry("state", "no-gpu"));
    }
}
