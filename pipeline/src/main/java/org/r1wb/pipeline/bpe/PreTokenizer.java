package org.r1wb.pipeline.bpe;

import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * GPT-2's pre-tokenizer: splits text into words (contractions, letter runs, digit runs, punctuation runs with an
 * optional leading space, whitespace) that BPE never merges across. The pattern is the one HF {@code tokenizers}
 * uses for ByteLevel with {@code use_regex}; UNICODE_CHARACTER_CLASS makes {@code \s} the Unicode White_Space set,
 * as in Oniguruma.
 */
final class PreTokenizer {

    private static final Pattern GPT2 = Pattern.compile(
            "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+",
            Pattern.UNICODE_CHARACTER_CLASS);

    private PreTokenizer() {
    }

    /** Passes each word of {@code text} to {@code words}, in order; the words concatenate back to the text. */
    static void split(CharSequence text, Consumer<String> words) {
        Matcher m = GPT2.matcher(text);
        while (m.find()) {
            words.accept(m.group());
        }
    }
}
