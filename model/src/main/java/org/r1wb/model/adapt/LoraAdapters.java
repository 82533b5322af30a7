package org.r1wb.model.adapt;

import ai.djl.MalformedModelException;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import ai.djl.util.PairList;
import org.r1wb.model.export.ParameterPaths;
import org.r1wb.model.nn.MoeTransformer;
import org.r1wb.model.spec.ModelSpecs;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The {@link LoraSpec} adapters of one model: for each targeted weight W, a frozen copy W₀ of its base value and the
 * trainable A (r, in) and B (out, r), registered as this block's parameters so an optimizer and
 * {@code saveParameters} see only them.
 *
 * <p>The model's blocks read W directly, so the adapters work on the merged weight: {@link #merge} writes
 * W = W₀ + (α/r)·B·A into the model (after every update); the model's backward then yields G = ∂L/∂W, and
 * {@link #backward} turns it into the adapters' gradients by the chain rule — ∂L/∂B = s·G·Aᵀ, ∂L/∂A = s·Bᵀ·G — taken
 * by autograd on the surrogate Σ⟨G, s·B·A⟩, and clears the model's own gradients. Nothing but A and B is ever
 * updated; {@link #restoreBase} puts the W₀ bits back.
 *
 * <table>
 *   <caption>Shapes</caption>
 *   <tr><td>O, I, r</td><td>a weight's out and in features, the rank</td></tr>
 * </table>
 */
public final class LoraAdapters extends AbstractBlock implements AutoCloseable {

    /** File of the adapter weights in an adapter folder. */
    public static final String WEIGHTS = "adapter.params";
    /** File of the spec and the adapted paths in an adapter folder. */
    public static final String META = "adapter.json";
    private static final byte VERSION = 1;

    /** One adapted weight. */
    private record Target(String path, Parameter weight, NDArray base, Parameter a, Parameter b) {
    }

    private final LoraSpec spec;
    private final MoeTransformer model;
    private final NDManager manager;
    private final List<Target> targets = new ArrayList<>();

    private LoraAdapters(LoraSpec spec, MoeTransformer model, NDManager manager) {
        super(VERSION);
        this.spec = spec;
        this.model = model;
        this.manager = manager;
    }

    /**
     * Adapters on every weight of {@code model} named in {@code spec.targets()}, A drawn from {@code seed}, B zero,
     * living in a sub-manager of {@code parent}; the model's weights are unchanged (B·A = 0).
     */
    public static LoraAdapters attach(MoeTransformer model, LoraSpec spec, NDManager parent, long seed) {
        LoraAdapters adapters = new LoraAdapters(spec, model, parent.newSubManager());
        for (Map.Entry<String, Parameter> entry : ParameterPaths.of(model).entrySet()) {
            String name = entry.getKey().substring(entry.getKey().lastIndexOf('.') + 1);
            Parameter weight = entry.getValue();
            if (!spec.targets().contains(name) || weight.getArray().getShape().dimension() != 2) {
                continue;
            }
            Shape shape = weight.getArray().getShape();
            long out = shape.get(0);
            long in = shape.get(1);
            Parameter a = adapters.addParameter(Parameter.builder().setName(entry.getKey() + ".lora_a")
                    .setType(Parameter.Type.WEIGHT).optShape(new Shape(spec.rank(), in))
                    .optInitializer(new SeededNormal(1 / Math.sqrt(in), seed * 0x9E3779B97F4A7C15L
                            + entry.getKey().hashCode())).build());
            Parameter b = adapters.addParameter(Parameter.builder().setName(entry.getKey() + ".lora_b")
                    .setType(Parameter.Type.WEIGHT).optShape(new Shape(out, spec.rank()))
                    .optInitializer(Initializer.ZEROS).build());
            NDArray base = weight.getArray().duplicate();
            base.attach(adapters.manager);
            adapters.targets.add(new Target(entry.getKey(), weight, base, a, b));
        }
        if (adapters.targets.isEmpty()) {
            adapters.close();
            throw new IllegalArgumentException("no weight of the model is named " + spec.targets()
                    + ": target one of " + LoraSpec.PROJECTIONS.stream().sorted().toList());
        }
        adapters.initialize(adapters.manager, DataType.FLOAT32);
        return adapters;
    }

    /** The spec. */
    public LoraSpec spec() {
        return spec;
    }

    /** The adapted weights' dotted paths, in model order. */
    public List<String> paths() {
        return targets.stream().map(Target::path).toList();
    }

    /** Writes W = W₀ + (α/r)·B·A into every adapted weight of the model. */
    public void merge() {
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            for (Target target : targets) {
                NDArray delta = target.b().getArray().matMul(target.a().getArray()).mul((float) spec.scale()); // (O, I)
                target.base().add(delta).copyTo(target.weight().getArray());
            }
        }
    }

    /** Puts every adapted weight back to its base value, bit for bit. */
    public void restoreBase() {
        for (Target target : targets) {
            target.base().copyTo(target.weight().getArray());
        }
    }

    /**
     * After the model's backward: turns ∂L/∂W of each adapted weight into the adapters' gradients (added to what
     * they hold), then clears every gradient of the model, which is frozen.
     */
    public void backward() {
        try (NDScope scope = new NDScope(); NDManager scratch = manager.newSubManager()) {
            scope.suppressNotUsedWarning();
            List<NDArray> grads = new ArrayList<>();
            for (Target target : targets) {
                NDArray grad = target.weight().getArray().getGradient().duplicate();
                grad.attach(scratch);
                grads.add(grad);
            }
            for (var entry : model.getParameters()) {
                NDArray weight = entry.getValue().getArray();
                if (weight.hasGradient()) {
                    NDArray grad = weight.getGradient();
                    // Inf - Inf is NaN: clear non-finite entries first, or the next backward adds to them
                    grad.set(grad.isNaN().logicalOr(grad.isInfinite()), 0f);
                    grad.subi(grad);
                }
            }
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray surrogate = null;
                for (int i = 0; i < targets.size(); i++) {
                    Target target = targets.get(i);
                    NDArray term = target.b().getArray().matMul(target.a().getArray()).mul(grads.get(i)).sum()
                            .mul((float) spec.scale());
                    surrogate = surrogate == null ? term : surrogate.add(term);
                }
                collector.backward(surrogate);
            }
        }
    }

    /** The frozen base value of the weight at {@code path}. */
    public NDArray base(String path) {
        return find(path).base();
    }

    /** A (r, I) of the weight at {@code path}. */
    public NDArray a(String path) {
        return find(path).a().getArray();
    }

    /** B (O, r) of the weight at {@code path}. */
    public NDArray b(String path) {
        return find(path).b().getArray();
    }

    /** Writes the adapters (not the base) and their spec to {@code dir}, atomically (a temp folder, then a rename). */
    public void save(Path dir) throws IOException {
        Path parent = dir.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path tmp = Files.createTempDirectory(parent, ".tmp-" + dir.getFileName() + "-");
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(
                Files.newOutputStream(tmp.resolve(WEIGHTS))))) {
            saveParameters(out);
        }
        Files.writeString(tmp.resolve(META), ModelSpecs.JSON.writeValueAsString(
                Map.of("format", VERSION, "spec", spec, "paths", paths())) + "\n");
        if (Files.exists(dir)) {
            try (var files = Files.list(dir)) {
                for (Path file : files.toList()) {
                    Files.delete(file);
                }
            }
            Files.delete(dir);
        }
        Files.move(tmp, dir, StandardCopyOption.ATOMIC_MOVE);
    }

    /** Loads adapters that {@link #save} wrote for the same model and spec; the model is re-merged. */
    public void load(Path dir) throws IOException {
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(
                Files.newInputStream(dir.resolve(WEIGHTS))))) {
            loadParameters(manager, in);
        } catch (MalformedModelException e) {
            throw new IOException(dir.resolve(WEIGHTS) + ": " + e.getMessage(), e);
        }
        // loading replaces the arrays with ones that record no gradient; training goes on from them
        for (var entry : getParameters()) {
            entry.getValue().getArray().setRequiresGradient(true);
        }
        merge();
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
                                     PairList<String, Object> params) {
        throw new UnsupportedOperationException("adapters are merged into the model's weights; run the model");
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[0];
    }

    @Override
    public void close() {
        manager.close();
    }

    private Target find(String path) {
        return targets.stream().filter(t -> t.path().equals(path)).findFirst().orElseThrow(
                () -> new IllegalArgumentException("no adapter on " + path + ": adapted are " + paths()));
    }

    /** N(0, std²) from a seeded Java generator, independent of the engine's random state. */
    private record SeededNormal(double std, long seed) implements Initializer {
        @Override
        public NDArray initialize(NDManager manager, Shape shape, DataType dataType) {
            SplittableRandom random = new SplittableRandom(seed);
            float[] values = new float[Math.toIntExact(shape.size())];
            for (int i = 0; i < values.length; i++) {
                // Box–Muller: SplittableRandom has no nextGaussian on Java 17
                double u = 1 - random.nextDouble();
                double v = random.nextDouble();
                values[i] = (float) (std * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v));
            }
            return manager.create(values, shape).toType(dataType, false);
        }
    }
}
