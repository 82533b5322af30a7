package org.r1wb.pipeline;

import java.util.List;

/**
 * How one streamed chain of nodes went (see {@link PipelineListener#onStreamFinished}).
 *
 * @param nodes         the chain, reader (or first stage) first
 * @param maxInFlight   the bound on documents in flight
 * @param peakInFlight  the most documents that were in flight at once
 * @param workerThreads distinct threads that did per-document work
 */
public record StreamReport(List<String> nodes, int maxInFlight, int peakInFlight, int workerThreads) {

    public StreamReport {
        nodes = List.copyOf(nodes);
    }
}
