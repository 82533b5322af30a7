package org.r1wb.pipeline.stage;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What one node did.
 *
 * @param nodeId   the node in the pipeline file
 * @param stageId  its stage type
 * @param in       records read (documents in, or lines for readers)
 * @param out      documents (or items) passed on
 * @param dropped  dropped records by reason
 * @param counts   events that changed records without dropping them, by name (e.g. {@code email} replaced)
 * @param warnings the first warnings (e.g. {@code data/raw/a.jsonl:3: invalid JSON ...}); counts are in dropped
 * @param millis   wall time
 */
public record StageStats(String nodeId, String stageId, long in, long out, Map<String, Long> dropped,
                         Map<String, Long> counts, List<String> warnings, long millis) {

    public StageStats {
        // sorted by name: stats.json is then the same bytes whichever JVM, thread or shard counted first
        dropped = sorted(dropped);
        // stats.json files written before counts existed read back with none
        counts = counts == null ? Map.of() : sorted(counts);
        warnings = List.copyOf(warnings);
    }

    private static Map<String, Long> sorted(Map<String, Long> counts) {
        return Collections.unmodifiableMap(new TreeMap<>(counts));
    }
}
