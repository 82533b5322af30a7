package org.r1wb.pipeline.bpe;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.r1wb.pipeline.TestCorpus;

/** The reference implementation, HF {@code tokenizers} (through DJL), must give our ids from our tokenizer.json. */
class HuggingFaceOracleTest {

    @Test
    void huggingFaceTokenizersReproducesOurIds(@TempDir Path dir) throws Exception {
        // Runs of Unicode spaces are frequent in training so that a pre-tokenizer that disagrees with HF on what
        // \s means would learn merges across them and produce different ids.
        String unicodeSpaces = "x\u00a0\u00a0y z\u3000\u3000w \u2003\u2003v a\u0085\u0085b \u2028\u2028 c\u202f\u202fd";
        List<String> training = new ArrayList<>(TestCorpus.documents(21, 120_000));
        training.addAll(Collections.nCopies(200, unicodeSpaces));
        BpeTokenizer ours = BpeTrainer.builder().setVocabSize(1200)
                .optSpecialTokens(List.of("<|endoftext|>", "<think>")).build()
                .train(training);
        Path file = dir.resolve("tokenizer.json");
        ours.save(file);

        List<String> texts = new ArrayList<>(TestCorpus.documents(22, 30_000));
        texts.addAll(List.of(
                "👩‍👩‍👧‍👦 family 👍🏽 🇯🇵 flags 🙂🙂🙂",
                "東京タワー 数据模型 한국어 ภาษาไทย Ελληνικά",
                "e\u0301 a\u0308\u0304 Z\u0351\u0352 combining ́ alone",
                "   leading and trailing   ", "runs\t\t\tof\n\n\n\nwhitespace \u00a0\u2003\u3000 odd spaces",
                "digits 1234567890 12,345.67 ٣٤٥ ⅷ ² ½",
                "punctuation !!! ??? ... --- \"quotes\" 'single' (parens) [brackets] {braces} <angle>",
                "contractions it's we'll they're I'd you've don't 'tis",
                "special <|endoftext|> in text and <think> too",
                unicodeSpaces, "tail\u00a0\u00a0", "\u3000\u3000head",
                ""));
        try (HuggingFaceTokenizer hf = HuggingFaceTokenizer.newInstance(file,
                Map.of("addSpecialTokens", "false", "truncation", "false", "padding", "false"))) {
            for (String text : texts) {
                Encoding encoding = hf.encode(text, false, false);
                int[] theirs = Arrays.stream(encoding.getIds()).mapToInt(Math::toIntExact).toArray();
                assertThat(ours.encode(text)).as("ids of %s", text).isEqualTo(theirs);
            }
        }
    }
}
