package org.r1wb.pipeline.stages;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TextNormalizerTest {

    private final TextNormalizer nfkc = new TextNormalizer(TextNormalizer.Form.NFKC, true);

    @Test
    void foldsCompatibilityCharacters() {
        assertThat(nfkc.normalize("ﬁve ＡＢＣ ①")).isEqualTo("five ABC 1");
        assertThat(nfkc.normalize("e\u0301")).isEqualTo("\u00e9");
    }

    @Test
    void collapsesWhitespaceRunsKeepingParagraphs() {
        assertThat(nfkc.normalize("  a  \t b\u00a0\u3000c  ")).isEqualTo("a b c");
        assertThat(nfkc.normalize("line one  \n  line two")).isEqualTo("line one\nline two");
        assertThat(nfkc.normalize("para one\n\n\n\npara two")).isEqualTo("para one\n\npara two");
    }

    @Test
    void stripsControlCharactersButKeepsNewlineTabAndEmojiJoiners() {
        assertThat(new TextNormalizer(TextNormalizer.Form.NONE, false).normalize("a\u0000b\u0007c\td\ne\r\n"))
                .isEqualTo("abc\td\ne\n");
        assertThat(nfkc.normalize("👩\u200d💻")).isEqualTo("👩\u200d💻");
        assertThat(nfkc.normalize("x\uD800y")).isEqualTo("xy");
    }

    @Test
    void isIdempotent() {
        String once = nfkc.normalize(" ﬁ  x\n\n\n y\u0000 ");
        assertThat(nfkc.normalize(once)).isEqualTo(once);
    }
}
