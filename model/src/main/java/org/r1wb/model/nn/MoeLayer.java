package org.r1wb.model.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import org.r1wb.model.spec.MoeSpec;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * DeepSeekMoE feed-forward: every token passes through the shared experts and through the K routed experts
 * its router chose, weighted by their gates.
 *
 * <p>Dispatch is sparse: each expert runs only on the tokens routed to it. DJL has no scatter-add, so the
 * (token, slot) pairs are sorted by expert on the host, gathered into one (N·K, D) block, cut into one
 * contiguous slice per expert, and the expert outputs are put back in (token, slot) order by a single gather
 * with the inverse permutation; a weighted sum over the K slots finishes the combine. All of it has
 * gradients. The host sorts; everything after runs as one {@link ScriptKernels} call (in bf16 inside an
 * {@link Autocast} scope), whose slices backpropagate as one concatenation. The S shared experts are merged into
 * one SwiGLU of width {@code S · expertHidden}, which computes exactly their sum.
 *
 * <table>
 *   <caption>Shapes</caption>
 *   <tr><td>B, T, D</td><td>batch, positions, model width; N = B·T tokens</td></tr>
 *   <tr><td>E, K</td><td>routed experts, experts per token</td></tr>
 *   <tr><td>in</td><td>(B, T, D)</td></tr>
 *   <tr><td>out</td><td>(B, T, D) and the balance loss, a scalar</td></tr>
 * </table>
 */
public final class MoeLayer extends AbstractBlock {

    private static final byte VERSION = 1;
    /**
     * Under bf16 each expert's slice is padded to a multiple of this many rows: oneDNN compiles a kernel per matrix
     * shape and keeps a bounded cache of them, and token counts that change every step otherwise miss it
     * (measured: 7 % of a step's CPU time on the benchmark model); the padding costs ~3 % more expert FLOPs.
     */
    private static final int BF16_ROW_MULTIPLE = 32;

    private final Router router;
    private final List<SwiGluMlp> experts = new ArrayList<>();
    private final SwiGluMlp shared;
    private RoutingStats lastStats;

    /** A MoE FFN for tokens {@code dModel} wide. */
    public MoeLayer(int dModel, MoeSpec moe) {
        super(VERSION);
        this.router = addChildBlock("router", new Router(dModel, moe));
        for (int e = 0; e < moe.routedExperts(); e++) {
            experts.add(addChildBlock("expert" + e, new SwiGluMlp(dModel, moe.expertHidden())));
        }
        this.shared = moe.sharedExperts() > 0
                ? addChildBlock("shared", new SwiGluMlp(dModel, moe.sharedExperts() * moe.expertHidden()))
                : null;
    }

    /** Output (B, T, D) and the balance loss of {@code x} (B, T, D). */
    public NDList apply(ParameterStore store, NDArray x, boolean training) {
        return apply(store, x, training, null);
    }

    /** As {@link #apply(ParameterStore, NDArray, boolean)}, keeping the router's decision in {@code capture} when not {@code null}. */
    public NDList apply(ParameterStore store, NDArray x, boolean training, ProbeCapture.Layer capture) {
        Shape shape = x.getShape();
        long d = shape.get(shape.dimension() - 1);
        NDArray flat = x.reshape(-1, d);                                       // (N, D)
        int n = Math.toIntExact(flat.getShape().get(0));
        Routing routing = router.route(store, flat, training);
        int k = router.topK();
        if (capture != null) {
            capture.routing(routing, k);
        }
        boolean bf16 = Autocast.isBf16();
        Dispatch dispatch = Dispatch.of(routing.experts(), router.experts(), k, bf16 ? BF16_ROW_MULTIPLE : 1);
        NDManager manager = x.getManager();

        NDArray combined = ScriptKernels.get().routedExperts(flat,
                manager.create(dispatch.tokenOfSorted), manager.create(dispatch.sortedPositionOfSlot),
                routing.weights(), manager.create(dispatch.sliceSizes), weights(store, flat, training, 0),
                weights(store, flat, training, 1), weights(store, flat, training, 2), bf16);            // (N, D)
        if (shared != null) {
            combined = combined.add(shared.apply(store, flat, training));
        }
        NDArray balance = balanceLoss(routing.scores(), dispatch.counts, n, k);
        lastStats = new RoutingStats(dispatch.counts, entropy(routing.scores()), Tensors.scalar(balance));
        return new NDList(combined.reshape(shape), balance);
    }

    /** Projection {@code which} (0 gate, 1 up, 2 down) of every routed expert, in expert order. */
    private List<NDArray> weights(ParameterStore store, NDArray like, boolean training, int which) {
        List<NDArray> arrays = new ArrayList<>(experts.size());
        for (SwiGluMlp expert : experts) {
            arrays.add(expert.projections(store, like, training).get(which));
        }
        return arrays;
    }

    /** {@code E · Σ_i f_i · P_i}, f_i = share of slots routed to i (constant), P_i = mean score of i. */
    private NDArray balanceLoss(NDArray scores, long[] counts, int n, int k) {
        int e = counts.length;
        float[] fraction = new float[e];
        for (int i = 0; i < e; i++) {
            fraction[i] = (float) ((double) e * counts[i] / ((double) n * k));
        }
        NDArray f = scores.getManager().create(fraction, new Shape(e)).toDevice(scores.getDevice(), false);
        return scores.mean(new int[] {0}).mul(f).sum();
    }

    private static double entropy(NDArray scores) {
        NDArray p = scores.stopGradient();
        return Tensors.scalar(p.mul(p.add(1e-12f).log()).sum(new int[] {-1}).mean().neg());
    }

    /** The router of this layer. */
    public Router router() {
        return router;
    }

    /** The routed experts, in index order. */
    public List<SwiGluMlp> experts() {
        return Collections.unmodifiableList(experts);
    }

    /** The merged shared experts, or {@code null} when there are none. */
    public SwiGluMlp shared() {
        return shared;
    }

    /** Routing statistics of the last forward pass, or {@code null} before the first. */
    public RoutingStats lastStats() {
        return lastStats;
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
                                     PairList<String, Object> params) {
        return apply(store, inputs.singletonOrThrow(), training);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0], new Shape()};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        long d = inputShapes[0].get(inputShapes[0].dimension() - 1);
        Shape tokens = new Shape(-1, d);
        router.initialize(manager, dataType, tokens);
        for (SwiGluMlp expert : experts) {
            expert.initialize(manager, dataType, tokens);
        }
        if (shared != null) {
            shared.initialize(manager, dataType, tokens);
        }
    }

    /**
     * Host-side bookkeeping of one dispatch: (token, slot) pairs sorted by expert (stable, so the order within
     * an expert is token order, which keeps results deterministic). Each expert's slice may be padded to a multiple
     * of rows with copies of token 0 whose outputs no slot reads: their values never reach the output and their
     * gradient is exactly zero, so padding changes the function and its gradient not at all (sums may round in
     * another order), only the set of matrix shapes the experts see.
     */
    private static final class Dispatch {
        final long[] counts;
        final long[] sliceSizes;
        final long[] tokenOfSorted;
        final long[] sortedPositionOfSlot;

        private Dispatch(long[] counts, long[] sliceSizes, long[] tokenOfSorted, long[] sortedPositionOfSlot) {
            this.counts = counts;
            this.sliceSizes = sliceSizes;
            this.tokenOfSorted = tokenOfSorted;
            this.sortedPositionOfSlot = sortedPositionOfSlot;
        }

        static Dispatch of(long[] expertOfSlot, int experts, int k, int rowMultiple) {
            long[] counts = new long[experts];
            for (long e : expertOfSlot) {
                counts[(int) e]++;
            }
            long[] sliceSizes = new long[experts];
            int[] start = new int[experts + 1];
            for (int e = 0; e < experts; e++) {
                sliceSizes[e] = (counts[e] + rowMultiple - 1) / rowMultiple * rowMultiple;
                start[e + 1] = start[e] + (int) sliceSizes[e];
            }
            int[] next = start.clone();
            long[] tokenOfSorted = new long[start[experts]]; // padding rows stay 0: token 0
            long[] positionOfSlot = new long[expertOfSlot.length];
            for (int slot = 0; slot < expertOfSlot.length; slot++) {
                int position = next[(int) expertOfSlot[slot]]++;
                tokenOfSorted[position] = slot / k;
                positionOfSlot[slot] = position;
            }
            return new Dispatch(counts, sliceSizes, tokenOfSorted, positionOfSlot);
        }
    }
}
