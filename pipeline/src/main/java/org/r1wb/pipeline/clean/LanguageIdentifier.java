package org.r1wb.pipeline.clean;

import com.optimaize.langdetect.DetectedLanguage;
import com.optimaize.langdetect.LanguageDetector;
import com.optimaize.langdetect.LanguageDetectorBuilder;
import com.optimaize.langdetect.ngram.NgramExtractors;
import com.optimaize.langdetect.profiles.BuiltInLanguages;
import com.optimaize.langdetect.profiles.LanguageProfile;
import com.optimaize.langdetect.profiles.LanguageProfileReader;
import com.optimaize.langdetect.text.CommonTextObjectFactories;
import com.optimaize.langdetect.text.TextObjectFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Names the language of a text (ISO 639-1 code) with a confidence, using the n-gram profiles of the optimaize
 * language-detector (71 languages, shipped inside its jar: nothing is fetched at run time). Every profile is loaded,
 * even when a filter keeps only a few languages, so that other languages are recognised as such rather than forced
 * onto the nearest kept one. The detector is seeded, so the same text always gets the same answer, and thread-safe.
 */
public final class LanguageIdentifier {

    /**
     * Characters looked at: the language of a document shows in its first paragraphs, and n-gram scoring of a whole
     * book would make one document cost as much as thousands.
     */
    public static final int SAMPLE_CHARS = 2000;

    private static final long SEED = 1;

    /**
     * A detected language.
     *
     * @param language   ISO 639-1 code, e.g. {@code en}, {@code zh}
     * @param confidence the detector's probability for it, in (0, 1]
     */
    public record Guess(String language, double confidence) {
    }

    private static volatile LanguageIdentifier shared;

    private final LanguageDetector detector;
    private final TextObjectFactory texts = CommonTextObjectFactories.forDetectingOnLargeText();

    private LanguageIdentifier(List<LanguageProfile> profiles) {
        // The library's own minimal confidence and probability cut-offs are zero: the filter applies its own.
        this.detector = LanguageDetectorBuilder.create(NgramExtractors.standard())
                .withProfiles(profiles)
                .seed(SEED)
                .minimalConfidence(0)
                .probabilityThreshold(0)
                .build();
    }

    /** The identifier over every built-in profile, loaded once (about half a second) and shared. */
    public static LanguageIdentifier shared() {
        LanguageIdentifier identifier = shared;
        if (identifier == null) {
            synchronized (LanguageIdentifier.class) {
                identifier = shared;
                if (identifier == null) {
                    try {
                        identifier = new LanguageIdentifier(new LanguageProfileReader().readAllBuiltIn());
                    } catch (IOException e) {
                        throw new UncheckedIOException("cannot read the built-in language profiles", e);
                    }
                    shared = identifier;
                }
            }
        }
        return identifier;
    }

    /** The ISO 639-1 codes an identifier can name (without loading the profiles). */
    public static Set<String> knownLanguages() {
        Set<String> codes = new TreeSet<>();
        BuiltInLanguages.getLanguages().forEach(locale -> codes.add(locale.getLanguage()));
        return codes;
    }

    /** The most likely language, or empty when the text holds nothing to tell by (digits, symbols, URLs). */
    public Optional<Guess> identify(String text) {
        CharSequence sample = text.length() > SAMPLE_CHARS ? text.substring(0, SAMPLE_CHARS) : text;
        List<DetectedLanguage> ranked = detector.getProbabilities(texts.forText(sample));
        if (ranked.isEmpty()) {
            return Optional.empty();
        }
        DetectedLanguage best = ranked.get(0);
        return Optional.of(new Guess(best.getLocale().getLanguage(), best.getProbability()));
    }
}
