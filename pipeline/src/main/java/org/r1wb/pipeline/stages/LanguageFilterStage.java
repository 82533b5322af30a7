package org.r1wb.pipeline.stages;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.r1wb.pipeline.Problem;
import org.r1wb.pipeline.clean.LanguageIdentifier;
import org.r1wb.pipeline.stage.DocumentProcessor;
import org.r1wb.pipeline.stage.Outcome;
import org.r1wb.pipeline.stage.ParamSpec;
import org.r1wb.pipeline.stage.PerDocumentStage;
import org.r1wb.pipeline.stage.StageParams;

/**
 * {@code filter.language}: keeps documents whose detected language ({@link LanguageIdentifier}) is one of
 * {@code languages} with at least {@code minConfidence}; drops the rest as {@code language <code>} (another language)
 * or {@code language uncertain} (nothing to tell by, or no language confident enough).
 */
public final class LanguageFilterStage implements PerDocumentStage {

    /** The drop reason when no language is confident enough. */
    public static final String UNCERTAIN = "language uncertain";

    public static final ParamSpec LANGUAGES = ParamSpec.stringList("languages", List.of("en"),
            "ISO 639-1 codes of the languages to keep, e.g. [\"en\", \"de\"]");
    public static final ParamSpec MIN_CONFIDENCE = ParamSpec.number("minConfidence", 0.8, 0, 1,
            "drop documents whose most likely language has a lower probability");

    @Override
    public String id() {
        return "filter.language";
    }

    @Override
    public int version() {
        return 1;
    }

    @Override
    public String description() {
        return "Keep documents in the given languages (n-gram language identification)";
    }

    @Override
    public List<ParamSpec> params() {
        return List.of(LANGUAGES, MIN_CONFIDENCE);
    }

    @Override
    public List<Problem> check(StageParams params) {
        List<String> wanted = params.stringList(LANGUAGES);
        List<Problem> problems = new ArrayList<>();
        if (wanted.isEmpty()) {
            problems.add(new Problem("params.languages", "no language to keep", "list at least one, e.g. [\"en\"]"));
        }
        Set<String> known = LanguageIdentifier.knownLanguages();
        for (int i = 0; i < wanted.size(); i++) {
            if (!known.contains(wanted.get(i))) {
                problems.add(new Problem("params.languages[" + i + "]", "unknown language code '" + wanted.get(i) + "'",
                        "use one of " + known));
            }
        }
        return problems;
    }

    @Override
    public DocumentProcessor<Outcome> processor(StageParams params) {
        Set<String> keep = Set.copyOf(params.stringList(LANGUAGES));
        double minConfidence = params.doubleValue(MIN_CONFIDENCE);
        LanguageIdentifier identifier = LanguageIdentifier.shared();
        return DocumentProcessor.pure(document -> {
            Optional<LanguageIdentifier.Guess> guess = identifier.identify(document.text());
            if (guess.isEmpty() || guess.get().confidence() < minConfidence) {
                return Outcome.drop(UNCERTAIN);
            }
            return keep.contains(guess.get().language()) ? Outcome.keep(document)
                    : Outcome.drop("language " + guess.get().language());
        });
    }
}
