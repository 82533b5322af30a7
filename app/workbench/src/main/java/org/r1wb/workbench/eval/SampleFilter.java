package org.r1wb.workbench.eval;

import org.r1wb.model.eval.SampleRecord;

import java.util.Locale;

/** Which samples the browser lists: all of them, the right ones or the wrong ones. */
public enum SampleFilter {
    ALL("All"),
    CORRECT("Correct"),
    WRONG("Wrong");

    private final String label;

    SampleFilter(String label) {
        this.label = label;
    }

    /** The button text. */
    public String label() {
        return label;
    }

    /**
     * Whether {@code sample} passes this filter and contains {@code search} (case-insensitive, in prompt,
     * target, output or extracted answer). Samples of tasks with no notion of right (perplexity) are neither
     * correct nor wrong.
     */
    public boolean accepts(SampleRecord sample, String search) {
        boolean kept = switch (this) {
            case ALL -> true;
            case CORRECT -> Boolean.TRUE.equals(sample.correct());
            case WRONG -> Boolean.FALSE.equals(sample.correct());
        };
        if (!kept || search == null || search.isBlank()) {
            return kept;
        }
        String needle = search.strip().toLowerCase(Locale.ROOT);
        return contains(sample.prompt(), needle) || contains(sample.target(), needle)
                || contains(sample.output(), needle) || contains(sample.extracted(), needle);
    }

    private static boolean contains(String text, String needle) {
        return text != null && text.toLowerCase(Locale.ROOT).contains(needle);
    }
}
