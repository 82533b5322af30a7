package org.r1wb.model.nn;

/**
 * bf16 autocast for the model's matrix products, as {@code torch.autocast("cpu", torch.bfloat16)} does: inside the
 * scope each linear layer and SwiGLU MLP rounds its input and weights to bf16, multiplies with fp32 accumulation
 * and hands fp32 back; weights, gradients and optimizer state stay fp32 (the master copy). Everything else (norms,
 * softmax, rotary, the loss) stays fp32, and so does the router: a token's choice of experts should not flip on a
 * rounding, which is why DeepSeek-V3 also keeps its gating in higher precision. Thread-local, like torch's; scopes
 * nest and restore what was there before.
 */
public final class Autocast implements AutoCloseable {

    private static final ThreadLocal<Boolean> BF16 = ThreadLocal.withInitial(() -> false);

    private final boolean previous;

    private Autocast(boolean bf16) {
        this.previous = BF16.get();
        BF16.set(bf16);
    }

    /** A scope in which matrix products run in bf16 when {@code enabled}, in fp32 otherwise. */
    public static Autocast bf16(boolean enabled) {
        return new Autocast(enabled);
    }

    /** Whether the calling thread is inside an enabled scope. */
    public static boolean isBf16() {
        return BF16.get();
    }

    /** For try-with-resources blocks that only need the scope, not the variable. */
    public void suppressNotUsedWarning() {
        // nothing to do: the scope's effect is the thread-local flag
    }

    @Override
    public void close() {
        BF16.set(previous);
    }
}
