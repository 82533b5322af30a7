package org.r1wb.model.export;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import com.fasterxml.jackson.core.JsonProcessingException;
import org.r1wb.model.nn.MoeTransformer;
import org.r1wb.model.spec.ModelSpecs;
import org.r1wb.model.train.CheckpointInfo;
import org.r1wb.model.train.CheckpointMeta;
import org.r1wb.model.train.Checkpoints;
import org.r1wb.model.train.GradMode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Model folders shared with the PyTorch backend: {@code model.safetensors} (fp32, one tensor per parameter named by
 * {@link ParameterPaths}, selection biases included; or with the projections quantized, {@link QuantScheme}) and
 * {@code config.json} ({@link ExportConfig}). A DJL checkpoint
 * goes out with {@link #exportCheckpoint}; a folder the PyTorch backend wrote comes back as a DJL checkpoint with
 * {@link #importCheckpoint}.
 */
public final class ModelExport {

    /** Version of the folder layout. */
    public static final int FORMAT_VERSION = 1;
    /** The architecture name in {@code config.json}; the PyTorch backend checks it. */
    public static final String ARCHITECTURE = "R1wbMoeTransformer";
    /** The weights file. */
    public static final String WEIGHTS = "model.safetensors";
    /** The config file. */
    public static final String CONFIG = "config.json";

    private ModelExport() {
    }

    /** Every parameter of {@code model} as an fp32 tensor, by dotted path. */
    public static Map<String, StoredTensor> tensors(MoeTransformer model) {
        Map<String, StoredTensor> tensors = new LinkedHashMap<>();
        ParameterPaths.of(model).forEach((name, parameter) -> {
            NDArray array = parameter.getArray();
            tensors.put(name, StoredTensor.ofFloats(array.toFloatArray(), array.getShape().getShape()));
        });
        return tensors;
    }

    /**
     * Every parameter of {@code model} by dotted path: the projections ({@link QuantScheme#quantizes}) quantized with
     * {@code scheme} as {@link QuantizedWeight} entries, everything else fp32.
     */
    public static Map<String, StoredTensor> tensors(MoeTransformer model, QuantScheme scheme) {
        Map<String, StoredTensor> tensors = new LinkedHashMap<>();
        tensors(model).forEach((name, tensor) -> {
            if (QuantScheme.quantizes(name, tensor.shape())) {
                int rows = Math.toIntExact(tensor.shape()[0]);
                int cols = Math.toIntExact(tensor.shape()[1]);
                tensors.putAll(QuantizedWeight.quantize(tensor.floats(), rows, cols, scheme).tensors(name));
            } else {
                tensors.put(name, tensor);
            }
        });
        return tensors;
    }

    /** Writes {@code model}'s weights and {@code config} to {@code folder} (config last, so it marks a whole folder). */
    public static void write(MoeTransformer model, ExportConfig config, Path folder) throws IOException {
        Map<String, StoredTensor> tensors = config.quantization() == null ? tensors(model)
                : tensors(model, QuantScheme.parse(config.quantization()));
        Files.createDirectories(folder);
        SafetensorsWriter.write(folder.resolve(WEIGHTS), tensors, Map.of("format", "pt"));
        ModelSpecs.writeAtomically(folder.resolve(CONFIG), ModelSpecs.JSON.writeValueAsString(config) + "\n");
    }

    /** Exports the DJL checkpoint folder {@code checkpointDir} to {@code folder}; returns the config written. */
    public static ExportConfig exportCheckpoint(Path checkpointDir, Path folder) throws IOException {
        return exportCheckpoint(checkpointDir, folder, null);
    }

    /**
     * Exports the DJL checkpoint folder {@code checkpointDir} to {@code folder}, its projections quantized with
     * {@code scheme} ({@code null}: fp32); returns the config written.
     */
    public static ExportConfig exportCheckpoint(Path checkpointDir, Path folder, QuantScheme scheme) throws IOException {
        CheckpointMeta meta = Checkpoints.readMeta(checkpointDir);
        GradMode.offOnThisThread();
        try (NDManager manager = NDManager.newBaseManager()) {
            MoeTransformer model = Checkpoints.loadModel(checkpointDir, meta, manager);
            ExportConfig config = ExportConfig.of(meta.model(), meta.step(), meta.seed(), meta.runId());
            if (scheme != null) {
                config = config.quantized(scheme);
            }
            write(model, config, folder);
            return config;
        }
    }

    /**
     * The folder's weights as fp32 tensors by parameter path: quantized projections dequantized (the inference path
     * of a quantized export: the model then runs its fp32 kernels on the weights the codes stand for).
     */
    public static Map<String, StoredTensor> fp32Tensors(Path folder) throws IOException {
        ExportConfig config = readConfig(folder);
        Map<String, StoredTensor> stored = SafetensorsReader.read(folder.resolve(WEIGHTS)).tensors();
        if (config.quantization() == null) {
            return stored;
        }
        QuantScheme scheme;
        try {
            scheme = QuantScheme.parse(config.quantization());
        } catch (IllegalArgumentException e) {
            throw new IOException(folder.resolve(CONFIG) + ": quantization: " + e.getMessage(), e);
        }
        Map<String, StoredTensor> tensors = new LinkedHashMap<>();
        for (var entry : stored.entrySet()) {
            String name = entry.getKey();
            if (name.endsWith(QuantizedWeight.SCALE) || name.endsWith(QuantizedWeight.ZERO)) {
                continue;
            }
            if (stored.containsKey(name + QuantizedWeight.SCALE)) {
                try {
                    QuantizedWeight weight = QuantizedWeight.read(name, stored, scheme);
                    tensors.put(name, StoredTensor.ofFloats(weight.dequantize(), weight.rows(), weight.cols()));
                } catch (IllegalArgumentException e) {
                    throw new IOException(folder.resolve(WEIGHTS) + ": " + e.getMessage(), e);
                }
            } else {
                tensors.put(name, entry.getValue());
            }
        }
        return tensors;
    }

    /** Reads and checks a folder's {@code config.json}. */
    public static ExportConfig readConfig(Path folder) throws IOException {
        Path file = folder.resolve(CONFIG);
        if (!Files.isRegularFile(file)) {
            throw new IOException(folder + " is not a model folder: " + CONFIG + " is missing");
        }
        ExportConfig config;
        try {
            config = ModelSpecs.JSON.readValue(file.toFile(), ExportConfig.class);
        } catch (JsonProcessingException e) {
            throw new IOException(ModelSpecs.describe(file, e), e);
        }
        if (!ARCHITECTURE.equals(config.architecture()) || config.format() != FORMAT_VERSION) {
            throw new IOException(file + ": architecture " + config.architecture() + " format " + config.format()
                    + "; this build reads " + ARCHITECTURE + " format " + FORMAT_VERSION);
        }
        return config;
    }

    /**
     * Copies the folder's weights into {@code model}'s (initialised) parameters. Every parameter must be present with
     * its shape and nothing else may be; all mismatches are reported together.
     */
    public static void loadInto(Path folder, MoeTransformer model) throws IOException {
        Map<String, StoredTensor> tensors = fp32Tensors(folder);
        Map<String, Parameter> parameters = ParameterPaths.of(model);
        List<String> problems = new ArrayList<>();
        for (String name : new TreeSet<>(parameters.keySet())) {
            StoredTensor tensor = tensors.get(name);
            long[] expected = parameters.get(name).getArray().getShape().getShape();
            if (tensor == null) {
                problems.add(name + " is missing");
            } else if (!Arrays.equals(tensor.shape(), expected)) {
                problems.add(name + " has shape " + Arrays.toString(tensor.shape()) + ", the spec needs "
                        + Arrays.toString(expected));
            }
        }
        for (String name : new TreeSet<>(tensors.keySet())) {
            if (!parameters.containsKey(name)) {
                problems.add(name + " is not a parameter of this spec");
            }
        }
        if (!problems.isEmpty()) {
            throw new IOException(folder.resolve(WEIGHTS) + " does not fit the model spec: "
                    + String.join("; ", problems));
        }
        GradMode.offOnThisThread();
        parameters.forEach((name, parameter) -> parameter.getArray().set(tensors.get(name).floats()));
    }

    /**
     * Turns a model folder (for instance a PyTorch checkpoint) into the DJL checkpoint {@code checkpointsDir/name}
     * (weights and {@code meta.json}; no optimizer state, so it evaluates and fine-tunes but does not resume).
     */
    public static CheckpointInfo importCheckpoint(Path folder, Path checkpointsDir, String name) throws IOException {
        ExportConfig config = readConfig(folder);
        GradMode.offOnThisThread();
        try (NDManager manager = NDManager.newBaseManager()) {
            MoeTransformer model = MoeTransformer.create(config.model(), manager, config.seed());
            loadInto(folder, model);
            CheckpointMeta meta = new CheckpointMeta(Checkpoints.FORMAT_VERSION, config.runId(), config.step(),
                    config.model(), null, Double.NaN, null, config.seed());
            return Checkpoints.write(checkpointsDir, name, model, null, meta);
        }
    }
}
