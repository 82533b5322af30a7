package org.r1wb.model.eval.metric;

import java.util.List;

/**
 * What a metric sees of one document after the model answered: the references, the model's outputs and
 * the numbers behind them. Fields an output type does not produce are empty or zero.
 *
 * @param targets      reference answers, already normalised the way the task asks
 * @param outputs      generated continuations (one per sample), cut at the first stop string
 * @param answers      the answer extracted from each output and normalised, {@code null} where none was found
 * @param choiceNll    multiple choice: negative log-likelihood (nats) of each choice given the prompt
 * @param choiceBytes  multiple choice: UTF-8 length of each choice, for the length-normalised accuracy
 * @param gold         multiple choice: index of the right choice
 * @param nll          rolling or single log-likelihood: summed negative log-likelihood (nats) of the document
 * @param tokens       log-likelihood: tokens predicted
 * @param bytes        log-likelihood: UTF-8 bytes of the scored text
 * @param words        log-likelihood: whitespace-separated words of the scored text
 * @param passed       code tasks: whether each output passed the task's checker
 */
public record Sample(List<String> targets, List<String> outputs, List<String> answers, double[] choiceNll,
                     int[] choiceBytes, int gold, double nll, long tokens, long bytes, long words, boolean[] passed) {

    private static final double[] NO_DOUBLES = new double[0];
    private static final int[] NO_INTS = new int[0];
    private static final boolean[] NO_BOOLEANS = new boolean[0];

    /** A generated answer (or several samples of one) against its references. */
    public static Sample generated(List<String> targets, List<String> outputs, List<String> answers, boolean[] passed) {
        return new Sample(targets, outputs, answers, NO_DOUBLES, NO_INTS, -1, 0, 0, 0, 0,
                passed == null ? NO_BOOLEANS : passed);
    }

    /** A multiple-choice question scored by the log-likelihood of each choice. */
    public static Sample choice(double[] choiceNll, int[] choiceBytes, int gold) {
        return new Sample(List.of(), List.of(), List.of(), choiceNll, choiceBytes, gold, 0, 0, 0, 0, NO_BOOLEANS);
    }

    /** A text scored by its log-likelihood (a whole document, or a continuation given its prompt). */
    public static Sample rolling(double nll, long tokens, long bytes, long words) {
        return new Sample(List.of(), List.of(), List.of(), NO_DOUBLES, NO_INTS, -1, nll, tokens, bytes, words, NO_BOOLEANS);
    }
}
