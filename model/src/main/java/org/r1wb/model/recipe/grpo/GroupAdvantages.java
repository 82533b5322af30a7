package org.r1wb.model.recipe.grpo;

/**
 * GRPO's group-relative advantage (Shao et al., DeepSeekMath §4.1): each completion's reward minus its group's
 * mean, divided by the group's standard deviation, so no value model is needed. A group whose rewards are all equal
 * teaches nothing and gets advantages of 0.
 */
public final class GroupAdvantages {

    /** Added to the standard deviation so a near-uniform group does not blow up (TRL uses the same 1e-4). */
    public static final double EPS = 1e-4;

    private GroupAdvantages() {
    }

    /**
     * The advantages of {@code rewards}, laid out as consecutive groups of {@code groupSize} completions of one
     * prompt each: {@code (r − mean) / (std + EPS)}, std the sample standard deviation within the group.
     */
    public static double[] of(double[] rewards, int groupSize) {
        if (groupSize < 2 || rewards.length % groupSize != 0) {
            throw new IllegalArgumentException("rewards (" + rewards.length + ") must come in groups of groupSize ≥ 2 ("
                    + groupSize + ")");
        }
        double[] advantages = new double[rewards.length];
        for (int start = 0; start < rewards.length; start += groupSize) {
            double mean = 0;
            for (int i = start; i < start + groupSize; i++) {
                mean += rewards[i] / groupSize;
            }
            double squares = 0;
            for (int i = start; i < start + groupSize; i++) {
                squares += (rewards[i] - mean) * (rewards[i] - mean);
            }
            double std = Math.sqrt(squares / (groupSize - 1));
            for (int i = start; i < start + groupSize; i++) {
                advantages[i] = (rewards[i] - mean) / (std + EPS);
            }
        }
        return advantages;
    }
}
