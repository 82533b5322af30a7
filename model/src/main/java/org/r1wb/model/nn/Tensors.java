package org.r1wb.model.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;

/**
 * Small tensor helpers the blocks share. Each starts from the activation, so results attach to the
 * activation's (per-step) manager rather than to the long-lived parameter manager.
 */
final class Tensors {

    private Tensors() {
    }

    /** {@code x · wᵀ} for a weight stored as (out, in); in bf16 inside an enabled {@link Autocast} scope. */
    static NDArray linear(NDArray x, NDArray weight) {
        return Autocast.isBf16() ? ScriptKernels.get().linearBf16(x, weight) : linearFp32(x, weight);
    }

    /** {@code x · wᵀ} in fp32 whatever the {@link Autocast} scope says. */
    static NDArray linearFp32(NDArray x, NDArray weight) {
        return Linear.linear(x, weight).singletonOrThrow();
    }

    /** SiLU, {@code x · σ(x)}. */
    static NDArray silu(NDArray x) {
        return x.mul(Activation.sigmoid(x));
    }

    /** Inverted dropout while training; identity otherwise. */
    static NDArray dropout(NDArray x, double rate, boolean training) {
        if (!training || rate <= 0) {
            return x;
        }
        return x.getNDArrayInternal().dropout(x, (float) rate, true).singletonOrThrow();
    }

    /** A 0-d array of any float type as a Java double. */
    static double scalar(NDArray x) {
        return x.getDataType() == DataType.FLOAT64 ? x.getDouble() : x.toType(DataType.FLOAT64, false).getDouble();
    }

    /** The parameter's value on the activation's device. */
    static NDArray value(ParameterStore store, Parameter parameter, NDArray like, boolean training) {
        return store.getValue(parameter, like.getDevice(), training);
    }

    /** A trainable weight of the given shape; {@link ModelInit} sets how it starts. */
    static Parameter weight(String name, long... shape) {
        return Parameter.builder().setName(name).setType(Parameter.Type.WEIGHT)
                .optShape(new Shape(shape)).build();
    }
}
