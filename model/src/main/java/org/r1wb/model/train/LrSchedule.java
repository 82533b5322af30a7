package org.r1wb.model.train;

/** Linear warmup from 0 to {@code lr} over {@code warmupSteps}, then cosine decay to {@code minLr} at the last step. */
public record LrSchedule(double lr, double minLr, int warmupSteps, int totalSteps) {

    /** The schedule of {@code optimizer} over {@code totalSteps}. */
    public static LrSchedule of(OptimizerSpec optimizer, int totalSteps) {
        return new LrSchedule(optimizer.lr(), optimizer.minLr(), optimizer.warmupSteps(), totalSteps);
    }

    /** Learning rate of step {@code step} (1-based). */
    public double at(int step) {
        if (step <= warmupSteps) {
            return lr * step / warmupSteps;
        }
        int decaySteps = totalSteps - warmupSteps;
        if (decaySteps <= 0) {
            return lr;
        }
        double progress = Math.min(1.0, (double) (step - warmupSteps) / decaySteps);
        return minLr + 0.5 * (lr - minLr) * (1 + Math.cos(Math.PI * progress));
    }
}
