package org.r1wb.views.routing;

import java.util.Objects;

/**
 * One {@code routing} event: how one MoE layer spread its tokens over the experts at one step.
 *
 * @param step    the training step
 * @param layer   the layer index, as the model numbers it
 * @param load    share of routed slots per expert (sums to 1)
 * @param cv      coefficient of variation of {@code load}: 0 is a perfect balance
 * @param entropy mean router entropy in nats
 * @param bias    the auxiliary-loss-free selection bias per expert (empty when the model has none)
 */
public record RoutingSample(long step, int layer, double[] load, double cv, double entropy, double[] bias) {

    public RoutingSample {
        Objects.requireNonNull(load, "load");
        bias = bias == null ? new double[0] : bias;
    }

    /** The number of routed experts. */
    public int experts() {
        return load.length;
    }
}
