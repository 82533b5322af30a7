package org.r1wb.model.eval.task;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** A normalisation applied to both the extracted answer and the target before they are compared. */
public enum Normalization {
    /** Lower case. */
    LOWERCASE("lowercase"),
    /** Leading and trailing whitespace removed. */
    STRIP("strip"),
    /** Runs of whitespace become one space. */
    COLLAPSE_WHITESPACE("collapse_whitespace"),
    /** ASCII punctuation removed. */
    STRIP_PUNCTUATION("strip_punctuation"),
    /** Commas removed, so {@code 1,000} equals {@code 1000}. */
    REMOVE_COMMAS("remove_commas"),
    /** The English articles a, an, the removed. */
    REMOVE_ARTICLES("remove_articles");

    private final String yaml;

    Normalization(String yaml) {
        this.yaml = yaml;
    }

    public String yaml() {
        return yaml;
    }

    public static Optional<Normalization> parse(String text) {
        return Arrays.stream(values()).filter(n -> n.yaml.equals(text)).findFirst();
    }

    /** {@code text} with every normalisation in {@code steps} applied in order; {@code null} stays {@code null}. */
    public static String apply(List<Normalization> steps, String text) {
        if (text == null) {
            return null;
        }
        String out = text;
        for (Normalization step : steps) {
            out = switch (step) {
                case LOWERCASE -> out.toLowerCase(Locale.ROOT);
                case STRIP -> out.strip();
                case COLLAPSE_WHITESPACE -> out.replaceAll("\\s+", " ");
                case STRIP_PUNCTUATION -> out.replaceAll("\\p{Punct}", "");
                case REMOVE_COMMAS -> out.replace(",", "");
                case REMOVE_ARTICLES -> out.replaceAll("\\b(?i:a|an|the)\\b", " ");
            };
        }
        return out;
    }
}
