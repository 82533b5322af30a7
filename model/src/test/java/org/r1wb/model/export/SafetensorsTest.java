package org.r1wb.model.export;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.r1wb.model.nn.MoeTransformer;
import org.r1wb.model.spec.Balancing;
import org.r1wb.model.spec.GateFunction;
import org.r1wb.model.spec.ModelSpec;
import org.r1wb.model.spec.MoeSpec;
import org.r1wb.model.train.CheckpointInfo;
import org.r1wb.model.train.CheckpointMeta;
import org.r1wb.model.train.Checkpoints;
import org.r1wb.model.train.GradMode;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SafetensorsTest {

    static final ModelSpec SPEC = new ModelSpec(64, 32, 2, 4, 2, 8, 10000.0, 32, 1e-5, 0.0, true, 1, 64,
            new MoeSpec(4, 1, 2, 16, GateFunction.SOFTMAX, Balancing.AUX_FREE, 0.01, 0.001));

    @TempDir
    Path dir;

    @Test
    void tensorsAndMetadataComeBackAsWritten() throws IOException {
        Map<String, StoredTensor> tensors = new LinkedHashMap<>();
        tensors.put("w", StoredTensor.ofFloats(new float[] {1.5f, -2f, 0f, 3.25f, 7f, -0.125f}, 2, 3));
        tensors.put("ids", StoredTensor.ofLongs(new long[] {5, Long.MAX_VALUE, -1}, 3));
        tensors.put("scalar", StoredTensor.ofFloats(new float[] {42f}));
        Path file = dir.resolve("t.safetensors");
        SafetensorsWriter.write(file, tensors, Map.of("format", "pt"));

        SafetensorsFile read = SafetensorsReader.read(file);
        assertThat(read.metadata()).containsExactly(Map.entry("format", "pt"));
        assertThat(read.tensors().keySet()).containsExactlyInAnyOrder("w", "ids", "scalar");
        assertThat(read.tensors().get("w").shape()).containsExactly(2, 3);
        assertThat(read.tensors().get("w").floats()).containsExactly(1.5f, -2f, 0f, 3.25f, 7f, -0.125f);
        assertThat(read.tensors().get("ids").longs()).containsExactly(5, Long.MAX_VALUE, -1);
        assertThat(read.tensors().get("scalar").shape()).isEmpty();
        long headerLength = ByteBuffer.wrap(Files.readAllBytes(file), 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        assertThat(headerLength % 8).as("data starts 8-byte aligned").isZero();

        Path again = dir.resolve("again.safetensors");
        SafetensorsWriter.write(again, new TreeMap<>(tensors), Map.of("format", "pt"));
        assertThat(Files.readAllBytes(again)).as("bytes do not depend on map order").isEqualTo(Files.readAllBytes(file));
    }

    @Test
    void malformedFilesAreRejectedWithTheirPath() throws IOException {
        Path shortFile = Files.write(dir.resolve("short.safetensors"), new byte[] {1, 2, 3});
        assertThatThrownBy(() -> SafetensorsReader.read(shortFile)).hasMessageContaining("short.safetensors")
                .hasMessageContaining("too short");

        Path good = dir.resolve("good.safetensors");
        SafetensorsWriter.write(good, Map.of("w", StoredTensor.ofFloats(new float[8], 8)), Map.of());
        byte[] bytes = Files.readAllBytes(good);
        Path truncated = Files.write(dir.resolve("truncated.safetensors"),
                java.util.Arrays.copyOf(bytes, bytes.length - 4));
        assertThatThrownBy(() -> SafetensorsReader.read(truncated)).hasMessageContaining("truncated.safetensors")
                .hasMessageContaining("tensor w has data_offsets");

        bytes[8] = 'x';
        Path notJson = Files.write(dir.resolve("notjson.safetensors"), bytes);
        assertThatThrownBy(() -> SafetensorsReader.read(notJson)).hasMessageContaining("not JSON");
    }

    @Test
    void aModelFolderRestoresEveryWeightAndTheLogits() throws IOException {
        GradMode.offOnThisThread();
        try (NDManager manager = NDManager.newBaseManager()) {
            MoeTransformer original = MoeTransformer.create(SPEC, manager, 11);
            original.moeLayers().get(0).moe().router().updateBias(new long[] {9, 1, 5, 1}, 0.05);
            ModelExport.write(original, ExportConfig.of(SPEC, 3, 11, "r"), dir);

            Map<String, StoredTensor> stored = SafetensorsReader.read(dir.resolve(ModelExport.WEIGHTS)).tensors();
            assertThat(stored).containsKeys("embedding", "layer0.attention_norm.gain", "layer0.attention.q_proj",
                    "layer0.ffn.gate_proj", "layer1.moe.router.gate_weight", "layer1.moe.router.selection_bias",
                    "layer1.moe.expert3.down_proj", "layer1.moe.shared.up_proj", "final_norm.gain");
            assertThat(stored.get("layer1.moe.router.selection_bias").floats()).containsExactly(-0.05f, 0.05f, -0.05f, 0.05f);
            assertThat(stored.get("layer0.attention.k_proj").shape()).containsExactly(16, 32);

            MoeTransformer copy = MoeTransformer.create(SPEC, manager, 99);
            assertThat(logits(copy, manager)).isNotEqualTo(logits(original, manager));
            ModelExport.loadInto(dir, copy);
            assertThat(logits(copy, manager)).isEqualTo(logits(original, manager));
            assertThat(ModelExport.readConfig(dir)).isEqualTo(ExportConfig.of(SPEC, 3, 11, "r"));

            CheckpointInfo imported = ModelExport.importCheckpoint(dir, dir.resolve("checkpoints"), "imported");
            CheckpointMeta meta = Checkpoints.readMeta(imported.path());
            assertThat(meta.step()).isEqualTo(3);
            MoeTransformer reloaded = Checkpoints.loadModel(imported.path(), meta, manager);
            assertThat(logits(reloaded, manager)).isEqualTo(logits(original, manager));
        }
    }

    @Test
    void weightsOfAnotherSpecAreRefusedWithEveryMismatch() throws IOException {
        GradMode.offOnThisThread();
        try (NDManager manager = NDManager.newBaseManager()) {
            ModelExport.write(MoeTransformer.create(SPEC, manager, 1), ExportConfig.of(SPEC, 0, 1, null), dir);
            ModelSpec wider = new ModelSpec(64, 32, 2, 4, 4, 8, 10000.0, 32, 1e-5, 0.0, false, 1, 64, SPEC.moe());
            MoeTransformer other = MoeTransformer.create(wider, manager, 1);
            assertThatThrownBy(() -> ModelExport.loadInto(dir, other))
                    .hasMessageContaining("layer0.attention.k_proj has shape [16, 32], the spec needs [32, 32]")
                    .hasMessageContaining("lm_head is missing");
        }
    }

    private static float[] logits(MoeTransformer model, NDManager manager) {
        try (NDManager step = manager.newSubManager()) {
            NDArray ids = step.create(new long[] {1, 5, 9, 63, 0, 2, 2, 40}, new Shape(1, 8)).toType(DataType.INT64, false);
            return model.apply(new ParameterStore(step, false), ids, false).get(0).toFloatArray();
        }
    }
}
