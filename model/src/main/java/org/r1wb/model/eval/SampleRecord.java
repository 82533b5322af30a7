package org.r1wb.model.eval;

/**
 * One document as the sample browser shows it.
 *
 * @param doc       index in the task
 * @param prompt    what the model saw (few-shot context included)
 * @param target    the reference (or the right choice)
 * @param output    the model's first output (or its chosen choice, or its summed nll for log-likelihood tasks)
 * @param extracted the answer taken from the output, {@code null} if none
 * @param correct   whether it counts as right; {@code null} where the task has no notion of right
 */
public record SampleRecord(int doc, String prompt, String target, String output, String extracted, Boolean correct) {
}
