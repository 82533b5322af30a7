package org.r1wb.model.export;

import java.util.Arrays;
import java.util.Optional;

/** Element types of safetensors tensors, named as in the file's header. */
public enum TensorType {
    F32(4), F64(8), F16(2), BF16(2), I64(8), I32(4), I16(2), I8(1), U8(1), BOOL(1);

    private final int bytes;

    TensorType(int bytes) {
        this.bytes = bytes;
    }

    /** Bytes per element. */
    public int bytes() {
        return bytes;
    }

    /** The type of a header's {@code dtype} name, if this reader knows it. */
    public static Optional<TensorType> named(String name) {
        return Arrays.stream(values()).filter(type -> type.name().equals(name)).findFirst();
    }
}
