package org.r1wb.views.graph;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A node of a {@link GraphModel}: an id, a type, typed ports, a position and parameter values. Parameter values
 * are opaque to the editor (the host decides what they are, e.g. JSON nodes); only commands change them.
 */
public final class GraphNode {

    private final String id;
    private final String type;
    private final List<PortDef> inputs;
    private final List<PortDef> outputs;
    private final Map<String, Object> params;
    private double x;
    private double y;

    public GraphNode(String id, String type, List<PortDef> inputs, List<PortDef> outputs,
                     Map<String, Object> params, double x, double y) {
        this.id = id;
        this.type = type;
        this.inputs = List.copyOf(inputs);
        this.outputs = List.copyOf(outputs);
        this.params = new LinkedHashMap<>(params);
        this.x = x;
        this.y = y;
    }

    /** A copy with another id and position (paste, duplicate). */
    public GraphNode copy(String newId, double newX, double newY) {
        return new GraphNode(newId, type, inputs, outputs, params, newX, newY);
    }

    public String id() {
        return id;
    }

    public String type() {
        return type;
    }

    public List<PortDef> inputs() {
        return inputs;
    }

    public List<PortDef> outputs() {
        return outputs;
    }

    /** The parameter values set on this node, in the order they were set (read-only view). */
    public Map<String, Object> params() {
        return Collections.unmodifiableMap(params);
    }

    public double x() {
        return x;
    }

    public double y() {
        return y;
    }

    /** The input port called {@code name}, or null. */
    public PortDef input(String name) {
        return inputs.stream().filter(p -> p.name().equals(name)).findFirst().orElse(null);
    }

    /** The output port called {@code name}, or null. */
    public PortDef output(String name) {
        return outputs.stream().filter(p -> p.name().equals(name)).findFirst().orElse(null);
    }

    void moveTo(double newX, double newY) {
        x = newX;
        y = newY;
    }

    void putParam(String name, Object value) {
        if (value == null) {
            params.remove(name);
        } else {
            params.put(name, value);
        }
    }
}
