package org.r1wb.model.spec;

import java.util.ArrayList;
import java.util.List;

/** Checks a {@link ModelSpec} as a whole and reports every problem at once, each with its path and a fix. */
public final class SpecValidator {

    private SpecValidator() {
    }

    /** Every problem of {@code spec}; empty when it can be built and trained. */
    public static List<SpecProblem> validate(ModelSpec spec) {
        List<SpecProblem> problems = new ArrayList<>();
        if (spec == null) {
            problems.add(new SpecProblem("", "the model spec is missing", "write a model spec"));
            return problems;
        }
        positive(problems, "vocabSize", spec.vocabSize());
        positive(problems, "dModel", spec.dModel());
        positive(problems, "layers", spec.layers());
        positive(problems, "heads", spec.heads());
        positive(problems, "kvHeads", spec.kvHeads());
        positive(problems, "headDim", spec.headDim());
        if (spec.heads() > 0 && spec.kvHeads() > 0 && spec.heads() % spec.kvHeads() != 0) {
            problems.add(new SpecProblem("kvHeads", "must divide heads (" + spec.heads() + ")",
                    "use a divisor of " + spec.heads() + ", e.g. " + largestDivisorAtMost(spec.heads(), spec.kvHeads())));
        }
        if (spec.headDim() > 0 && spec.headDim() % 2 != 0) {
            problems.add(new SpecProblem("headDim", "must be even (rotary embedding rotates pairs)",
                    "use " + (spec.headDim() + 1)));
        }
        if (!(spec.ropeTheta() > 0)) {
            problems.add(new SpecProblem("ropeTheta", "must be > 0", "use 10000"));
        }
        if (spec.maxSeqLen() < 2) {
            problems.add(new SpecProblem("maxSeqLen", "must be ≥ 2", "use e.g. 128"));
        }
        if (!(spec.normEps() > 0 && spec.normEps() < 1)) {
            problems.add(new SpecProblem("normEps", "must be in (0, 1)", "use 1e-5"));
        }
        if (!(spec.dropout() >= 0 && spec.dropout() < 1)) {
            problems.add(new SpecProblem("dropout", "must be in [0, 1)", "use 0.0"));
        }
        if (spec.denseLayers() < 0 || spec.denseLayers() > spec.layers()) {
            problems.add(new SpecProblem("denseLayers", "must be in [0, layers (" + spec.layers() + ")]",
                    "use a value between 0 and " + Math.max(0, spec.layers())));
        }
        if (spec.layerKinds() == null) {
            validateUniformLayers(spec, problems);
        } else {
            validateLayerKinds(spec, problems);
        }
        return problems;
    }

    private static void validateUniformLayers(ModelSpec spec, List<SpecProblem> problems) {
        if (spec.denseLayers() > 0 && spec.ffnHidden() <= 0) {
            problems.add(new SpecProblem("ffnHidden", "must be > 0 when denseLayers > 0",
                    "use about 3 × dModel, e.g. " + Math.max(1, 3 * spec.dModel())));
        }
        if (spec.denseLayers() < spec.layers()) {
            if (spec.moe() == null) {
                problems.add(new SpecProblem("moe", "is required when denseLayers (" + spec.denseLayers()
                        + ") < layers (" + spec.layers() + ")",
                        "add a moe section or set denseLayers to " + spec.layers()));
            } else {
                validateMoe(spec.moe(), problems);
            }
        }
    }

    private static void validateLayerKinds(ModelSpec spec, List<SpecProblem> problems) {
        List<LayerKind> kinds = spec.layerKinds();
        if (kinds.size() != spec.layers()) {
            problems.add(new SpecProblem("layerKinds", "has " + kinds.size() + " entries but layers is "
                    + spec.layers(), "give one entry per layer, or set layers to " + kinds.size()));
        }
        boolean anyDense = false;
        boolean anyMoe = false;
        for (int i = 0; i < kinds.size(); i++) {
            String path = "layerKinds[" + i + "]";
            LayerKind kind = kinds.get(i);
            if (kind == null) {
                problems.add(new SpecProblem(path, "is missing", "write {\"ffn\": \"DENSE\", \"kvHeads\": "
                        + Math.max(1, spec.heads()) + "}"));
                continue;
            }
            if (kind.ffn() == null) {
                problems.add(new SpecProblem(path + ".ffn", "is missing", "use DENSE or MOE"));
            }
            anyDense |= kind.ffn() == LayerKind.Ffn.DENSE;
            anyMoe |= kind.ffn() == LayerKind.Ffn.MOE;
            if (kind.kvHeads() <= 0) {
                problems.add(new SpecProblem(path + ".kvHeads", "must be > 0 (is " + kind.kvHeads() + ")",
                        "use a divisor of heads (" + spec.heads() + ")"));
            } else if (spec.heads() > 0 && spec.heads() % kind.kvHeads() != 0) {
                problems.add(new SpecProblem(path + ".kvHeads", "must divide heads (" + spec.heads() + ")",
                        "use a divisor of " + spec.heads() + ", e.g. "
                                + largestDivisorAtMost(spec.heads(), kind.kvHeads())));
            }
            if (kind.ffn() == LayerKind.Ffn.MOE && spec.moe() == null) {
                problems.add(new SpecProblem(path + ".ffn", "is MOE but the spec has no moe section",
                        "add a moe section or make layer " + i + " DENSE"));
            }
        }
        if (anyDense && spec.ffnHidden() <= 0) {
            problems.add(new SpecProblem("ffnHidden", "must be > 0 when a layer is DENSE",
                    "use about 3 × dModel, e.g. " + Math.max(1, 3 * spec.dModel())));
        }
        if (anyMoe && spec.moe() != null) {
            validateMoe(spec.moe(), problems);
        }
    }

    private static void validateMoe(MoeSpec moe, List<SpecProblem> problems) {
        positive(problems, "moe.routedExperts", moe.routedExperts());
        if (moe.sharedExperts() < 0) {
            problems.add(new SpecProblem("moe.sharedExperts", "must be ≥ 0", "use 0 or 1"));
        }
        if (moe.topK() < 1) {
            problems.add(new SpecProblem("moe.topK", "must be ≥ 1", "use 1 or 2"));
        } else if (moe.routedExperts() > 0 && moe.topK() > moe.routedExperts()) {
            problems.add(new SpecProblem("moe.topK", "must be ≤ routedExperts (" + moe.routedExperts() + ")",
                    "use at most " + moe.routedExperts() + " or add experts"));
        }
        positive(problems, "moe.expertHidden", moe.expertHidden());
        if (moe.gate() == null) {
            problems.add(new SpecProblem("moe.gate", "is missing", "use SOFTMAX or SIGMOID"));
        }
        if (moe.balancing() == null) {
            problems.add(new SpecProblem("moe.balancing", "is missing", "use AUX_FREE, AUX_LOSS or NONE"));
        }
        if (!(moe.auxLossWeight() >= 0)) {
            problems.add(new SpecProblem("moe.auxLossWeight", "must be ≥ 0", "use 0.01"));
        } else if (moe.balancing() == Balancing.AUX_LOSS && moe.auxLossWeight() == 0) {
            problems.add(new SpecProblem("moe.auxLossWeight", "must be > 0 with AUX_LOSS balancing",
                    "use 0.01, or set balancing to NONE"));
        }
        if (!(moe.biasUpdateRate() >= 0)) {
            problems.add(new SpecProblem("moe.biasUpdateRate", "must be ≥ 0", "use 0.001"));
        } else if (moe.balancing() == Balancing.AUX_FREE && moe.biasUpdateRate() == 0) {
            problems.add(new SpecProblem("moe.biasUpdateRate", "must be > 0 with AUX_FREE balancing",
                    "use 0.001, or set balancing to NONE"));
        }
    }

    private static void positive(List<SpecProblem> problems, String path, int value) {
        if (value <= 0) {
            problems.add(new SpecProblem(path, "must be > 0 (is " + value + ")", "use a positive whole number"));
        }
    }

    private static int largestDivisorAtMost(int n, int limit) {
        for (int d = Math.min(n, limit); d > 1; d--) {
            if (n % d == 0) {
                return d;
            }
        }
        return 1;
    }
}
