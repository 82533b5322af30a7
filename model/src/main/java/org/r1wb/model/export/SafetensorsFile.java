package org.r1wb.model.export;

import java.util.Map;

/**
 * The contents of a safetensors file.
 *
 * @param tensors  every tensor by name, in header order
 * @param metadata the header's {@code __metadata__} (string to string), empty when absent
 */
public record SafetensorsFile(Map<String, StoredTensor> tensors, Map<String, String> metadata) {
}
