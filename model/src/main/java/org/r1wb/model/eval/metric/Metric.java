package org.r1wb.model.eval.metric;

import org.r1wb.model.eval.task.OutputType;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A metric over a task's samples, found through {@link java.util.ServiceLoader}: a plugin adds one by
 * listing its class in {@code META-INF/services/org.r1wb.model.eval.metric.Metric}.
 */
public interface Metric {

    /** The name tasks use in their {@code metrics} list, e.g. {@code exact_match}. */
    String name();

    /** The output types whose samples carry what this metric needs. */
    Set<OutputType> accepts();

    /** The parameter names this metric understands (anything else in a task's YAML is an error). */
    default Set<String> parameters() {
        return Set.of();
    }

    /** Aggregates the samples into a value and its standard error; {@code params} are the task's settings for it. */
    MetricValue compute(List<Sample> samples, Map<String, Object> params);
}
