package org.r1wb.model.export;

import ai.djl.nn.Block;
import ai.djl.nn.Parameter;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Dotted names for a block tree's parameters, the keys both engines use: {@code layer0.attention.q_proj},
 * {@code layer1.moe.router.selection_bias}. DJL numbers its child blocks ({@code 01layer0}); the numbers are dropped,
 * because block names never start with a digit and the PyTorch modules carry the bare names.
 */
public final class ParameterPaths {

    private ParameterPaths() {
    }

    /** Every parameter of {@code root} (trainable or state) by dotted path, in DJL's order. */
    public static Map<String, Parameter> of(Block root) {
        Map<String, Parameter> out = new LinkedHashMap<>();
        collect(root, "", out);
        return out;
    }

    private static void collect(Block block, String prefix, Map<String, Parameter> out) {
        for (var entry : block.getDirectParameters()) {
            out.put(prefix + entry.getKey(), entry.getValue());
        }
        for (var child : block.getChildren()) {
            collect(child.getValue(), prefix + child.getKey().replaceFirst("^\\d+", "") + ".", out);
        }
    }
}
