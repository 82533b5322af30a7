/**
 * Weights out of (and back into) the DJL engine: the safetensors format ({@link SafetensorsWriter},
 * {@link SafetensorsReader}) and model folders of {@code model.safetensors} + {@code config.json}
 * ({@link ModelExport}) that the PyTorch backend ({@code r1wb_torch}) trains from and writes.
 */
package org.r1wb.model.export;
