package org.r1wb.model.bench;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import com.sun.management.OperatingSystemMXBean;
import org.r1wb.model.nn.MoeLayer;
import org.r1wb.model.nn.MoeTransformer;
import org.r1wb.model.run.EventSink;
import org.r1wb.model.spec.ModelEstimates;
import org.r1wb.model.spec.ModelSpec;
import org.r1wb.model.spec.ModelSpecs;
import org.r1wb.model.train.ArrayTokenSource;
import org.r1wb.model.train.DataRef;
import org.r1wb.model.train.GradMode;
import org.r1wb.model.train.OptimizerSpec;
import org.r1wb.model.train.RunSpec;
import org.r1wb.model.train.Trainer;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The training benchmark of {@code bench/model/run.sh} (not a test): our trainer on the benchmark model (bf16 autocast,
 * then fp32), then
 * sparse vs dense-dispatch MoE throughput and a GEMM peak through the same libtorch. One line per figure, as
 * {@code key value} pairs the script reads. Usage: {@code ModelBenchmark MODEL.json STEPS WARMUP WORK_DIR}.
 */
public final class ModelBenchmark {

    private static final int BATCH = 16;
    private static final int SEQ = 128;

    private ModelBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        System.setProperty("ai.djl.offline", "true");
        System.setProperty("OPT_OUT_TRACKING", "true");
        ModelSpec model = ModelSpecs.load(Path.of(args[0]));
        int steps = Integer.parseInt(args[1]);
        int warmup = Integer.parseInt(args[2]);
        Path work = Path.of(args[3]);
        GradMode.offOnThisThread();
        System.out.printf("ours gemm_gflops %.1f%n", gemmPeak());
        System.out.printf("ours flops_per_token %.0f%n", ModelEstimates.of(model).trainingFlopsPerToken());
        // the headline figure: bf16 autocast (fp32 master weights); fp32 beside it, back to back
        train(model, steps, warmup, work, RunSpec.BF16, "");
        train(model, steps, warmup, work, RunSpec.FP32, "fp32_");
        dispatch(model, warmup);
        System.out.printf("ours peak_rss_mib %.0f%n", peakRssMib());
    }

    /**
     * Trains the benchmark model at {@code precision} and prints its tokens/s, ms per step and process CPU ms per
     * step (all threads; steadier than wall time on a shared machine), keys prefixed by {@code prefix}.
     */
    private static void train(ModelSpec model, int steps, int warmup, Path work, String precision, String prefix)
            throws Exception {
        SplittableRandom random = new SplittableRandom(1);
        int[] tokens = new int[1 << 20];
        for (int i = 0; i < tokens.length; i++) {
            tokens[i] = random.nextInt(model.vocabSize());
        }
        ArrayTokenSource source = new ArrayTokenSource(tokens, model.vocabSize());
        RunSpec spec = new RunSpec("bench", model, new DataRef("mem", "none"), null,
                new OptimizerSpec(1e-3, 1e-4, 0.1, 0, 0, 2, 1.0), warmup + steps, BATCH, SEQ, 1, 0, 1, 0, 0, null, null, 1,
                precision);
        List<Double> stepSeconds = new ArrayList<>();
        List<Long> cpuNanos = new ArrayList<>();
        OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        EventSink sink = (type, fields) -> {
            if (type.equals("metric") && fields.containsKey("tokens_per_s")) {
                stepSeconds.add(BATCH * SEQ / ((Number) fields.get("tokens_per_s")).doubleValue());
                cpuNanos.add(os.getProcessCpuTime());
            }
        };
        Files.createDirectories(work);
        new Trainer().train(spec, source, source, work.resolve("run-" + precision), sink, () -> false);
        double seconds = stepSeconds.subList(warmup, stepSeconds.size()).stream().mapToDouble(Double::doubleValue).sum();
        double cpuMs = (cpuNanos.get(cpuNanos.size() - 1) - cpuNanos.get(warmup - 1)) / 1e6 / (steps - 1);
        System.out.printf("ours %strain_tokens_per_s %.0f%n", prefix, (double) steps * BATCH * SEQ / seconds);
        System.out.printf("ours %strain_ms_per_step %.1f%n", prefix, 1000 * seconds / steps);
        System.out.printf("ours %strain_cpu_ms_per_step %.1f%n", prefix, cpuMs);
    }

    /** One MoE layer's forward + backward on B·T tokens, sparse dispatch vs every expert on every token, masked. */
    private static void dispatch(ModelSpec spec, int warmup) {
        try (NDManager manager = NDManager.newBaseManager()) {
            MoeLayer moe = MoeTransformer.create(spec, manager, 3).moeLayers().get(0).moe();
            ParameterStore store = new ParameterStore(manager, false);
            SplittableRandom random = new SplittableRandom(2);
            float[] input = new float[BATCH * SEQ * spec.dModel()];
            for (int i = 0; i < input.length; i++) {
                input[i] = (float) random.nextGaussian();
            }
            for (boolean sparse : new boolean[] {true, false}) {
                int reps = 10;
                long total = 0;
                for (int rep = 0; rep < warmup + reps; rep++) {
                    long start = System.nanoTime();
                    try (NDScope scope = new NDScope(); NDManager step = manager.newSubManager();
                         GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                        scope.suppressNotUsedWarning();
                        NDArray x = step.create(input, new Shape(BATCH, SEQ, spec.dModel()));
                        NDArray y = sparse ? moe.apply(store, x, true).get(0) : DenseDispatch.apply(moe, store, x);
                        collector.backward(y.square().mean());
                    }
                    if (rep >= warmup) {
                        total += System.nanoTime() - start;
                    }
                }
                System.out.printf("ours moe_%s_tokens_per_s %.0f%n", sparse ? "sparse" : "dense",
                        (double) reps * BATCH * SEQ / (total / 1e9));
            }
        }
    }

    /** Best of a few fp32 GEMMs (2048 × 2048 × 2048) through DJL's libtorch, in GFLOP/s. */
    private static double gemmPeak() {
        double best = 0;
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray a = manager.randomNormal(new Shape(2048, 2048));
            NDArray b = manager.randomNormal(new Shape(2048, 2048));
            for (int i = 0; i < 8; i++) {
                long start = System.nanoTime();
                try (NDArray product = a.matMul(b)) {
                    product.getFloat(0, 0);
                }
                best = Math.max(best, 2.0 * 2048 * 2048 * 2048 / (System.nanoTime() - start));
            }
        }
        return best;
    }

    private static double peakRssMib() throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmHWM:")) {
                return Long.parseLong(line.replaceAll("\\D", "")) / 1024.0;
            }
        }
        return Double.NaN;
    }

    /** The dense-dispatch reference: every expert on every token, weighted by an (N, E) gate zero where unchosen. */
    private static final class DenseDispatch {
        static NDArray apply(MoeLayer moe, ParameterStore store, NDArray x) {
            long d = x.getShape().get(2);
            NDArray flat = x.reshape(-1, d);                                                     // (N, D)
            var routing = moe.router().route(store, flat, true);
            int e = moe.experts().size();
            int k = moe.router().topK();
            NDArray chosen = x.getManager().create(routing.experts(), new Shape(flat.getShape().get(0), k));
            NDArray gate = chosen.oneHot(e).mul(routing.weights().expandDims(-1)).sum(new int[] {1}); // (N, E)
            NDArray out = moe.shared() == null ? flat.zerosLike() : moe.shared().apply(store, flat, true);
            for (int i = 0; i < e; i++) {
                out = out.add(moe.experts().get(i).apply(store, flat, true).mul(gate.get(":, {}:{}", i, i + 1)));
            }
            return new NDList(out.reshape(x.getShape())).singletonOrThrow();
        }
    }
}
