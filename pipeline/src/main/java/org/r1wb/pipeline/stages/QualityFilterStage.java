package org.r1wb.pipeline.stages;

import java.util.List;
import org.r1wb.pipeline.Problem;
import org.r1wb.pipeline.clean.QualityFilter;
import org.r1wb.pipeline.stage.DocumentProcessor;
import org.r1wb.pipeline.stage.Outcome;
import org.r1wb.pipeline.stage.ParamSpec;
import org.r1wb.pipeline.stage.PerDocumentStage;
import org.r1wb.pipeline.stage.StageParams;

/** {@code filter.quality}: drops documents that fail a {@link QualityFilter} check, counted by the check's name. */
public final class QualityFilterStage implements PerDocumentStage {

    public static final ParamSpec MIN_CHARS = ParamSpec.integer("minChars", 1, 0, Integer.MAX_VALUE,
            "drop documents with fewer characters");
    public static final ParamSpec MAX_CHARS = ParamSpec.integer("maxChars", 1_000_000, 1, Integer.MAX_VALUE,
            "drop documents with more characters");
    public static final ParamSpec MIN_ENTROPY = ParamSpec.number("minEntropy", 2.5, 0, 20,
            "drop documents whose character entropy (bits/char) is lower; 0 turns the check off");
    public static final ParamSpec MAX_DUPLICATE_LINES = ParamSpec.number("maxDuplicateLineFraction", 0.3, 0, 1,
            "drop documents in which a larger share of lines repeat an earlier line; 1 turns the check off");
    public static final ParamSpec NGRAM_SIZE = ParamSpec.integer("ngramSize", 2, 1, 10,
            "n of the repeated word n-gram check");
    public static final ParamSpec MAX_TOP_NGRAM = ParamSpec.number("maxTopNgramFraction", 0.2, 0, 1,
            "drop documents whose most frequent n-gram covers a larger share of the words' characters; 1 = off");
    public static final ParamSpec MAX_SYMBOL_RATIO = ParamSpec.number("maxSymbolWordRatio", 0.1, 0, 1000,
            "drop documents with more '#' and ellipses per word");

    @Override
    public String id() {
        return "filter.quality";
    }

    @Override
    public int version() {
        return 1;
    }

    @Override
    public String description() {
        return "Drop documents by length, character entropy, repetition and symbol/word ratio";
    }

    @Override
    public List<ParamSpec> params() {
        return List.of(MIN_CHARS, MAX_CHARS, MIN_ENTROPY, MAX_DUPLICATE_LINES, NGRAM_SIZE, MAX_TOP_NGRAM,
                MAX_SYMBOL_RATIO);
    }

    @Override
    public List<Problem> check(StageParams params) {
        if (params.intValue(MIN_CHARS) > params.intValue(MAX_CHARS)) {
            return List.of(new Problem("params.minChars", "minChars " + params.intValue(MIN_CHARS)
                    + " exceeds maxChars " + params.intValue(MAX_CHARS), "make minChars at most maxChars"));
        }
        return List.of();
    }

    /** The filter these parameters describe. */
    public static QualityFilter filter(StageParams params) {
        return new QualityFilter(new QualityFilter.Thresholds(params.intValue(MIN_CHARS), params.intValue(MAX_CHARS),
                params.doubleValue(MIN_ENTROPY), params.doubleValue(MAX_DUPLICATE_LINES), params.intValue(NGRAM_SIZE),
                params.doubleValue(MAX_TOP_NGRAM), params.doubleValue(MAX_SYMBOL_RATIO)));
    }

    @Override
    public DocumentProcessor<Outcome> processor(StageParams params) {
        QualityFilter filter = filter(params);
        return DocumentProcessor.pure(document -> filter.check(document.text())
                .map(Outcome::drop)
                .orElseGet(() -> Outcome.keep(document)));
    }
}
