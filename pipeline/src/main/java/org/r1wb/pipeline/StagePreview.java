package org.r1wb.pipeline;

import java.util.List;
import org.r1wb.pipeline.stage.StageStats;

/**
 * The first documents that reached a node and what the node made of each: kept (perhaps changed) or dropped, and
 * why. Built by {@link PipelineRunner#preview}.
 *
 * @param nodeId the previewed node
 * @param rows   one row per input document in input order (for a source node: one per output document)
 * @param stats  the node's statistics over all of its input
 */
public record StagePreview(String nodeId, List<Row> rows, StageStats stats) {

    public StagePreview {
        rows = List.copyOf(rows);
    }

    /**
     * One document before and after the node.
     *
     * @param before     the document as it arrived; null for a source node
     * @param after      the document the node passed on under the same id; null when dropped
     * @param dropReason why the node dropped it; null when it was kept
     */
    public record Row(Document before, Document after, String dropReason) {

        /** True when the node dropped the document. */
        public boolean dropped() {
            return after == null;
        }

        /** True when the node kept the document but changed its text. */
        public boolean changed() {
            return before != null && after != null && !before.text().equals(after.text());
        }
    }
}
