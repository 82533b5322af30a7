package org.r1wb.agent;

import org.r1wb.model.run.RunEvent;

import java.util.ArrayList;
import java.util.List;

/** Typed reads of journal payload fields (numbers, vectors, matrices) that name the event and field when malformed. */
final class EventValues {

    private EventValues() {
    }

    /** An integer field; {@code -1} when absent, so a missing layer matches no layer. */
    static int integer(RunEvent event, String field) {
        double value = event.number(field);
        return Double.isNaN(value) ? -1 : (int) value;
    }

    /** A list of numbers. */
    static double[] vector(RunEvent event, String field) {
        List<?> list = list(event, field, event.fields().get(field));
        double[] values = new double[list.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = number(event, field, list.get(i));
        }
        return values;
    }

    /** A list of rows of numbers (rows may differ in length). */
    static double[][] rows(RunEvent event, String field) {
        List<?> rows = list(event, field, event.fields().get(field));
        double[][] values = new double[rows.size()][];
        for (int r = 0; r < values.length; r++) {
            List<?> row = list(event, field, rows.get(r));
            values[r] = new double[row.size()];
            for (int c = 0; c < row.size(); c++) {
                values[r][c] = number(event, field, row.get(c));
            }
        }
        return values;
    }

    /** A list of rows of integers, or {@code null} when the field is absent. */
    static int[][] intMatrix(RunEvent event, String field) {
        if (!event.fields().containsKey(field)) {
            return null;
        }
        double[][] rows = rows(event, field);
        int[][] values = new int[rows.length][];
        for (int r = 0; r < rows.length; r++) {
            values[r] = new int[rows[r].length];
            for (int c = 0; c < rows[r].length; c++) {
                values[r][c] = (int) rows[r][c];
            }
        }
        return values;
    }

    /** A probe event's {@code step}, {@code tokens} and {@code weights}. */
    static InspectFigures.Matrix matrix(RunEvent event) {
        List<String> tokens = new ArrayList<>();
        for (Object token : list(event, "tokens", event.fields().get("tokens"))) {
            tokens.add(String.valueOf(token));
        }
        double[][] weights = rows(event, "weights");
        if (weights.length != tokens.size()) {
            throw new IllegalArgumentException(where(event, "weights") + " has " + weights.length + " rows for "
                    + tokens.size() + " tokens");
        }
        return new InspectFigures.Matrix((long) event.number("step"), tokens, weights);
    }

    private static List<?> list(RunEvent event, String field, Object value) {
        if (value instanceof List<?> list) {
            return list;
        }
        throw new IllegalArgumentException(where(event, field) + " is not a list");
    }

    private static double number(RunEvent event, String field, Object value) {
        if (value instanceof Number n) {
            return n.doubleValue();
        }
        throw new IllegalArgumentException(where(event, field) + " holds a non-number: " + value);
    }

    private static String where(RunEvent event, String field) {
        return "event seq " + event.seq() + " (" + event.type() + "): field '" + field + "'";
    }
}
