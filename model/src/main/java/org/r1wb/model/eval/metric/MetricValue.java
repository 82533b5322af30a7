package org.r1wb.model.eval.metric;

/** A metric's value over a task, with its standard error ({@code 0} when it has none, e.g. one sample). */
public record MetricValue(String name, double value, double stderr) {
}
