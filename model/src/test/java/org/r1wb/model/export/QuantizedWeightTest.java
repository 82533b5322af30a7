package org.r1wb.model.export;

import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The int8 and q4 codes of a weight matrix: rounding bounds, packing, the stored form read back, bad input. */
class QuantizedWeightTest {

    private static float[] gaussian(int n, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] w = new float[n];
        for (int i = 0; i < n; i++) {
            // a normal-ish spread with an outlier now and then, as trained weights have
            w[i] = (float) ((random.nextDouble() + random.nextDouble() + random.nextDouble() - 1.5) * (i % 97 == 0 ? 8 : 1));
        }
        return w;
    }

    @Test
    void int8RoundsEveryWeightToWithinHalfItsRowsStep() {
        int rows = 12;
        int cols = 40;
        float[] w = gaussian(rows * cols, 1);
        QuantizedWeight q = QuantizedWeight.quantize(w, rows, cols, QuantScheme.int8());
        float[] back = q.dequantize();
        for (int r = 0; r < rows; r++) {
            float max = 0;
            for (int c = 0; c < cols; c++) {
                max = Math.max(max, Math.abs(w[r * cols + c]));
            }
            float step = max / 127;
            assertThat(q.scales()[r]).isEqualTo(step);
            for (int c = 0; c < cols; c++) {
                assertThat(Math.abs(back[r * cols + c] - w[r * cols + c])).as("row %d col %d", r, c)
                        .isLessThanOrEqualTo(step / 2 * 1.0001f);
            }
        }
    }

    @Test
    void q4RoundsEveryWeightToWithinHalfItsGroupsStep() {
        int rows = 6;
        int cols = 64;
        float[] w = gaussian(rows * cols, 2);
        QuantizedWeight q = QuantizedWeight.quantize(w, rows, cols, QuantScheme.q4(32));
        float[] back = q.dequantize();
        assertThat(q.codes()).hasSize(rows * cols / 2);
        assertThat(q.scales()).hasSize(rows * 2);
        for (int r = 0; r < rows; r++) {
            for (int g = 0; g < 2; g++) {
                float min = Float.MAX_VALUE;
                float max = -Float.MAX_VALUE;
                for (int c = g * 32; c < (g + 1) * 32; c++) {
                    min = Math.min(min, w[r * cols + c]);
                    max = Math.max(max, w[r * cols + c]);
                }
                float step = (max - min) / 15;
                for (int c = g * 32; c < (g + 1) * 32; c++) {
                    // the zero point is rounded too, which can move the grid by up to half a step
                    assertThat(Math.abs(back[r * cols + c] - w[r * cols + c])).as("row %d col %d", r, c)
                            .isLessThanOrEqualTo(step * 1.0001f);
                }
            }
        }
    }

    @Test
    void q4PacksTheEvenInputInTheLowNibble() {
        float[] w = {0, 15, 15, 0, 0, 15, 15, 0};
        int cols = 32;
        float[] row = new float[cols];
        System.arraycopy(w, 0, row, 0, w.length);
        QuantizedWeight q = QuantizedWeight.quantize(row, 1, cols, QuantScheme.q4(32));
        // min 0, max 15: scale 1, zero 0, so the codes are the values
        assertThat(q.scales()[0]).isEqualTo(1f);
        assertThat(q.zeros()[0]).isEqualTo((byte) 0);
        assertThat(q.codes()[0]).isEqualTo((byte) 0xF0);
        assertThat(q.codes()[1]).isEqualTo((byte) 0x0F);
        assertThat(q.dequantize()).startsWith(w);
    }

    @Test
    void theStoredTensorsReadBackToTheSameWeights() {
        for (QuantScheme scheme : new QuantScheme[] {QuantScheme.int8(), QuantScheme.q4(64), QuantScheme.q4(128)}) {
            float[] w = gaussian(5 * 256, 3);
            QuantizedWeight q = QuantizedWeight.quantize(w, 5, 256, scheme);
            Map<String, StoredTensor> stored = q.tensors("layer0.attention.q_proj");
            assertThat(stored).containsKey("layer0.attention.q_proj" + QuantizedWeight.SCALE);
            QuantizedWeight back = QuantizedWeight.read("layer0.attention.q_proj", stored, scheme);
            assertThat(back.dequantize()).as(scheme.id()).containsExactly(q.dequantize());
        }
    }

    @Test
    void anAllZeroRowStaysZero() {
        float[] w = new float[2 * 32];
        w[40] = 1f;
        for (QuantScheme scheme : new QuantScheme[] {QuantScheme.int8(), QuantScheme.q4(32)}) {
            float[] back = QuantizedWeight.quantize(w, 2, 32, scheme).dequantize();
            assertThat(java.util.Arrays.copyOfRange(back, 0, 32)).as(scheme.id()).containsOnly(0f);
            assertThat(back[40]).as(scheme.id()).isEqualTo(1f);
        }
    }

    @Test
    void badSchemesAndShapesSayWhatToDo() {
        assertThat(QuantScheme.parse("q4").id()).isEqualTo("q4:64");
        assertThat(QuantScheme.parse("Q4:32")).isEqualTo(QuantScheme.q4(32));
        assertThat(QuantScheme.parse("int8")).isEqualTo(QuantScheme.int8());
        assertThatThrownBy(() -> QuantScheme.parse("q4:48")).hasMessageContaining("[32, 64, 128]");
        assertThatThrownBy(() -> QuantScheme.parse("fp8")).hasMessageContaining("use int8, q4 or q4:<group>");
        assertThatThrownBy(() -> QuantizedWeight.quantize(new float[4 * 96], 4, 96, QuantScheme.q4(64)))
                .hasMessageContaining("96").hasMessageContaining("choose a group size that divides it");
        Map<String, StoredTensor> stored = QuantizedWeight.quantize(gaussian(64, 4), 2, 32, QuantScheme.q4(32)).tensors("w");
        stored.remove("w" + QuantizedWeight.ZERO);
        assertThatThrownBy(() -> QuantizedWeight.read("w", stored, QuantScheme.q4(32))).hasMessage("w.zero is missing");
    }
}
