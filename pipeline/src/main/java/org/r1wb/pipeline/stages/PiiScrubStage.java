package org.r1wb.pipeline.stages;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.r1wb.pipeline.Document;
import org.r1wb.pipeline.clean.PiiScrubber;
import org.r1wb.pipeline.stage.DocumentBatch;
import org.r1wb.pipeline.stage.ParamSpec;
import org.r1wb.pipeline.stage.Port;
import org.r1wb.pipeline.stage.StageContext;

/**
 * {@code clean.pii}: replaces e-mail addresses, IP addresses and phone numbers with placeholders
 * ({@link PiiScrubber}); replacements are counted per kind ({@code email}, {@code ipv4}, {@code ipv6},
 * {@code phone}) and documents changed under {@code documents changed}. Nothing is dropped.
 */
public final class PiiScrubStage extends DocumentStage {

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
    public void execute(StageContext context) {
        PiiScrubber scrubber = new PiiScrubber();
        List<Document> in = context.documents(Port.MAIN);
        List<PiiScrubber.Result> results = ParallelMap.map(context, in, d -> scrubber.scrub(d.text()));
        List<Document> out = new ArrayList<>(in.size());
        for (int i = 0; i < in.size(); i++) {
            PiiScrubber.Result r = results.get(i);
            r.counts().forEach((kind, n) -> context.count(kind.name().toLowerCase(Locale.ROOT), n));
            if (!r.counts().isEmpty()) {
                context.count("documents changed", 1);
            }
            out.add(r.counts().isEmpty() ? in.get(i) : in.get(i).withText(r.text()));
        }
        context.countIn(in.size());
        context.countOut(out.size());
        context.emit(Port.MAIN, new DocumentBatch(out));
    }
}
