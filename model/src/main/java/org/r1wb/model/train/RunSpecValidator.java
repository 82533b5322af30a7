package org.r1wb.model.train;

import org.r1wb.model.spec.SpecProblem;
import org.r1wb.model.spec.SpecValidator;

import java.util.ArrayList;
import java.util.List;

/** Checks a {@link RunSpec} and its inline model spec, reporting every problem at once. */
public final class RunSpecValidator {

    private RunSpecValidator() {
    }

    /** Every problem of {@code run}, model problems under {@code model.}. */
    public static List<SpecProblem> validate(RunSpec run) {
        List<SpecProblem> problems = new ArrayList<>();
        if (run.id() == null || run.id().isBlank()) {
            problems.add(new SpecProblem("id", "is missing", "name the run, e.g. \"sample-1\""));
        }
        if (run.model() == null) {
            problems.add(new SpecProblem("model", "is missing", "inline a model spec"));
        } else {
            for (SpecProblem problem : SpecValidator.validate(run.model())) {
                problems.add(new SpecProblem("model." + problem.path(), problem.message(), problem.fix()));
            }
        }
        if (!RunSpec.PRETRAIN.equals(run.stage()) && !RunSpec.SFT.equals(run.stage())) {
            problems.add(new SpecProblem("stage", "\"" + run.stage() + "\" is not supported by this trainer",
                    "use \"pretrain\" or \"sft\""));
        } else if (RunSpec.SFT.equals(run.stage()) && (run.init() == null || run.init().isBlank())) {
            problems.add(new SpecProblem("init", "is missing: fine-tuning starts from a trained checkpoint",
                    "name the checkpoint folder, e.g. \"../pretrain/checkpoints/final\""));
        }
        if (!RunSpec.CPU.equals(run.device())) {
            problems.add(new SpecProblem("device", "\"" + run.device() + "\" is not supported by this trainer", "use \"cpu\""));
        }
        if (!RunSpec.FP32.equals(run.precision()) && !RunSpec.BF16.equals(run.precision())) {
            problems.add(new SpecProblem("precision", "\"" + run.precision() + "\" is not supported",
                    "use \"fp32\" or \"bf16\" (bf16 autocast of the matrix products, fp32 weights)"));
        }
        OptimizerSpec opt = run.optimizer();
        if (opt == null) {
            problems.add(new SpecProblem("optimizer", "is missing", "add {\"lr\": 3e-3, \"minLr\": 3e-4, ...}"));
        } else {
            if (!(opt.lr() > 0)) {
                problems.add(new SpecProblem("optimizer.lr", "must be > 0", "use e.g. 3e-3 for a small model"));
            }
            if (!(opt.minLr() >= 0) || opt.minLr() > opt.lr()) {
                problems.add(new SpecProblem("optimizer.minLr", "must be in [0, lr]", "use lr / 10"));
            }
            if (!(opt.weightDecay() >= 0)) {
                problems.add(new SpecProblem("optimizer.weightDecay", "must be ≥ 0", "use 0.1"));
            }
            if (!(opt.beta1() > 0 && opt.beta1() < 1)) {
                problems.add(new SpecProblem("optimizer.beta1", "must be in (0, 1)", "use 0.9"));
            }
            if (!(opt.beta2() > 0 && opt.beta2() < 1)) {
                problems.add(new SpecProblem("optimizer.beta2", "must be in (0, 1)", "use 0.95"));
            }
            if (opt.warmupSteps() < 0) {
                problems.add(new SpecProblem("optimizer.warmupSteps", "must be ≥ 0", "use about 5% of steps"));
            }
            if (!(opt.gradClip() >= 0)) {
                problems.add(new SpecProblem("optimizer.gradClip", "must be ≥ 0 (0 turns clipping off)", "use 1.0"));
            }
        }
        positive(problems, "steps", run.steps());
        positive(problems, "batchSize", run.batchSize());
        if (run.seqLen() < 1) {
            problems.add(new SpecProblem("seqLen", "must be ≥ 1", "use the model's maxSeqLen"));
        } else if (run.model() != null && run.seqLen() > run.model().maxSeqLen()) {
            problems.add(new SpecProblem("seqLen", "must be ≤ model.maxSeqLen (" + run.model().maxSeqLen() + ")",
                    "use " + run.model().maxSeqLen() + " or raise model.maxSeqLen"));
        }
        if (run.gradAccumulation() < 1) {
            problems.add(new SpecProblem("gradAccumulation", "must be ≥ 1 (is " + run.gradAccumulation() + ")",
                    "use 1 for one batch per step, or k to sum the gradients of k micro-batches of batchSize"));
        }
        if (run.lora() != null) {
            problems.addAll(run.lora().problems("lora"));
        }
        nonNegative(problems, "evalEvery", run.evalEvery());
        positive(problems, "evalBatches", run.evalBatches());
        nonNegative(problems, "checkpointEvery", run.checkpointEvery());
        nonNegative(problems, "keepCheckpoints", run.keepCheckpoints());
        return problems;
    }

    private static void positive(List<SpecProblem> problems, String path, int value) {
        if (value <= 0) {
            problems.add(new SpecProblem(path, "must be > 0 (is " + value + ")", "use a positive whole number"));
        }
    }

    private static void nonNegative(List<SpecProblem> problems, String path, int value) {
        if (value < 0) {
            problems.add(new SpecProblem(path, "must be ≥ 0 (is " + value + ")", "use 0 or a positive whole number"));
        }
    }
}
