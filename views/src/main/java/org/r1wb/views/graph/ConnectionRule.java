package org.r1wb.views.graph;

import java.util.Optional;

/** Decides whether an edge may be added; a refusal says why, in words the user reads. */
@FunctionalInterface
public interface ConnectionRule {

    /** The reason {@code edge} must not be added to {@code model}, or empty to allow it. */
    Optional<String> refuse(GraphModel model, GraphEdge edge);

    /**
     * The rule every graph needs: ports exist, types match, no self-loop or cycle, no duplicate, and a
     * single-edge input takes one edge.
     */
    static ConnectionRule typed() {
        return (model, edge) -> {
            GraphNode from = model.node(edge.fromNode()).orElse(null);
            GraphNode to = model.node(edge.toNode()).orElse(null);
            if (from == null || to == null) {
                return Optional.of("no node '" + (from == null ? edge.fromNode() : edge.toNode()) + "'");
            }
            PortDef out = from.output(edge.fromPort());
            PortDef in = to.input(edge.toPort());
            if (out == null || in == null) {
                return Optional.of(out == null ? "'" + from.id() + "' has no output '" + edge.fromPort() + "'"
                        : "'" + to.id() + "' has no input '" + edge.toPort() + "'");
            }
            if (!out.type().equals(in.type())) {
                return Optional.of("'" + from.id() + "' (" + from.type() + ") gives " + out.type() + " but '"
                        + to.id() + "' (" + to.type() + ") takes " + in.type());
            }
            if (model.edges().contains(edge)) {
                return Optional.of("'" + from.id() + "' is already connected to '" + to.id() + "'");
            }
            if (from.id().equals(to.id()) || model.reaches(to.id(), from.id())) {
                return Optional.of("connecting '" + from.id() + "' to '" + to.id() + "' would make a cycle");
            }
            boolean taken = model.incoming(to.id()).stream().anyMatch(e -> e.toPort().equals(in.name()));
            if (taken && !in.many()) {
                return Optional.of("input '" + in.name() + "' of '" + to.id() + "' takes one edge and has one already");
            }
            return Optional.empty();
        };
    }
}
