package org.r1wb.model.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import org.r1wb.model.spec.GateFunction;
import org.r1wb.model.spec.MoeSpec;

/**
 * Chooses the top-K routed experts of each token.
 *
 * <p>Scores are a softmax (DeepSeek-V2) or per-expert sigmoids (DeepSeek-V3, renormalised over the chosen K).
 * Selection ranks {@code score + bias}, where {@code bias} is the auxiliary-loss-free balancing bias
 * (Wang et al., 2024): state, not a trained parameter, nudged by {@link #updateBias}, and never part of the
 * gate weights, so it steers load without distorting the output.
 *
 * <table>
 *   <caption>Shapes</caption>
 *   <tr><td>N, D</td><td>tokens, model width</td></tr>
 *   <tr><td>E, K</td><td>routed experts, experts per token</td></tr>
 *   <tr><td>in</td><td>(N, D)</td></tr>
 *   <tr><td>out</td><td>weights (N, K), experts (N, K) int64, scores (N, E)</td></tr>
 * </table>
 */
public final class Router extends AbstractBlock {

    /** Name of the selection-bias state. */
    public static final String SELECTION_BIAS = "selection_bias";

    private static final byte VERSION = 1;
    private static final float NORMALISE_EPS = 1e-20f;

    private final int experts;
    private final int topK;
    private final GateFunction gate;
    private final Parameter weight;
    private final Parameter bias;

    /** A router over {@code moe.routedExperts()} experts for tokens {@code dModel} wide. */
    public Router(int dModel, MoeSpec moe) {
        super(VERSION);
        this.experts = moe.routedExperts();
        this.topK = moe.topK();
        this.gate = moe.gate();
        this.weight = addParameter(Tensors.weight("gate_weight", experts, dModel));
        this.bias = addParameter(Parameter.builder().setName(SELECTION_BIAS).setType(Parameter.Type.OTHER)
                .optShape(new Shape(experts)).optRequiresGrad(false).build());
    }

    /** Routes tokens {@code x} (N, D). */
    public Routing route(ParameterStore store, NDArray x, boolean training) {
        NDList out = forwardInternal(store, new NDList(x), training, null);
        return new Routing(out.get(0), out.get(1).toLongArray(), out.get(2));
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
                                     PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        NDArray logits = Tensors.linearFp32(x, Tensors.value(store, weight, x, training));      // (N, E), fp32 under autocast
        NDArray raw = gate == GateFunction.SOFTMAX ? logits.softmax(-1) : Activation.sigmoid(logits);
        NDArray ranking = raw.stopGradient().add(Tensors.value(store, bias, x, training));      // (N, E)
        NDArray chosen = ranking.topK(topK, -1, true, true).get(1);                             // (N, K) int64
        NDArray weights = raw.gather(chosen, -1);                                               // (N, K)
        NDArray scores = raw;
        if (gate == GateFunction.SIGMOID) {
            // sigmoids can all underflow to 0 for a token; the epsilon keeps 0/0 from turning into NaN
            weights = weights.div(weights.sum(new int[] {-1}, true).add(NORMALISE_EPS));
            scores = raw.div(raw.sum(new int[] {-1}, true).add(NORMALISE_EPS));
        }
        return new NDList(weights, chosen, scores);
    }

    /**
     * The auxiliary-loss-free update: each expert's bias moves by {@code rate} towards the mean load,
     * {@code b_i += rate · sign(mean − load_i)}.
     */
    public void updateBias(long[] tokensPerExpert, double rate) {
        double mean = 0;
        for (long count : tokensPerExpert) {
            mean += count;
        }
        mean /= tokensPerExpert.length;
        float[] delta = new float[experts];
        for (int e = 0; e < experts; e++) {
            delta[e] = (float) (rate * Math.signum(mean - tokensPerExpert[e]));
        }
        NDArray current = bias.getArray();
        try (NDManager scratch = current.getManager().newSubManager()) {
            current.addi(scratch.create(delta, new Shape(experts)));
        }
    }

    /** The current selection bias, one value per routed expert. */
    public float[] selectionBias() {
        return bias.getArray().toFloatArray();
    }

    /** Routed experts (E). */
    public int experts() {
        return experts;
    }

    /** Experts per token (K). */
    public int topK() {
        return topK;
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        long n = inputShapes[0].get(0);
        return new Shape[] {new Shape(n, topK), new Shape(n, topK), new Shape(n, experts)};
    }
}
