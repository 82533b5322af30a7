package org.r1wb.model.recipe;

import org.r1wb.model.adapt.LoraSpec;
import org.r1wb.model.recipe.reward.Reward;
import org.r1wb.model.recipe.reward.Rewards;
import org.r1wb.model.spec.SpecProblem;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The {@code params} each {@link StageKind} understands, with their checks, in one place: the validator and
 * {@code docs/RECIPE.md} both follow this table.
 */
final class StageParams {

    /** Checks one value; returns what is wrong and how to fix it, or {@code null} when it is fine. */
    @FunctionalInterface
    private interface Rule {
        String[] check(Object value);
    }

    /** Stands for the rewards check, which needs the run's rewards (built-ins and plugins'): {@link #check} applies it. */
    private static final Rule REWARDS = v -> null;
    private static final Map<StageKind, Map<String, Rule>> RULES = new LinkedHashMap<>();
    private static final Map<StageKind, Set<String>> REQUIRED = new LinkedHashMap<>();
    private static final Set<String> LORA_KEYS = Set.of("rank", "alpha", "targets");
    /** Distill params that only trace mode reads (sampling and acceptance) and the one only logit mode reads. */
    private static final Set<String> TRACE_ONLY = Set.of("tokenizer", "rewards", "samples", "topP", "maxNewTokens",
            "minReward", "thresholds", "valData", "stopAfter");

    static {
        Rule path = v -> v instanceof String s && !s.isBlank() ? null : problem("must be a path", "write it as a string");
        Rule onError = v -> "skip".equals(v) || "stop".equals(v) ? null : problem("must be \"skip\" or \"stop\"", "use \"skip\"");
        Rule temperature = positive("use 1.0");
        Rule tokens = wholeAtLeast(1, "use 256");
        Rule rewards = REWARDS;
        Rule topP = v -> v instanceof Number n && n.doubleValue() > 0 && n.doubleValue() <= 1 ? null
                : problem("must be in (0, 1] (is " + v + ")", "use 1.0 (every token) or e.g. 0.95");
        Rule stopAfter = v -> v instanceof List<?> list && !list.isEmpty()
                && list.stream().allMatch(e -> e instanceof String s && !s.isBlank()) ? null
                : problem("must be a list of special tokens", "use [\"</answer>\"] or leave it out");
        Rule lora = v -> v instanceof Map<?, ?> map && LORA_KEYS.containsAll(map.keySet()) ? null
                : problem("must be {\"rank\": …, \"alpha\": …, \"targets\": […]}",
                "use {\"rank\": 8, \"alpha\": 16, \"targets\": [\"q_proj\", \"v_proj\"]}");
        RULES.put(StageKind.PRETRAIN, Map.of());
        RULES.put(StageKind.SFT, Map.of("tokenizer", path, "onError", onError, "valData", path, "lora", lora));
        RULES.put(StageKind.GRPO, Map.ofEntries(Map.entry("tokenizer", path),
                Map.entry("groupSize", wholeAtLeast(2, "use 8")), Map.entry("beta", atLeast(0, "use 0.04")),
                Map.entry("clip", between(0, 1, "use 0.2")), Map.entry("iterations", wholeAtLeast(1, "use 1")),
                Map.entry("temperature", temperature), Map.entry("maxNewTokens", tokens), Map.entry("rewards", rewards),
                Map.entry("valData", path), Map.entry("evalEvery", wholeAtLeast(1, "use 10")), Map.entry("lora", lora),
                Map.entry("stopAfter", stopAfter)));
        RULES.put(StageKind.REJECTION_SAMPLE, Map.of("tokenizer", path, "samples", wholeAtLeast(1, "use 8"),
                "temperature", atLeast(0, "use 1.0 (0 samples greedily)"), "topP", topP,
                "maxNewTokens", tokens, "rewards", rewards,
                "minReward", v -> v instanceof Number ? null : problem("must be a number", "use 1.0"),
                "thresholds", StageParams::thresholds, "out", path, "stopAfter", stopAfter));
        RULES.put(StageKind.DPO, Map.of("tokenizer", path, "beta", positive("use 0.1"), "valData", path,
                "lora", lora));
        // the teacher is the stage's input, named like any stage's starting checkpoint; trace mode samples it as a
        // rejection-sample stage does, with the same params
        RULES.put(StageKind.DISTILL, Map.ofEntries(Map.entry("studentModel", path),
                Map.entry("mode", v -> "trace".equals(v) || "logit".equals(v) ? null
                        : problem("must be \"trace\" or \"logit\"", "use \"logit\" or \"trace\" (R1's method)")),
                Map.entry("temperature", temperature),
                Map.entry("alpha", atLeast(0, "use 0 (teacher only) or e.g. 0.5")),
                Map.entry("tokenizer", path), Map.entry("rewards", rewards),
                Map.entry("samples", wholeAtLeast(1, "use 8")),
                Map.entry("topP", topP), Map.entry("maxNewTokens", tokens),
                Map.entry("minReward", v -> v instanceof Number ? null : problem("must be a number", "use 1.0")),
                Map.entry("thresholds", StageParams::thresholds), Map.entry("valData", path),
                Map.entry("stopAfter", stopAfter)));
        RULES.put(StageKind.QUANTIZE, Map.of("bits",
                v -> v instanceof Number n && (n.doubleValue() == 4 || n.doubleValue() == 8) ? null
                        : problem("must be 4 or 8", "use 8 (per-channel int8) or 4 (group-wise)"),
                "groupSize", v -> v instanceof Number n && Set.of(32.0, 64.0, 128.0).contains(n.doubleValue()) ? null
                        : problem("must be 32, 64 or 128", "use 64"),
                "out", path));
        REQUIRED.put(StageKind.SFT, Set.of("tokenizer"));
        REQUIRED.put(StageKind.GRPO, Set.of("tokenizer", "rewards"));
        REQUIRED.put(StageKind.REJECTION_SAMPLE, Set.of("tokenizer", "rewards", "out"));
        REQUIRED.put(StageKind.DPO, Set.of("tokenizer"));
        REQUIRED.put(StageKind.DISTILL, Set.of("studentModel"));
        REQUIRED.put(StageKind.QUANTIZE, Set.of("bits"));
    }

    private StageParams() {
    }

    /** The parameter names {@code kind} understands. */
    static Set<String> names(StageKind kind) {
        return RULES.get(kind).keySet();
    }

    /**
     * Every problem of {@code params} for {@code kind}, under {@code path} ({@code stages[2].params}); reward names
     * must be among {@code rewards}.
     */
    static List<SpecProblem> check(StageKind kind, Map<String, Object> params, String path, Rewards rewards) {
        List<SpecProblem> problems = new ArrayList<>();
        Map<String, Rule> rules = RULES.get(kind);
        for (String required : REQUIRED.getOrDefault(kind, Set.of())) {
            if (!params.containsKey(required)) {
                problems.add(new SpecProblem(path + "." + required, "is missing (" + kind.id() + " needs it)",
                        "add \"" + required + "\" to params"));
            }
        }
        params.forEach((name, value) -> {
            Rule rule = rules.get(name) == REWARDS ? v -> rewards(v, rewards) : rules.get(name);
            if (rule == null) {
                problems.add(new SpecProblem(path + "." + name, "is not a parameter of " + kind.id(),
                        rules.isEmpty() ? "remove it: " + kind.id() + " takes no params"
                                : "remove it or use one of " + new TreeSet<>(rules.keySet())));
                return;
            }
            String[] problem = rule.check(value);
            if (problem != null) {
                problems.add(new SpecProblem(path + "." + name, problem[0], problem[1]));
            }
        });
        if (kind == StageKind.REJECTION_SAMPLE) {
            checkAcceptance(params, path, problems);
        }
        if (kind == StageKind.DISTILL) {
            checkDistillMode(params, path, problems);
        }
        if (rules.containsKey("lora") && params.get("lora") instanceof Map<?, ?>) {
            problems.addAll(lora(params.get("lora")).problems(path + ".lora"));
        }
        if (kind == StageKind.QUANTIZE && params.containsKey("groupSize") && params.get("bits") instanceof Number bits
                && bits.doubleValue() == 8) {
            problems.add(new SpecProblem(path + ".groupSize", "applies only to 4-bit quantization",
                    "remove it (int8 is per channel) or set bits to 4"));
        }
        return problems;
    }

    /**
     * The {@code lora} param as a spec ({@code null} when absent); values of the wrong type read as invalid ones
     * (rank 0, alpha 0, no targets), which {@link LoraSpec#problems} then reports.
     */
    static LoraSpec lora(Object value) {
        if (!(value instanceof Map<?, ?> map)) {
            return null;
        }
        int rank = map.get("rank") instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue()) ? n.intValue() : 0;
        double alpha = map.get("alpha") instanceof Number n ? n.doubleValue() : 0;
        List<String> targets = new ArrayList<>();
        if (map.get("targets") instanceof List<?> list) {
            list.forEach(t -> targets.add(String.valueOf(t)));
        }
        return new LoraSpec(rank, alpha, targets);
    }

    /** Trace mode samples and filters as rejection sampling does; logit mode takes none of those params. */
    private static void checkDistillMode(Map<String, Object> params, String path, List<SpecProblem> problems) {
        if ("trace".equals(params.get("mode"))) {
            for (String required : List.of("tokenizer", "rewards")) {
                if (!params.containsKey(required)) {
                    problems.add(new SpecProblem(path + "." + required, "is missing (distill in trace mode needs it)",
                            "add \"" + required + "\" to params"));
                }
            }
            checkAcceptance(params, path, problems);
            if (params.containsKey("alpha")) {
                problems.add(new SpecProblem(path + ".alpha", "applies only to mode \"logit\"",
                        "remove it: a trace-distilled student trains on the traces' cross-entropy alone"));
            }
            return;
        }
        for (String name : TRACE_ONLY) {
            if (params.containsKey(name)) {
                problems.add(new SpecProblem(path + "." + name, "applies only to mode \"trace\"",
                        "remove it, or set \"mode\": \"trace\""));
            }
        }
    }

    /** Rejection sampling keeps by a bound: some must be set, and each threshold must name one of the stage's rewards. */
    private static void checkAcceptance(Map<String, Object> params, String path, List<SpecProblem> problems) {
        if (!params.containsKey("minReward") && !params.containsKey("thresholds")) {
            problems.add(new SpecProblem(path + ".minReward", "rejection-sample has no bound: nothing says which "
                    + "completions to keep", "set \"thresholds\": {\"accuracy\": 1, \"format\": 1} or \"minReward\": 1.0"));
        }
        if (params.get("thresholds") instanceof Map<?, ?> thresholds && params.get("rewards") instanceof List<?> list) {
            Set<String> named = new TreeSet<>();
            for (Object entry : list) {
                if (entry instanceof Map<?, ?> map && map.get("name") instanceof String name) {
                    named.add(name);
                }
            }
            for (Object name : thresholds.keySet()) {
                if (!named.contains(String.valueOf(name))) {
                    problems.add(new SpecProblem(path + ".thresholds." + name, "names a reward the stage does not "
                            + "compute", "add {\"name\": \"" + name + "\"} to rewards, or use one of " + named));
                }
            }
        }
    }

    /** A non-empty map of reward name → the lowest score kept. */
    private static String[] thresholds(Object value) {
        if (!(value instanceof Map<?, ?> map) || map.isEmpty()) {
            return problem("must be a non-empty map of reward name → lowest score kept",
                    "use {\"accuracy\": 1, \"format\": 1}");
        }
        List<String> found = new ArrayList<>();
        map.forEach((name, min) -> {
            if (!(min instanceof Number)) {
                found.add(name + " must be a number (is " + min + ")");
            }
        });
        return found.isEmpty() ? null : problem(String.join("; ", found), "write each threshold as a number");
    }

    /** A list of {@code {"name": …, "weight": …, "params": {…}}}, each naming a known reward with good params. */
    private static String[] rewards(Object value, Rewards known) {
        if (!(value instanceof List<?> list) || list.isEmpty()) {
            return problem("must be a non-empty list of rewards", "use [{\"name\": \"accuracy\"}, {\"name\": \"format\"}]");
        }
        List<String> found = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            if (!(list.get(i) instanceof Map<?, ?> entry) || !(entry.get("name") instanceof String name)) {
                found.add("[" + i + "] is not {\"name\": …}");
                continue;
            }
            Reward reward = known.find(name).orElse(null);
            if (reward == null) {
                found.add("[" + i + "] names the unknown reward \"" + name + "\" (known: " + known.names() + ")");
                continue;
            }
            if (entry.get("weight") != null && !(entry.get("weight") instanceof Number)) {
                found.add("[" + i + "].weight must be a number");
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> params = entry.get("params") instanceof Map<?, ?> p ? (Map<String, Object>) p : Map.of();
            for (String param : params.keySet()) {
                if (!reward.parameters().contains(param)) {
                    found.add("[" + i + "].params." + param + " is not a parameter of " + name);
                }
            }
            for (String problem : reward.check(params)) {
                found.add("[" + i + "].params." + problem);
            }
        }
        return found.isEmpty() ? null : problem(String.join("; ", found),
                "name rewards from the list, each with its own parameters");
    }

    private static Rule wholeAtLeast(int min, String fix) {
        return v -> v instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue()) && n.doubleValue() >= min
                ? null : problem("must be a whole number ≥ " + min + " (is " + v + ")", fix);
    }

    private static Rule positive(String fix) {
        return v -> v instanceof Number n && n.doubleValue() > 0 ? null : problem("must be > 0 (is " + v + ")", fix);
    }

    private static Rule atLeast(double min, String fix) {
        return v -> v instanceof Number n && n.doubleValue() >= min ? null
                : problem("must be ≥ " + min + " (is " + v + ")", fix);
    }

    private static Rule between(double low, double high, String fix) {
        return v -> v instanceof Number n && n.doubleValue() > low && n.doubleValue() < high ? null
                : problem("must be in (" + low + ", " + high + ") (is " + v + ")", fix);
    }

    private static String[] problem(String message, String fix) {
        return new String[] {message, fix};
    }
}
