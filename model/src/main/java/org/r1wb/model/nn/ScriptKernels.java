package org.r1wb.model.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.IValue;
import ai.djl.pytorch.jni.IValueUtils;
import ai.djl.pytorch.jni.JniUtils;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.List;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Kernels DJL's PyTorch binding lacks, written in TorchScript ({@code kernels.torchscript} beside this class) and
 * run by libtorch itself: bf16 matrix products (DJL cannot even make a bf16 tensor), whole-sequence attention, the
 * routed experts of a MoE layer, the SwiGLU MLP, the global gradient norm and PyTorch's fused AdamW over every
 * parameter at once. Each is one JNI round trip however many tensors it touches, and autograd records through the
 * differentiable ones, so gradients reach the fp32 weights they read.
 *
 * <p>The source is compiled by libtorch when the module loads; the archive around it (a pickled empty module,
 * no constants) is built here, so no Python is needed anywhere. One module serves the whole JVM.
 */
public final class ScriptKernels {

    private static final String ARCHIVE = "kernels";
    private static final String SOURCE = "kernels.torchscript";
    /** {@code __torch__.Kernels()} with {@code training = True}, pickle protocol 2. */
    private static final byte[] MODULE_PICKLE = {
        (byte) 0x80, 2, 'c', '_', '_', 't', 'o', 'r', 'c', 'h', '_', '_', '\n', 'K', 'e', 'r', 'n', 'e', 'l', 's', '\n',
        'q', 0, ')', (byte) 0x81, '}', '(', 'X', 8, 0, 0, 0, 't', 'r', 'a', 'i', 'n', 'i', 'n', 'g', 'q', 1,
        (byte) 0x88, 'u', 'b', 'q', 2, '.'};
    /** An empty tuple: the module has no tensor constants. */
    private static final byte[] CONSTANTS_PICKLE = {(byte) 0x80, 2, ')', '.'};
    private static final String METHOD_MARKER = "module_method:";

    /** Whether the calling thread has turned libtorch's graph optimiser off; see {@link #module()}. */
    private static final ThreadLocal<Boolean> PLAIN_EXECUTOR = ThreadLocal.withInitial(() -> false);

    private final PtSymbolBlock module;
    private final NDManager manager;

    private ScriptKernels(NDManager manager, PtSymbolBlock module) {
        this.manager = manager;
        this.module = module;
    }

    /** The JVM's kernels, compiled on first use. */
    public static ScriptKernels get() {
        return Holder.INSTANCE;
    }

    /** {@code x · wᵀ} with both operands rounded to bf16 and the product accumulated in fp32, returned as fp32. */
    NDArray linearBf16(NDArray x, NDArray weight) {
        return call("linear_bf16", x, weight);
    }

    /** {@code down(silu(gate(x)) ⊙ up(x))} in bf16 (as autocast runs it), returned as fp32. */
    NDArray swiGluBf16(NDArray x, NDArray gate, NDArray up, NDArray down) {
        return call("swiglu_bf16", x, gate, up, down);
    }

    /**
     * Causal self-attention of {@code x} (B, T, D) from position 0, as {@link CausalSelfAttention} computes it, in one
     * call: the projections, rotary positions from the (T, hd/2) tables {@code cos} and {@code sin}, grouped heads,
     * the causally masked softmax and the output projection. Under {@code bf16} the products run in bf16 and the
     * softmax in fp32. (libtorch's CPU flash attention was tried here: its backward was 2-4× slower at T 128.)
     */
    NDArray causalAttention(NDArray x, NDArray query, NDArray key, NDArray value, NDArray out, NDArray cos,
                            NDArray sin, boolean bf16) {
        return call(bf16 ? "causal_attention_bf16" : "causal_attention_fp32", x, query, key, value, out, cos, sin);
    }

    /**
     * The routed experts' part of a MoE layer, in one call: gathers the rows of {@code x} (N, D) in expert order
     * ({@code tokenOfSorted}, N·K), cuts them into one slice per expert ({@code sizes}, E counts), runs each
     * expert's SwiGLU on its slice, puts the results back in (token, slot) order ({@code sortedPositionOfSlot},
     * N·K) and sums each token's K outputs weighted by {@code weights} (N, K). The expert weights come as lists in
     * expert order. Under {@code bf16} the gather and the MLPs run in bf16 and the weighted sum in fp32.
     */
    NDArray routedExperts(NDArray x, NDArray tokenOfSorted, NDArray sortedPositionOfSlot, NDArray weights,
                          NDArray sizes, List<NDArray> gates, List<NDArray> ups, List<NDArray> downs, boolean bf16) {
        NDList arguments = new NDList(x, tokenOfSorted, sortedPositionOfSlot, weights, sizes);
        addList(arguments, "gates", gates);
        addList(arguments, "ups", ups);
        addList(arguments, "downs", downs);
        return call(bf16 ? "routed_experts_bf16" : "routed_experts_fp32", arguments);
    }

    /**
     * Appends {@code arrays} as one list argument: DJL groups arrays named {@code name[]} into a list. Each goes as
     * a view, so naming it leaves the parameter's own array alone; gradients flow through the view.
     */
    private static void addList(NDList arguments, String name, List<NDArray> arrays) {
        for (NDArray array : arrays) {
            NDArray view = array.reshape(array.getShape());
            view.setName(name + "[]");
            arguments.add(view);
        }
    }

    /** The L2 norm of all {@code grads} together, a 0-d fp32 array attached to the first gradient's manager. */
    public NDArray gradNorm(List<NDArray> grads) {
        try (IValue list = tensorList(grads);
             IValue norm = IValueUtils.runMethod(module(), "grad_norm", list)) {
            return norm.toTensor((PtNDManager) grads.get(0).getManager());
        }
    }

    /**
     * One decoupled-AdamW update of every parameter of one weight-decay group (PyTorch's fused CPU kernel: one pass
     * over weight, gradient and moments), with each gradient first divided by {@code gradDivisor} (the clipping),
     * then zeroed. {@code step} is the 1-based update count the bias corrections use.
     */
    public void adamW(List<NDArray> params, List<NDArray> grads, List<NDArray> firstMoments,
                      List<NDArray> secondMoments, long step, double lr, double beta1, double beta2,
                      double weightDecay, double eps, double gradDivisor) {
        try (NDManager scratch = manager.newSubManager()) {
            NDArray steps = scratch.create((float) step);
            List<NDArray> stepList = Collections.nCopies(params.size(), steps);
            IValue[] arguments = {tensorList(params), tensorList(grads), tensorList(firstMoments),
                tensorList(secondMoments), tensorList(stepList), IValue.from(lr), IValue.from(beta1),
                IValue.from(beta2), IValue.from(weightDecay), IValue.from(eps),
                IValue.from((PtNDArray) scratch.create((float) gradDivisor))};
            try {
                IValueUtils.runMethod(module(), "adamw", arguments).close();
            } finally {
                for (IValue argument : arguments) {
                    argument.close();
                }
            }
        }
    }

    /** Runs {@code method} on {@code inputs} with autograd recording (when the caller records), one fp32 output. */
    private NDArray call(String method, NDArray... inputs) {
        return call(method, new NDList(inputs));
    }

    /** As {@link #call(String, NDArray...)}; the output lives in the first argument's manager. */
    private NDArray call(String method, NDList arguments) {
        // DJL's way of naming the method to run: an extra argument whose name carries it
        NDArray marker = arguments.get(0).getManager().zeros(new Shape());
        marker.setName(METHOD_MARKER + method);
        arguments.add(marker);
        return IValueUtils.forward(module(), arguments, true).singletonOrThrow();
    }

    /**
     * The module, after switching the calling thread's graph optimiser off (a thread-local libtorch setting): the
     * optimiser profiles the first runs and then swaps in rewritten graphs with derived gradient formulas, so a
     * step's numbers would depend on how many steps the JVM had run before it, and a resumed run would no longer
     * repeat the uninterrupted one bit for bit.
     */
    private PtSymbolBlock module() {
        if (!PLAIN_EXECUTOR.get()) {
            JniUtils.setGraphExecutorOptimize(false);
            PLAIN_EXECUTOR.set(true);
        }
        return module;
    }

    private static IValue tensorList(List<NDArray> arrays) {
        PtNDArray[] tensors = new PtNDArray[arrays.size()];
        for (int i = 0; i < tensors.length; i++) {
            tensors[i] = (PtNDArray) arrays.get(i);
        }
        return IValue.listFrom(tensors);
    }

    private static ScriptKernels load() {
        NDManager manager = NDManager.newBaseManager();
        try (InputStream archive = new ByteArrayInputStream(archive())) {
            return new ScriptKernels(manager, JniUtils.loadModule((PtNDManager) manager, archive, false, false));
        } catch (IOException e) {
            manager.close();
            throw new UncheckedIOException("cannot load the TorchScript kernels", e);
        }
    }

    /** A TorchScript archive as {@code torch.jit.save} writes it: pickled module, constants, code and version. */
    private static byte[] archive() throws IOException {
        byte[] code;
        try (InputStream in = ScriptKernels.class.getResourceAsStream(SOURCE)) {
            if (in == null) {
                throw new IOException(SOURCE + " is missing from the class path");
            }
            code = in.readAllBytes();
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            stored(zip, ARCHIVE + "/data.pkl", MODULE_PICKLE);
            stored(zip, ARCHIVE + "/code/__torch__.py", code);
            stored(zip, ARCHIVE + "/constants.pkl", CONSTANTS_PICKLE);
            stored(zip, ARCHIVE + "/version", "3".getBytes(StandardCharsets.US_ASCII));
        }
        return bytes.toByteArray();
    }

    /** libtorch's archive reader expects uncompressed entries. */
    private static void stored(ZipOutputStream zip, String name, byte[] content) throws IOException {
        ZipEntry entry = new ZipEntry(name);
        entry.setMethod(ZipEntry.STORED);
        entry.setSize(content.length);
        CRC32 crc = new CRC32();
        crc.update(content);
        entry.setCrc(crc.getValue());
        zip.putNextEntry(entry);
        zip.write(content);
        zip.closeEntry();
    }

    /** Loads the module on first use, thread-safely. */
    private static final class Holder {
        static final ScriptKernels INSTANCE = load();
    }
}
