package org.r1wb.model.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * Rotary position embedding (Su et al., RoFormer): rotates each pair {@code (x_i, x_{i+P})} of a head by the angle
 * {@code pos · θ^(−2i/hd)}, so query·key depends only on the distance between positions. Uses the
 * "rotate half" pairing (first half with second half), as LLaMA and DeepSeek do. No parameters.
 *
 * <table>
 *   <caption>Shapes</caption>
 *   <tr><td>B, H, T</td><td>batch, heads, positions</td></tr>
 *   <tr><td>hd, P</td><td>head width, P = hd / 2 rotated pairs</td></tr>
 *   <tr><td>in, out</td><td>(B, H, T, hd)</td></tr>
 * </table>
 */
public final class RotaryEmbedding extends AbstractBlock {

    private static final byte VERSION = 1;

    private final int pairs;
    private final int maxPositions;
    private final float[] cos; // (maxPositions, P), row-major
    private final float[] sin;

    /** Tables for {@code maxPositions} positions of heads {@code headDim} wide. */
    public RotaryEmbedding(int headDim, int maxPositions, double theta) {
        super(VERSION);
        this.pairs = headDim / 2;
        this.maxPositions = maxPositions;
        this.cos = new float[maxPositions * pairs];
        this.sin = new float[maxPositions * pairs];
        for (int pos = 0; pos < maxPositions; pos++) {
            for (int i = 0; i < pairs; i++) {
                double angle = pos / Math.pow(theta, 2.0 * i / headDim);
                cos[pos * pairs + i] = (float) Math.cos(angle);
                sin[pos * pairs + i] = (float) Math.sin(angle);
            }
        }
    }

    /** Rotates {@code x} (B, H, T, hd) whose first position is {@code offset}. */
    public NDArray apply(NDArray x, int offset) {
        int t = Math.toIntExact(x.getShape().get(2));
        if (offset + t > maxPositions) {
            throw new IllegalArgumentException("positions " + offset + ".." + (offset + t - 1)
                    + " exceed maxSeqLen " + maxPositions);
        }
        NDManager manager = x.getManager();
        Shape table = new Shape(t, pairs);
        NDArray c = manager.create(slice(cos, offset, t), table).toDevice(x.getDevice(), false); // (T, P)
        NDArray s = manager.create(slice(sin, offset, t), table).toDevice(x.getDevice(), false);
        return rotate(x, c, s);
    }

    /** The cosine and sine tables (T, P) of positions 0..t−1, in {@code like}'s manager and on its device. */
    NDList tables(NDArray like, int t) {
        if (t > maxPositions) {
            throw new IllegalArgumentException("positions 0.." + (t - 1) + " exceed maxSeqLen " + maxPositions);
        }
        NDManager manager = like.getManager();
        Shape table = new Shape(t, pairs);
        return new NDList(manager.create(slice(cos, 0, t), table).toDevice(like.getDevice(), false),
                manager.create(slice(sin, 0, t), table).toDevice(like.getDevice(), false));
    }

    /** Rotates {@code x} (B, H, T, hd) of a packed batch, each token by its position within its example. */
    public NDArray apply(NDArray x, Segments segments) {
        if (segments.span() > maxPositions) {
            throw new IllegalArgumentException("an example of " + segments.span() + " positions exceeds maxSeqLen "
                    + maxPositions);
        }
        int[] positions = segments.positions();
        float[] c = new float[positions.length * pairs];
        float[] s = new float[positions.length * pairs];
        for (int i = 0; i < positions.length; i++) {
            System.arraycopy(cos, positions[i] * pairs, c, i * pairs, pairs);
            System.arraycopy(sin, positions[i] * pairs, s, i * pairs, pairs);
        }
        Shape table = new Shape(segments.batch(), 1, segments.length(), pairs); // (B, 1, T, P), shared by the heads
        NDManager manager = x.getManager();
        return rotate(x, manager.create(c, table).toDevice(x.getDevice(), false),
                manager.create(s, table).toDevice(x.getDevice(), false));
    }

    private NDArray rotate(NDArray x, NDArray c, NDArray s) {
        NDArray first = x.get(new NDIndex("..., :{}", pairs));   // (B, H, T, P)
        NDArray second = x.get(new NDIndex("..., {}:", pairs));  // (B, H, T, P)
        return first.mul(c).sub(second.mul(s)).concat(first.mul(s).add(second.mul(c)), -1);
    }

    private float[] slice(float[] table, int offset, int t) {
        float[] out = new float[t * pairs];
        System.arraycopy(table, offset * pairs, out, 0, out.length);
        return out;
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
                                     PairList<String, Object> params) {
        return new NDList(apply(inputs.singletonOrThrow(), 0));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }
}
