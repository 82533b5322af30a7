package org.r1wb.model.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
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
 * gradients. The S shared experts are merged into one SwiGLU of width {@code S · expertHidden}, which
 * computes exactly their sum.
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
        Dispatch dispatch = Dispatch.of(routing.experts(), router.experts(), k);
        NDManager manager = x.getManager();

        NDArray gathered = flat.get(new NDIndex("{}", manager.create(dispatch.tokenOfSorted))); // (N·K, D)
        NDList outputs = new NDList();
        for (int e = 0; e < experts.size(); e++) {
            int from = dispatch.start[e];
            int to = dispatch.start[e + 1];
            if (to > from) {
                outputs.add(experts.get(e).apply(store, gathered.get(new NDIndex("{}:{}", from, to)), training));
            }
        }
        NDArray sorted = NDArrays.concat(outputs, 0);                                        // (N·K, D)
        NDArray slots = sorted.get(new NDIndex("{}", manager.create(dispatch.sortedPositionOfSlot)))
                .reshape(n, k, d);                                                           // (N, K, D)
        NDArray combined = slots.mul(routing.weights().expandDims(-1)).sum(new int[] {1});  // (N, D)
        if (shared != null) {
            combined = combined.add(shared.apply(store, flat, training));
        }
        NDArray balance = balanceLoss(routing.scores(), dispatch.counts, n, k);
        lastStats = new RoutingStats(dispatch.counts, entropy(routing.scores()), Tensors.scalar(balance));
        return new NDList(combined.reshape(shape), balance);
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
     * an expert is token order, which keeps results deterministic).
     */
    private static final class Dispatch {
        final long[] counts;
        final int[] start;
        final long[] tokenOfSorted;
        final long[] sortedPositionOfSlot;

        private Dispatch(long[] counts, int[] start, long[] tokenOfSorted, long[] sortedPositionOfSlot) {
            this.counts = counts;
            this.start = start;
            this.tokenOfSorted = tokenOfSorted;
            this.sortedPositionOfSlot = sortedPositionOfSlot;
        }

        static Dispatch of(long[] expertOfSlot, int experts, int k) {
            long[] counts = new long[experts];
            for (long e : expertOfSlot) {
                counts[(int) e]++;
            }
            int[] start = new int[experts + 1];
            for (int e = 0; e < experts; e++) {
                start[e + 1] = start[e] + (int) counts[e];
            }
            int[] next = start.clone();
            long[] tokenOfSorted = new long[expertOfSlot.length];
            long[] positionOfSlot = new long[expertOfSlot.length];
            for (int slot = 0; slot < expertOfSlot.length; slot++) {
                int position = next[(int) expertOfSlot[slot]]++;
                tokenOfSorted[position] = slot / k;
                positionOfSlot[slot] = position;
            }
            return new Dispatch(counts, start, tokenOfSorted, positionOfSlot);
        }
    }
}
