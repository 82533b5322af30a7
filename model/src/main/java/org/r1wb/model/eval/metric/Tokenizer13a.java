package org.r1wb.model.eval.metric;

import java.util.List;
import java.util.regex.Pattern;

/**
 * The mteval-v13a tokenizer that sacreBLEU uses by default ({@code tokenize='13a'}): punctuation and
 * symbols split off, periods and commas split unless between digits, a dash after a digit split.
 */
public final class Tokenizer13a {

    /** Symbols {@code { | } ~ [ \ ] ^ _ `}, space to {@code &}, {@code ( ) * +}, {@code : ; < = > ? @} and {@code /}. */
    private static final Pattern SYMBOL = Pattern.compile("([\\{-\\~\\[-\\` -\\&\\(-\\+\\:-\\@\\/])");
    private static final Pattern PERIOD_COMMA_AFTER_NON_DIGIT = Pattern.compile("([^0-9])([\\.,])");
    private static final Pattern PERIOD_COMMA_BEFORE_NON_DIGIT = Pattern.compile("([\\.,])([^0-9])");
    private static final Pattern DASH_AFTER_DIGIT = Pattern.compile("([0-9])(-)");

    private Tokenizer13a() {
    }

    /** The tokens of {@code line}. */
    public static List<String> tokenize(String line) {
        String text = line.replace("<skipped>", "").replace("-\n", "").replace("\n", " ");
        if (text.indexOf('&') >= 0) {
            text = text.replace("&quot;", "\"").replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">");
        }
        text = " " + text + " ";
        text = SYMBOL.matcher(text).replaceAll(" $1 ");
        text = PERIOD_COMMA_AFTER_NON_DIGIT.matcher(text).replaceAll("$1 $2 ");
        text = PERIOD_COMMA_BEFORE_NON_DIGIT.matcher(text).replaceAll(" $1 $2");
        text = DASH_AFTER_DIGIT.matcher(text).replaceAll("$1 $2 ");
        String trimmed = text.strip();
        return trimmed.isEmpty() ? List.of() : List.of(trimmed.split("\\s+"));
    }
}
