package org.r1wb.workbench.recipe;

import org.r1wb.model.recipe.StageKind;

import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * One chart of a recipe stage's curves: its title, y axis label, whether the smoothing control applies, and which
 * of the stage's metrics it draws (by name, so that each configured reward's {@code reward_<name>} and
 * {@code val_<name>} find their chart whatever the rewards are called).
 *
 * @param title    the chart's title
 * @param unit     the y axis label
 * @param smoothed whether the smoothing control applies (noisy per-step series; not sparse held-out points)
 * @param draws    which metric names the chart draws
 */
public record StageCurvePanel(String title, String unit, boolean smoothed, Predicate<String> draws) {

    /** Held-out figures that are not scores: they have charts of their own, or none. */
    private static final Set<String> HELD_OUT_EXTRAS = Set.of("val_loss", "val_kl", "val_ce", "val_completion_length",
            "val_prompts", "val_s", "val_margin", "val_logp_margin");

    /** The charts of a stage of {@code kind}, in reading order (three to a row). */
    public static List<StageCurvePanel> of(StageKind kind) {
        return switch (kind) {
            case GRPO -> List.of(
                    new StageCurvePanel("Reward (training rollouts)", "mean reward", true,
                            n -> n.equals("reward") || n.startsWith("reward_") && !n.endsWith("_std")),
                    new StageCurvePanel("Held-out reward (every k steps)", "mean score", false, StageCurvePanel::heldOutScore),
                    new StageCurvePanel("KL to reference", "k3 KL", true, named("kl")),
                    // not smoothed: the held-out points beside the training line would be drawn lagging
                    new StageCurvePanel("Completion length", "tokens", false,
                            named("completion_length", "val_completion_length")),
                    new StageCurvePanel("Clip fraction", "fraction clipped", true, named("clip_fraction")),
                    new StageCurvePanel("Loss (clipped objective + β·KL)", "loss", true, named("loss")));
            case DPO -> List.of(
                    new StageCurvePanel("Loss", "loss", true, named("loss", "val_loss")),
                    new StageCurvePanel("Implicit-reward margin", "margin", true, named("margin", "val_margin")),
                    new StageCurvePanel("Preference accuracy", "accuracy", true, named("accuracy", "val_accuracy")),
                    new StageCurvePanel("Implicit rewards", "reward", true, named("chosen_reward", "rejected_reward")),
                    new StageCurvePanel("Learning rate", "lr", false, named("lr")),
                    new StageCurvePanel("Gradient norm", "‖g‖", true, named("grad_norm")));
            case REJECTION_SAMPLE -> List.of(
                    new StageCurvePanel("Acceptance rate (cumulative)", "accepted / sampled", false,
                            named("acceptance_rate")),
                    new StageCurvePanel("Samples per prompt", "samples", false,
                            named("total", "accepted", "kept", "duplicates")),
                    new StageCurvePanel("Time per prompt", "s", true, named("prompt_s")));
            case DISTILL -> List.of(
                    new StageCurvePanel("Loss", "loss", true, named("loss", "val_loss")),
                    new StageCurvePanel("KL to the teacher", "KL", true, named("kl", "val_kl")),
                    new StageCurvePanel("Cross-entropy", "nats", true, named("ce", "val_ce")),
                    new StageCurvePanel("Held-out reward", "mean score", false, StageCurvePanel::heldOutScore),
                    new StageCurvePanel("Learning rate", "lr", false, named("lr")),
                    new StageCurvePanel("Throughput", "tokens/s", true, named("tokens_per_s")));
            case PRETRAIN, SFT, QUANTIZE -> List.of(
                    new StageCurvePanel("Loss", "loss", true, named("loss", "val_loss")),
                    new StageCurvePanel("Learning rate", "lr", false, named("lr")),
                    new StageCurvePanel("Gradient norm", "‖g‖", true, named("grad_norm")),
                    new StageCurvePanel("Throughput", "tokens/s", true, named("tokens_per_s")),
                    new StageCurvePanel("Balance (aux) loss", "aux loss", true, named("aux_loss")));
        };
    }

    /** Whether a stage of {@code kind} has curves: every kind that trains or samples, not quantize. */
    public static boolean hasCurves(StageKind kind) {
        return kind != StageKind.QUANTIZE;
    }

    /** {@code val_reward} and each reward's {@code val_<name>}: the held-out scores. */
    private static boolean heldOutScore(String name) {
        return name.startsWith("val_") && !HELD_OUT_EXTRAS.contains(name);
    }

    private static Predicate<String> named(String... names) {
        Set<String> set = Set.of(names);
        return set::contains;
    }
}
