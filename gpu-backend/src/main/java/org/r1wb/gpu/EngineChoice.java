package org.r1wb.gpu;

/** The training engine chosen for a node, and why: shown to the user beside the run target. */
public record EngineChoice(Engine engine, String reason) {

    /** Where a run trains. */
    public enum Engine {
        /** DJL on the CPU libtorch from Maven Central. */
        DJL_CPU,
        /** DJL on a CUDA libtorch found on the node, of exactly the version DJL's JNI was built for. */
        DJL_CUDA,
        /** The PyTorch backend (Python, the node's own CUDA PyTorch), the scale-out path. */
        PYTORCH
    }
}
