package org.r1wb.plugins.examples;

import java.util.List;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.r1wb.pipeline.Problem;
import org.r1wb.pipeline.stage.DocumentProcessor;
import org.r1wb.pipeline.stage.Outcome;
import org.r1wb.pipeline.stage.ParamSpec;
import org.r1wb.pipeline.stage.PerDocumentStage;
import org.r1wb.pipeline.stage.StageParams;

/**
 * {@code filter.regex}: drops the documents in which a regular expression finds a match (or, with {@code keep},
 * every document in which it finds none). A per-document stage, so it streams like the built-in filters.
 */
public final class RegexFilterStage implements PerDocumentStage {

    public static final ParamSpec PATTERN = ParamSpec.string("pattern", "lorem ipsum",
            "a java.util.regex pattern, searched anywhere in the text");
    public static final ParamSpec MODE = ParamSpec.choice("mode", "drop", List.of("drop", "keep"),
            "drop the documents that match, or keep only those");
    public static final ParamSpec IGNORE_CASE = ParamSpec.bool("ignoreCase", false, "match regardless of case");

    @Override
    public String id() {
        return "filter.regex";
    }

    @Override
    public int version() {
        return 1;
    }

    @Override
    public String description() {
        return "Drop (or keep only) documents a regular expression matches (example plugin)";
    }

    @Override
    public List<ParamSpec> params() {
        return List.of(PATTERN, MODE, IGNORE_CASE);
    }

    @Override
    public List<Problem> check(StageParams params) {
        try {
            pattern(params);
            return List.of();
        } catch (PatternSyntaxException e) {
            return List.of(new Problem("params.pattern", "not a regular expression: " + e.getDescription()
                    + " at index " + e.getIndex(), "fix the pattern, or quote literal text with \\Q...\\E"));
        }
    }

    @Override
    public DocumentProcessor<Outcome> processor(StageParams params) {
        Pattern pattern = pattern(params);
        boolean keepMatches = "keep".equals(params.string(MODE));
        return DocumentProcessor.pure(document -> pattern.matcher(document.text()).find() == keepMatches
                ? Outcome.keep(document)
                : Outcome.drop(keepMatches ? "no match" : "matches pattern"));
    }

    private static Pattern pattern(StageParams params) {
        return Pattern.compile(params.string(PATTERN), params.booleanValue(IGNORE_CASE) ? Pattern.CASE_INSENSITIVE : 0);
    }
}
