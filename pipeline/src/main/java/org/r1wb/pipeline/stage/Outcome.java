package org.r1wb.pipeline.stage;

import java.util.Map;
import java.util.Objects;
import org.r1wb.pipeline.Document;

/**
 * What a {@link PerDocumentStage} decided about one document.
 *
 * @param document   the document passed on (possibly with new text), or null when dropped
 * @param dropReason why it was dropped (a statistics key such as {@code too short}), or null when kept
 * @param counts     events on this document that changed it without dropping it, e.g. {@code email → 2}
 */
public record Outcome(Document document, String dropReason, Map<String, Long> counts) {

    public Outcome {
        if ((document == null) == (dropReason == null)) {
            throw new IllegalArgumentException("an outcome either keeps a document or gives a drop reason");
        }
        counts = Map.copyOf(counts);
    }

    /** Passes {@code document} on. */
    public static Outcome keep(Document document) {
        return new Outcome(Objects.requireNonNull(document), null, Map.of());
    }

    /** Passes {@code document} on, counting what changed in it. */
    public static Outcome keep(Document document, Map<String, Long> counts) {
        return new Outcome(Objects.requireNonNull(document), null, counts);
    }

    /** Drops the document for {@code reason}. */
    public static Outcome drop(String reason) {
        return new Outcome(null, Objects.requireNonNull(reason), Map.of());
    }

    /** True when the document is passed on. */
    public boolean kept() {
        return document != null;
    }
}
