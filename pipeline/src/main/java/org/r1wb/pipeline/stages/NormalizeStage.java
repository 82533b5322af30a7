package org.r1wb.pipeline.stages;

import java.util.ArrayList;
import java.util.List;
import org.r1wb.pipeline.Document;
import org.r1wb.pipeline.stage.DocumentBatch;
import org.r1wb.pipeline.stage.ParamSpec;
import org.r1wb.pipeline.stage.Port;
import org.r1wb.pipeline.stage.StageContext;

/** {@code normalize}: {@link TextNormalizer} over every document; documents left empty are dropped. */
public final class NormalizeStage extends DocumentStage {

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
    public void execute(StageContext context) {
        TextNormalizer normalizer = new TextNormalizer(TextNormalizer.Form.valueOf(context.params().string(FORM)),
                context.params().booleanValue(COLLAPSE_WHITESPACE));
        List<Document> in = context.documents(Port.MAIN);
        List<Document> out = new ArrayList<>(in.size());
        for (int i = 0; i < in.size(); i++) {
            context.countIn(1);
            String text = normalizer.normalize(in.get(i).text());
            if (text.isEmpty()) {
                context.drop("empty after normalisation", 1);
            } else {
                out.add(in.get(i).withText(text));
                context.countOut(1);
            }
            if (i % 4096 == 4095) {
                context.checkCancelled();
                context.progress((i + 1.0) / in.size(), (i + 1) + " documents");
            }
        }
        context.emit(Port.MAIN, new DocumentBatch(out));
    }
}
