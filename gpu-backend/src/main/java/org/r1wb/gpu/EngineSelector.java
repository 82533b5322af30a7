package org.r1wb.gpu;

/**
 * Chooses the engine for a node. DJL's PyTorch JNI works only against the libtorch version it was built
 * for, and Maven Central ships no CUDA libtorch; so DJL trains on a GPU only where the node already has
 * exactly that libtorch with CUDA, and otherwise a GPU node trains through the PyTorch backend with the
 * node's own CUDA PyTorch. Without a GPU, DJL on the CPU libtorch is always there.
 */
public final class EngineSelector {

    /** The libtorch version DJL 0.36's PyTorch JNI was built for ({@code pytorch-jni 2.7.1-0.36.0}). */
    public static final String DJL_LIBTORCH_VERSION = "2.7.1";

    private final String requiredLibtorch;

    public EngineSelector(String requiredLibtorch) {
        this.requiredLibtorch = requiredLibtorch;
    }

    /** The selector for this build's DJL. */
    public static EngineSelector forThisBuild() {
        return new EngineSelector(DJL_LIBTORCH_VERSION);
    }

    /** The engine for a node with these facts, with the reason in words. */
    public EngineChoice choose(NodeFacts facts) {
        if (facts.devices().kind() == DeviceReport.Kind.CPU) {
            return new EngineChoice(EngineChoice.Engine.DJL_CPU, "CPU only: " + facts.devices().reason());
        }
        String build = facts.libtorchBuildVersion().orElse(null);
        if (build != null && isCudaBuildOf(build)) {
            return new EngineChoice(EngineChoice.Engine.DJL_CUDA, "DJL on the CUDA libtorch " + build + " at "
                    + facts.libtorchPath().map(Object::toString).orElse("PYTORCH_LIBRARY_PATH"));
        }
        String whyNotDjl = facts.libtorchPath().isEmpty()
                ? "PYTORCH_LIBRARY_PATH is not set"
                : build == null ? "no build-version beside " + facts.libtorchPath().get()
                : "the libtorch there is " + build + ", DJL needs " + requiredLibtorch + " with CUDA";
        if (facts.pythonTorchVersion().isPresent() && facts.pythonTorchCuda()) {
            return new EngineChoice(EngineChoice.Engine.PYTORCH, "PyTorch backend with the node's PyTorch "
                    + facts.pythonTorchVersion().get() + " on CUDA (" + whyNotDjl + ")");
        }
        String python = facts.pythonTorchVersion().map(v -> "the node's PyTorch " + v + " sees no CUDA")
                .orElse("no PyTorch importable by python3");
        return new EngineChoice(EngineChoice.Engine.DJL_CPU, "GPU present but unusable: " + whyNotDjl + "; "
                + python + "; training on the CPU");
    }

    private boolean isCudaBuildOf(String build) {
        // libtorch writes e.g. "2.7.1+cu126"; a "+cpu" build or another version does not fit DJL's JNI
        int plus = build.indexOf('+');
        String version = plus < 0 ? build : build.substring(0, plus);
        String flavour = plus < 0 ? "" : build.substring(plus + 1);
        return version.equals(requiredLibtorch) && flavour.startsWith("cu");
    }
}
