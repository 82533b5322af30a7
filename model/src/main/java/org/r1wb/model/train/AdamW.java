package org.r1wb.model.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import org.r1wb.model.nn.ScriptKernels;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * AdamW (Loshchilov and Hutter, decoupled weight decay) with global-norm gradient clipping, written out rather
 * than taken from DJL so its moments can be checkpointed and resumed and so decay skips the norms' gains.
 * Matrices (two or more axes) decay; vectors do not.
 */
public final class AdamW implements AutoCloseable {

    /** Version of the state file written by {@link #save}. */
    public static final byte FORMAT_VERSION = 1;

    private static final double EPS = 1e-8;

    private final OptimizerSpec spec;
    private final NDManager manager;
    private final List<Slot> slots = new ArrayList<>();
    private final ScriptKernels kernels = ScriptKernels.get();
    private long stepCount;

    private record Slot(String name, Parameter parameter, NDArray m, NDArray v, boolean decays) {
    }

    /** An optimizer for every trainable parameter of {@code model}; its moments live in a sub-manager of {@code parent}. */
    public AdamW(Block model, OptimizerSpec spec, NDManager parent) {
        this.spec = spec;
        this.manager = parent.newSubManager();
        for (Pair<String, Parameter> entry : model.getParameters()) {
            Parameter parameter = entry.getValue();
            if (!parameter.requiresGradient()) {
                continue;
            }
            NDArray weight = parameter.getArray();
            NDArray m = manager.zeros(weight.getShape(), weight.getDataType(), weight.getDevice());
            NDArray v = manager.zeros(weight.getShape(), weight.getDataType(), weight.getDevice());
            slots.add(new Slot(entry.getKey(), parameter, m, v, weight.getShape().dimension() >= 2));
        }
    }

    /**
     * Clips the accumulated gradients to the global norm {@code spec.gradClip()} (when positive), applies one update
     * at learning rate {@code lr}, and zeroes the gradients. A non-finite gradient norm changes nothing but the
     * gradients (zeroed), and is returned for the caller to stop on. Two calls into libtorch do it all (the norm,
     * then PyTorch's fused AdamW per decay group), whatever the number of parameters.
     *
     * @return the global gradient norm before clipping
     */
    public double step(double lr) {
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            List<NDArray> grads = new ArrayList<>(slots.size());
            for (Slot slot : slots) {
                grads.add(slot.parameter().getArray().getGradient());
            }
            double norm = grads.isEmpty() ? 0 : kernels.gradNorm(grads).getFloat();
            if (!Double.isFinite(norm)) {
                // a non-finite gradient would poison every weight and both moments: leave them as they were
                for (NDArray grad : grads) {
                    // Inf - Inf is NaN: clear the non-finite entries first, or the next backward adds to them
                    grad.set(grad.isNaN().logicalOr(grad.isInfinite()), 0f);
                    grad.subi(grad);
                }
                return norm;
            }
            // the kernel divides each gradient by this: the global-norm clip without a pass of its own
            double divisor = spec.gradClip() > 0 && norm > spec.gradClip() ? (norm + 1e-6) / spec.gradClip() : 1.0;
            stepCount++;
            for (boolean decays : new boolean[] {true, false}) {
                Group group = new Group();
                for (int i = 0; i < slots.size(); i++) {
                    if (slots.get(i).decays() == decays) {
                        group.add(slots.get(i), grads.get(i));
                    }
                }
                if (!group.params.isEmpty()) {
                    kernels.adamW(group.params, group.grads, group.m, group.v, stepCount, lr, spec.beta1(),
                            spec.beta2(), decays ? spec.weightDecay() : 0, EPS, divisor);
                }
            }
            return norm;
        }
    }

    /** The tensors of one weight-decay group, in slot order. */
    private static final class Group {
        final List<NDArray> params = new ArrayList<>();
        final List<NDArray> grads = new ArrayList<>();
        final List<NDArray> m = new ArrayList<>();
        final List<NDArray> v = new ArrayList<>();

        void add(Slot slot, NDArray grad) {
            params.add(slot.parameter().getArray());
            grads.add(grad);
            m.add(slot.m());
            v.add(slot.v());
        }
    }

    /** Updates applied so far. */
    public long stepCount() {
        return stepCount;
    }

    /** Writes the step count and both moments of every parameter. */
    public void save(Path file) throws IOException {
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(file)))) {
            out.writeByte(FORMAT_VERSION);
            out.writeLong(stepCount);
            out.writeInt(slots.size());
            for (Slot slot : slots) {
                out.writeUTF(slot.name());
                writeArray(out, slot.m());
                writeArray(out, slot.v());
            }
        }
    }

    /** Restores what {@link #save} wrote for the same model. */
    public void load(Path file) throws IOException {
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
            byte version = in.readByte();
            if (version != FORMAT_VERSION) {
                throw new IOException(file + ": optimizer state version " + version + ", expected " + FORMAT_VERSION);
            }
            long steps = in.readLong();
            int count = in.readInt();
            if (count != slots.size()) {
                throw new IOException(file + ": state for " + count + " parameters, model has " + slots.size());
            }
            for (Slot slot : slots) {
                String name = in.readUTF();
                if (!name.equals(slot.name())) {
                    throw new IOException(file + ": state for " + name + " where " + slot.name() + " was expected");
                }
                readInto(in, slot.m());
                readInto(in, slot.v());
            }
            stepCount = steps;
        }
    }

    private static void writeArray(DataOutputStream out, NDArray array) throws IOException {
        byte[] bytes = array.encode();
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    private void readInto(DataInputStream in, NDArray target) throws IOException {
        byte[] bytes = new byte[in.readInt()];
        in.readFully(bytes);
        try (NDArray loaded = manager.decode(bytes)) {
            if (!loaded.getShape().equals(target.getShape())) {
                throw new IOException("optimizer state of shape " + loaded.getShape() + " for " + target.getShape());
            }
            target.subi(target).addi(loaded);
        }
    }

    @Override
    public void close() {
        manager.close();
    }
}
