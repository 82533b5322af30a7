package org.r1wb.agent;

import java.util.List;

/** Keeps DJL offline (and quiet) in this JVM and in every JVM the agent starts. */
public final class Djl {

    /** The system properties every JVM that may load DJL starts with. */
    public static final List<String> JVM_FLAGS = List.of("-Dai.djl.offline=true", "-DOPT_OUT_TRACKING=true",
            "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
            // DJL probes for CUDA even on the CPU engine and warns when a stray runtime has no driver.
            "-Dorg.slf4j.simpleLogger.log.ai.djl.util.cuda.CudaUtils=error");

    private Djl() {
    }

    /**
     * Sets the offline properties in this JVM unless the command line already did. Without
     * {@code OPT_OUT_TRACKING}, engine start-up contacts a cloud metadata address.
     */
    public static void offline() {
        for (String flag : JVM_FLAGS) {
            String[] pair = flag.substring(2).split("=", 2);
            if (System.getProperty(pair[0]) == null) {
                System.setProperty(pair[0], pair[1]);
            }
        }
    }
}
