package org.r1wb.views.graph;

/**
 * A port of a graph node.
 *
 * @param name unique among the node's inputs (or outputs)
 * @param type what flows through it; shown on the port and used by {@link ConnectionRule}s
 * @param many for inputs: accepts several edges
 */
public record PortDef(String name, String type, boolean many) {
}
