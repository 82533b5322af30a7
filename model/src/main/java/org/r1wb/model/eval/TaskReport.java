package org.r1wb.model.eval;

import java.util.List;

/**
 * What running one task did.
 *
 * @param task        the task's name
 * @param results     its metrics
 * @param requests    requests the task asked (0 when its results were served whole from the cache)
 * @param fromCache   of those, answered from the cache
 * @param computed    of those, answered by the model now
 * @param resultsCached whether the results came from the cache without looking at requests
 * @param samples     per-document records (empty when the results came from the cache)
 */
public record TaskReport(String task, List<EvalResult> results, int requests, int fromCache, int computed,
                         boolean resultsCached, List<SampleRecord> samples) {
}
