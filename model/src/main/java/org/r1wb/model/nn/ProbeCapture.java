package org.r1wb.model.nn;

import ai.djl.ndarray.NDArray;

import java.util.ArrayList;
import java.util.List;

/**
 * What one probe pass saw inside the model, per decoder layer: the attention weights of every head and, for a
 * MoE layer, the router's decision for every token. The blocks fill it only when a pass is given one (see
 * {@link MoeTransformer#apply(ai.djl.training.ParameterStore, NDArray, ProbeCapture)}), so training never pays for
 * it. Holds host copies, so it outlives the pass's native memory. One sequence (B = 1).
 *
 * <table>
 *   <caption>Shapes</caption>
 *   <tr><td>H, T</td><td>query heads, probe tokens</td></tr>
 *   <tr><td>attention of a layer</td><td>(H, T, T): row q over keys 0…T−1, zero above the diagonal, rows sum to 1</td></tr>
 * </table>
 */
public final class ProbeCapture {

    private final List<Layer> layers = new ArrayList<>();

    /** An empty capture for a model of {@code layers} decoder layers. */
    public ProbeCapture(int layers) {
        for (int i = 0; i < layers; i++) {
            this.layers.add(new Layer());
        }
    }

    /** Decoder layers this capture covers. */
    public int layers() {
        return layers.size();
    }

    /** The part of the capture decoder layer {@code index} fills. */
    public Layer layer(int index) {
        return layers.get(index);
    }

    /** Layer {@code layer}'s attention (H, T, T), or {@code null} before a pass filled it. */
    public float[][][] attention(int layer) {
        return layers.get(layer).attention;
    }

    /** Layer {@code layer}'s routing, or {@code null} for a dense layer (or before a pass filled it). */
    public ProbeRouting routing(int layer) {
        return layers.get(layer).routing;
    }

    /** One layer's share of the capture. */
    public static final class Layer {

        private float[][][] attention;
        private ProbeRouting routing;

        private Layer() {
        }

        /** Keeps {@code weights} (1, H, T, T), the softmax before dropout. */
        void attention(NDArray weights) {
            long[] shape = weights.getShape().getShape();
            if (shape[0] != 1) {
                throw new IllegalArgumentException("a probe captures one sequence; the batch has " + shape[0]);
            }
            int heads = Math.toIntExact(shape[1]);
            int queries = Math.toIntExact(shape[2]);
            int keys = Math.toIntExact(shape[3]);
            float[] flat = weights.toFloatArray();
            float[][][] out = new float[heads][queries][keys];
            for (int h = 0; h < heads; h++) {
                for (int q = 0; q < queries; q++) {
                    System.arraycopy(flat, (h * queries + q) * keys, out[h][q], 0, keys);
                }
            }
            attention = out;
        }

        /** Keeps the router's decision for the T tokens. */
        void routing(Routing decision, int topK) {
            long[] shape = decision.scores().getShape().getShape();
            int tokens = Math.toIntExact(shape[0]);
            int experts = Math.toIntExact(shape[1]);
            float[] scores = decision.scores().toFloatArray();
            float[] weights = decision.weights().toFloatArray();
            float[][] scoreRows = new float[tokens][experts];
            int[][] chosen = new int[tokens][topK];
            float[][] gates = new float[tokens][topK];
            for (int t = 0; t < tokens; t++) {
                System.arraycopy(scores, t * experts, scoreRows[t], 0, experts);
                for (int k = 0; k < topK; k++) {
                    chosen[t][k] = (int) decision.experts()[t * topK + k];
                    gates[t][k] = weights[t * topK + k];
                }
            }
            routing = new ProbeRouting(scoreRows, chosen, gates);
        }
    }
}
