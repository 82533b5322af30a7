package org.r1wb.model.eval.metric;

/**
 * Multiple choice with the log-likelihood divided by each choice's length in UTF-8 bytes, so long choices
 * are not penalised for having more tokens (lm-evaluation-harness's {@code acc_norm}).
 */
public final class AccuracyNorm extends Accuracy {

    @Override
    public String name() {
        return "acc_norm";
    }

    @Override
    double score(Sample sample, int choice) {
        return sample.choiceNll()[choice] / Math.max(1, sample.choiceBytes()[choice]);
    }
}
