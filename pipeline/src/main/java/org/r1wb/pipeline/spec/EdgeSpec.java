package org.r1wb.pipeline.spec;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * An edge of a pipeline file: the output of one node feeds the input of another.
 *
 * @param from     source node id
 * @param to       target node id
 * @param fromPort output port name; null means the node's first output
 * @param toPort   input port name; null means the node's first input
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record EdgeSpec(String from, String to, String fromPort, String toPort) {

    /** An edge between the nodes' first ports. */
    public EdgeSpec(String from, String to) {
        this(from, to, null, null);
    }
}
