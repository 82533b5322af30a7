package org.r1wb.pipeline.bpe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.r1wb.pipeline.TestCorpus;

class BpeTokenizerTest {

    private static final String EOT = "<|endoftext|>";
    private static List<String> corpus;
    private static BpeTokenizer tokenizer;

    @BeforeAll
    static void train() {
        corpus = TestCorpus.documents(1, 60_000);
        tokenizer = BpeTrainer.builder().setVocabSize(700).optSpecialTokens(List.of(EOT)).build().train(corpus);
    }

    @Test
    void randomBytesDecodedAsUtf8RoundTrip() {
        Random random = new Random(7);
        for (int i = 0; i < 2000; i++) {
            byte[] bytes = new byte[random.nextInt(80)];
            random.nextBytes(bytes);
            String text = new String(bytes, StandardCharsets.UTF_8);
            assertThat(tokenizer.decode(tokenizer.encode(text))).isEqualTo(text);
        }
    }

    @Test
    void randomCodePointsRoundTrip() {
        Random random = new Random(11);
        for (int i = 0; i < 1000; i++) {
            StringBuilder text = new StringBuilder();
            for (int n = random.nextInt(30); n > 0; n--) {
                int cp = random.nextInt(Character.MAX_CODE_POINT + 1);
                if (Character.getType(cp) != Character.SURROGATE) {
                    text.appendCodePoint(cp);
                }
            }
            assertThat(tokenizer.decode(tokenizer.encode(text.toString()))).isEqualTo(text.toString());
        }
    }

    @Test
    void mixedScriptsEmojiCombiningMarksAndWhitespaceRoundTrip() {
        List<String> texts = List.of(
                "👩‍👩‍👧‍👦 family, 👍🏽 thumbs, 🇫🇷 flag",
                "東京で数据模型を学ぶ。中文、日本語、한국어",
                "e\u0301 n\u0303 a\u0308\u0304 Z\u0351\u0352 combining marks",
                "tabs\tand\n\nnewlines   and  spaces \u00a0nbsp\u3000ideographic",
                "digits 0123456789 ٣٤٥ ⅷ and punctuation !?¿¡…—«»",
                "");
        for (String text : texts) {
            assertThat(tokenizer.decode(tokenizer.encode(text))).isEqualTo(text);
        }
    }

    @Test
    void invalidSequencesAreReplaced() {
        String loneSurrogate = "a\uD800b";
        String expected = new String(loneSurrogate.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8);
        assertThat(expected).doesNotContain("\uD800");
        assertThat(tokenizer.decode(tokenizer.encode(loneSurrogate))).isEqualTo(expected);

        int[] euro = tokenizer.encodeOrdinary("€");
        int firstByteOfEuro = 0xE2;
        assertThat(tokenizer.decode(new int[] {firstByteOfEuro})).isEqualTo("\uFFFD");
        assertThat(tokenizer.decode(euro)).isEqualTo("€");
    }

    @Test
    void mergesCompressTheTrainingText() {
        long bytes = 0;
        long tokens = 0;
        for (String doc : corpus) {
            bytes += doc.getBytes(StandardCharsets.UTF_8).length;
            tokens += tokenizer.encode(doc).length;
        }
        assertThat(tokens).isLessThan(bytes / 2);
        assertThat(tokenizer.vocabSize()).isEqualTo(700);
    }

    @Test
    void specialTokensAreMatchedWholeExceptInOrdinaryEncoding() {
        int eot = tokenizer.tokenId(EOT);
        int[] ids = tokenizer.encode("one" + EOT + "two");
        assertThat(Arrays.stream(ids).filter(id -> id == eot).count()).isEqualTo(1);
        assertThat(tokenizer.decode(ids)).isEqualTo("one" + EOT + "two");
        assertThat(tokenizer.encodeOrdinary("one" + EOT + "two")).doesNotContain(eot);
        assertThat(tokenizer.decode(tokenizer.encodeOrdinary(EOT))).isEqualTo(EOT);
        assertThatThrownBy(() -> tokenizer.tokenId("<|nope|>")).hasMessageContaining(EOT);
    }

    @Test
    void saveThenLoadGivesTheSameTokenizer(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("tokenizer.json");
        tokenizer.save(file);
        BpeTokenizer loaded = BpeTokenizer.load(file);
        assertThat(loaded.vocabSize()).isEqualTo(tokenizer.vocabSize());
        assertThat(loaded.tokenId(EOT)).isEqualTo(tokenizer.tokenId(EOT));
        for (String doc : corpus.subList(0, 200)) {
            assertThat(loaded.encode(doc)).isEqualTo(tokenizer.encode(doc));
        }
    }

    @Test
    void decodeRejectsIdsOutsideTheVocabulary() {
        assertThatThrownBy(() -> tokenizer.decode(new int[] {tokenizer.vocabSize()}))
                .hasMessageContaining("outside the vocabulary");
    }
}
