package org.r1wb.model.train;

import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;

/**
 * libtorch's autograd switch is thread-local, and DJL turns it off only on the thread that loaded the engine.
 * Training and inference may run on any thread, so they switch it off themselves: outside a gradient collector
 * nothing should record graphs, and in-place parameter updates need it off.
 */
public final class GradMode {

    private GradMode() {
    }

    /** Loads the engine if needed and turns autograd recording off on the calling thread. */
    public static void offOnThisThread() {
        Engine.getInstance();
        JniUtils.setGradMode(false);
    }
}
