package org.r1wb.pipeline.clean;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** Language identification on short sentences written for this test, and on text with nothing to tell by. */
class LanguageIdentifierTest {

    private static final Map<String, String> SENTENCES = Map.of(
            "en", "The weather was cold this morning, so we stayed inside and read the newspaper together.",
            "de", "Heute Morgen war es sehr kalt, deshalb sind wir zu Hause geblieben und haben Zeitung gelesen.",
            "fr", "Ce matin il faisait très froid, alors nous sommes restés à la maison pour lire le journal.",
            "es", "Esta mañana hacía mucho frío, así que nos quedamos en casa leyendo el periódico juntos.",
            "zh", "今天早上天气很冷，所以我们留在家里一起看报纸，然后喝了很多热茶。",
            "ru", "Сегодня утром было очень холодно, поэтому мы остались дома и вместе читали газету.");

    @Test
    void namesTheLanguageOfShortSentencesConfidently() {
        LanguageIdentifier identifier = LanguageIdentifier.shared();
        SENTENCES.forEach((language, sentence) -> {
            LanguageIdentifier.Guess guess = identifier.identify(sentence).orElseThrow();
            assertThat(guess.language()).as(sentence).isEqualTo(language);
            assertThat(guess.confidence()).as(sentence).isGreaterThan(0.9);
        });
    }

    @Test
    void digitsAndSymbolsHaveNoLanguage() {
        LanguageIdentifier identifier = LanguageIdentifier.shared();
        assertThat(identifier.identify("3.14159 2718 +- 42 %% ## 1999-12-31")).isEmpty();
        assertThat(identifier.identify("")).isEmpty();
    }

    @Test
    void theSameTextAlwaysGetsTheSameAnswer() {
        LanguageIdentifier identifier = LanguageIdentifier.shared();
        String mixed = "Das ist ein Satz, and this is a sentence, c'est une phrase aussi.";
        assertThat(identifier.identify(mixed)).isEqualTo(identifier.identify(mixed));
    }
}
