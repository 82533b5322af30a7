package org.r1wb.workbench.inspect;

import org.r1wb.model.run.RunEvent;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads the array payloads of journal events (vectors, matrices, token lists). A field of the wrong
 * shape is an {@link IllegalArgumentException} naming the event's seq and the field, so a bad event
 * is reported, never half drawn.
 */
final class EventFields {

    private EventFields() {
    }

    /** A list of numbers as a vector. */
    static double[] vector(RunEvent event, String key) {
        return vector(event, key, event.fields().get(key));
    }

    /** A list of lists of numbers as a matrix (rows may differ in length: causal attention rows do). */
    static double[][] matrix(RunEvent event, String key) {
        List<?> rows = list(event, key, event.fields().get(key));
        double[][] matrix = new double[rows.size()][];
        for (int i = 0; i < rows.size(); i++) {
            matrix[i] = vector(event, key + "[" + i + "]", rows.get(i));
        }
        return matrix;
    }

    /** A list of strings. */
    static List<String> strings(RunEvent event, String key) {
        List<String> out = new ArrayList<>();
        for (Object item : list(event, key, event.fields().get(key))) {
            out.add(String.valueOf(item));
        }
        return out;
    }

    /** A required integer field. */
    static int integer(RunEvent event, String key) {
        double value = event.number(key);
        if (Double.isNaN(value)) {
            throw new IllegalArgumentException(where(event, key) + " is missing or not a number");
        }
        return (int) value;
    }

    private static double[] vector(RunEvent event, String key, Object value) {
        List<?> items = list(event, key, value);
        double[] out = new double[items.size()];
        for (int i = 0; i < out.length; i++) {
            if (!(items.get(i) instanceof Number n)) {
                throw new IllegalArgumentException(where(event, key) + "[" + i + "] is not a number: " + items.get(i));
            }
            out[i] = n.doubleValue();
        }
        return out;
    }

    private static List<?> list(RunEvent event, String key, Object value) {
        if (!(value instanceof List<?> items)) {
            throw new IllegalArgumentException(where(event, key) + " is missing or not an array");
        }
        return items;
    }

    private static String where(RunEvent event, String key) {
        return "event seq " + event.seq() + " (" + event.type() + "): field '" + key + "'";
    }
}
