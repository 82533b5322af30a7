package org.r1wb.pipeline.stages;

import java.util.List;
import org.r1wb.pipeline.stage.DocumentProcessor;
import org.r1wb.pipeline.stage.Outcome;
import org.r1wb.pipeline.stage.ParamSpec;
import org.r1wb.pipeline.stage.PerDocumentStage;
import org.r1wb.pipeline.stage.StageParams;

/** {@code normalize}: {@link TextNormalizer} over every document; documents left empty are dropped. */
public final class NormalizeStage implements PerDocumentStage {

    public static final ParamSpec FORM = ParamSpec.choice("form", "NFKC", List.of("NFKC", "NFC", "NONE"),
            "Unicode normal form (NFKC folds compatibility characters such as ligatures and full-width forms)");
    public static final ParamSpec COLLAPSE_WHITESPACE = ParamSpec.bool("collapseWhitespace", true,
            "collapse whitespace runs (keeping up to one blank line) and trim the ends");

    @Override
    public String id() {
        return "normalize";
    }

    @Override
    public int version() {
        return 1;
    }

    @Override
    public String description() {
        return "Unicode-normalise, strip control characters, collapse whitespace";
    }

    @Override
    public List<ParamSpec> params() {
        return List.of(FORM, COLLAPSE_WHITESPACE);
    }

    @Override
    public DocumentProcessor<Outcome> processor(StageParams params) {
        TextNormalizer normalizer = new TextNormalizer(TextNormalizer.Form.valueOf(params.string(FORM)),
                params.booleanValue(COLLAPSE_WHITESPACE));
        return DocumentProcessor.pure(document -> {
            String text = normalizer.normalize(document.text());
            return text.isEmpty() ? Outcome.drop("empty after normalisation") : Outcome.keep(document.withText(text));
        });
    }
}
