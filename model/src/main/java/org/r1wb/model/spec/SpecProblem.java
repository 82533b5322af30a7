package org.r1wb.model.spec;

/**
 * One thing wrong with a spec.
 *
 * @param path    the field, dotted from the spec's root ({@code moe.topK})
 * @param message what is wrong ({@code must be ≤ routedExperts (8)})
 * @param fix     what to change to make it right
 */
public record SpecProblem(String path, String message, String fix) {

    @Override
    public String toString() {
        return path + ": " + message + " (fix: " + fix + ")";
    }
}
