package org.r1wb.model.export;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.r1wb.model.spec.ModelSpec;

/**
 * {@code config.json} of a model folder: which architecture the tensors of {@code model.safetensors} belong to and
 * the spec that shapes it. Both engines write and read it.
 *
 * @param format       version of the folder layout ({@link ModelExport#FORMAT_VERSION})
 * @param architecture always {@link ModelExport#ARCHITECTURE}
 * @param dtype        element type of the weights ({@code float32})
 * @param step         optimizer steps the weights have seen
 * @param seed         the run seed
 * @param runId        the run that wrote them, or {@code null}
 * @param model        the model spec
 * @param quantization how the projection weights are quantized ({@link QuantScheme#id()}: {@code int8}, {@code q4:64});
 *                     absent for fp32 weights
 */
public record ExportConfig(int format, String architecture, String dtype, int step, long seed, String runId,
                           ModelSpec model, @JsonInclude(JsonInclude.Include.NON_NULL) String quantization) {

    /** A config for fp32 weights of {@code model}. */
    public static ExportConfig of(ModelSpec model, int step, long seed, String runId) {
        return new ExportConfig(ModelExport.FORMAT_VERSION, ModelExport.ARCHITECTURE, "float32", step, seed, runId,
                model, null);
    }

    /** This config for weights quantized with {@code scheme}. */
    public ExportConfig quantized(QuantScheme scheme) {
        return new ExportConfig(format, architecture, dtype, step, seed, runId, model, scheme.id());
    }
}
