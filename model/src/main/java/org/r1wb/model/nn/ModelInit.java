package org.r1wb.model.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.initializer.Initializer;
import ai.djl.util.Pair;
import org.r1wb.model.spec.ModelSpec;

import java.util.SplittableRandom;

/**
 * Every parameter's starting value, in one place (GPT-2 / nanoGPT recipe):
 * <ul>
 *   <li>RMSNorm gains: 1; routers' selection biases: 0;</li>
 *   <li>residual output projections ({@code out_proj}, {@code down_proj}): N(0, 0.02 / √(2L)), so the
 *       residual stream's variance does not grow with depth (Radford et al., 2019);</li>
 *   <li>everything else (embedding, q/k/v, gate/up, router): N(0, 0.02).</li>
 * </ul>
 * Values come from a Java generator seeded by the run seed and the parameter's path, so a seed fixes every
 * weight independently of the engine's random state and of initialisation order.
 */
public final class ModelInit {

    /** Standard deviation of the plain normal init. */
    public static final double STD = 0.02;

    private ModelInit() {
    }

    /** Sets the initializer of every parameter of {@code model}; call before {@code initialize}. */
    public static void assign(MoeTransformer model, ModelSpec spec, long seed) {
        double residualStd = STD / Math.sqrt(2.0 * spec.layers());
        for (Pair<String, Parameter> entry : model.getParameters()) {
            Parameter parameter = entry.getValue();
            String name = parameter.getName();
            long parameterSeed = seed * 0x9E3779B97F4A7C15L + entry.getKey().hashCode();
            Initializer initializer = switch (name) {
                case RmsNorm.GAIN -> Initializer.ONES;
                case Router.SELECTION_BIAS -> Initializer.ZEROS;
                case CausalSelfAttention.OUT, SwiGluMlp.DOWN -> new SeededNormal(residualStd, parameterSeed);
                default -> new SeededNormal(STD, parameterSeed);
            };
            parameter.setInitializer(initializer);
        }
    }

    /** N(0, std²) from a seeded Java generator. */
    private record SeededNormal(double std, long seed) implements Initializer {

        @Override
        public NDArray initialize(NDManager manager, Shape shape, DataType dataType) {
            SplittableRandom random = new SplittableRandom(seed);
            float[] values = new float[Math.toIntExact(shape.size())];
            for (int i = 0; i < values.length; i++) {
                values[i] = (float) (random.nextGaussian() * std);
            }
            return manager.create(values, shape).toType(dataType, false);
        }
    }
}
