package org.r1wb.views.graph;

/**
 * An edge from an output port of one node to an input port of another.
 *
 * @param fromNode source node id
 * @param fromPort source output port name
 * @param toNode   target node id
 * @param toPort   target input port name
 */
public record GraphEdge(String fromNode, String fromPort, String toNode, String toPort) {

    /** "from.port → to.port", for messages. */
    public String describe() {
        return fromNode + "." + fromPort + " → " + toNode + "." + toPort;
    }
}
