package org.r1wb.gpu;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class DeviceProbeTest {

    /** A recording of {@code nvidia-smi --query-gpu=index,name,memory.total,compute_cap --format=csv,noheader,nounits}. */
    private static final String TWO_H100 = """
            0, NVIDIA H100 80GB HBM3, 81559, 9.0
            1, NVIDIA H100 80GB HBM3, 81559, 9.0
            """;

    @Test
    void parsesRecordedNvidiaSmiOutput() {
        var gpus = NvidiaSmi.parseDevices(TWO_H100);

        assertThat(gpus).containsExactly(
                new GpuDevice(0, "NVIDIA H100 80GB HBM3", 81559, "9.0"),
                new GpuDevice(1, "NVIDIA H100 80GB HBM3", 81559, "9.0"));
    }

    @Test
    void skipsHeadersWarningsAndUnknownCapability() {
        var gpus = NvidiaSmi.parseDevices("index, name, memory.total [MiB]\nWARNING: something\n0, Tesla T4, 15360, [N/A]\n");

        assertThat(gpus).containsExactly(new GpuDevice(0, "Tesla T4", 15360, null));
    }

    @Test
    void probeNeverThrowsAndExplainsACpuOnlyMachine() {
        DeviceReport report = DeviceProbe.probe();
        DeviceReport again = DeviceProbe.probe();

        if (report.kind() == DeviceReport.Kind.CPU) {
            assertThat(report.gpus()).isEmpty();
            assertThat(report.reason()).contains("CUDA").contains("nvidia-smi");
            assertThat(report.summary()).startsWith("CPU only (" + Runtime.getRuntime().availableProcessors() + " cores)");
            assertThat(again.reason()).isEqualTo(report.reason());
        } else {
            assertThat(report.gpus()).isNotEmpty();
            assertThat(report.summary()).contains("CUDA device");
        }
    }

    @Test
    void nvmlTelemetryReportsAReasonInsteadOfFailingWhereThereIsNoDriver() {
        String[] reason = new String[1];
        var samples = NvmlTelemetry.sample(reason);
        if (DeviceProbe.probe().kind() == DeviceReport.Kind.CPU) {
            assertThat(samples).isEmpty();
            assertThat(reason[0]).isNotBlank();
            String[] again = new String[1];
            assertThat(NvmlTelemetry.sample(again)).isEmpty();
            assertThat(again[0]).isEqualTo(reason[0]);
        } else {
            assertThat(samples).hasValueSatisfying(list -> assertThat(list).allMatch(s -> s.memTotalMiB() > 0));
        }
    }
}
