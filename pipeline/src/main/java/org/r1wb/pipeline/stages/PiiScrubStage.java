package org.r1wb.pipeline.stages;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.r1wb.pipeline.clean.PiiScrubber;
import org.r1wb.pipeline.stage.DocumentProcessor;
import org.r1wb.pipeline.stage.Outcome;
import org.r1wb.pipeline.stage.ParamSpec;
import org.r1wb.pipeline.stage.PerDocumentStage;
import org.r1wb.pipeline.stage.StageParams;

/**
 * {@code clean.pii}: replaces e-mail addresses, IP addresses and phone numbers with placeholders
 * ({@link PiiScrubber}); replacements are counted per kind ({@code email}, {@code ipv4}, {@code ipv6},
 * {@code phone}) and documents changed under {@code documents changed}. Nothing is dropped.
 */
public final class PiiScrubStage implements PerDocumentStage {

    @Override
    public String id() {
        return "clean.pii";
    }

    @Override
    public int version() {
        return 1;
    }

    @Override
    public String description() {
        return "Replace e-mail addresses, IP addresses and phone numbers with <EMAIL>, <IP>, <PHONE>";
    }

    @Override
    public List<ParamSpec> params() {
        return List.of();
    }

    @Override
    public DocumentProcessor<Outcome> processor(StageParams params) {
        PiiScrubber scrubber = new PiiScrubber();
        return DocumentProcessor.pure(document -> {
            PiiScrubber.Result result = scrubber.scrub(document.text());
            if (result.counts().isEmpty()) {
                return Outcome.keep(document);
            }
            Map<String, Long> counts = new LinkedHashMap<>();
            result.counts().forEach((kind, n) -> counts.put(kind.name().toLowerCase(Locale.ROOT), (long) n));
            counts.put("documents changed", 1L);
            return Outcome.keep(document.withText(result.text()), counts);
        });
    }
}
