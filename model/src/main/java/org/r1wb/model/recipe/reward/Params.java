package org.r1wb.model.recipe.reward;

import java.util.List;
import java.util.Map;

/** Reading and checking rewards' numeric parameters. */
final class Params {

    private Params() {
    }

    /** {@code params[name]} as a number, or {@code fallback} when absent. */
    static double number(Map<String, Object> params, String name, double fallback) {
        Object value = params.get(name);
        return value instanceof Number n ? n.doubleValue() : fallback;
    }

    /** Adds a problem when {@code params[name]} is present but not a number. */
    static void requireNumber(Map<String, Object> params, String name, List<String> problems) {
        Object value = params.get(name);
        if (value != null && !(value instanceof Number)) {
            problems.add(name + ": must be a number (is \"" + value + "\"); write it without quotes");
        }
    }
}
