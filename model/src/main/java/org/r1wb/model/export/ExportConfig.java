package org.r1wb.model.export;

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
 */
public record ExportConfig(int format, String architecture, String dtype, int step, long seed, String runId,
                           ModelSpec model) {

    /** A config for fp32 weights of {@code model}. */
    public static ExportConfig of(ModelSpec model, int step, long seed, String runId) {
        return new ExportConfig(ModelExport.FORMAT_VERSION, ModelExport.ARCHITECTURE, "float32", step, seed, runId,
                model);
    }
}
