package org.r1wb.model.recipe;

import org.r1wb.model.recipe.reward.Rewards;
import org.r1wb.model.spec.ModelSpec;
import org.r1wb.model.spec.ModelSpecs;
import org.r1wb.model.spec.SpecProblem;
import org.r1wb.model.spec.SpecValidator;
import org.r1wb.model.train.DataRef;
import org.r1wb.model.train.RunSpec;
import org.r1wb.model.train.RunSpecValidator;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Checks a {@link Recipe} as a whole and reports every problem at once, each with its path
 * ({@code stages[2].params.groupSize}) and a fix. Files it names (model, data, tokenizer, checkpoints) are looked
 * up relative to the recipe's folder.
 */
public final class RecipeValidator {

    private static final Set<StageKind> NEED_DATA = Set.of(StageKind.PRETRAIN, StageKind.SFT, StageKind.GRPO,
            StageKind.REJECTION_SAMPLE, StageKind.DPO, StageKind.DISTILL);
    /** Run spec fields a stage does not set itself (the recipe or the runner does). */
    private static final Set<String> RUNNER_FIELDS = Set.of("id", "stage", "init", "device", "evalEvery",
            "evalBatches", "checkpointEvery", "keepCheckpoints");

    private RecipeValidator() {
    }

    /** Every problem of {@code recipe}, whose file lies in {@code folder}, with the built-in rewards. */
    public static List<SpecProblem> validate(Recipe recipe, Path folder) {
        return validate(recipe, folder, Rewards.builtIn());
    }

    /** Every problem of {@code recipe}, whose file lies in {@code folder}; reward names must be among {@code rewards}. */
    public static List<SpecProblem> validate(Recipe recipe, Path folder, Rewards rewards) {
        List<SpecProblem> problems = new ArrayList<>();
        if (recipe.name() == null || recipe.name().isBlank()) {
            problems.add(new SpecProblem("name", "is missing", "name the recipe, e.g. \"r1-tiny\""));
        }
        ModelSpec model = model(recipe, folder, problems);
        if (recipe.stages().isEmpty()) {
            problems.add(new SpecProblem("stages", "is empty", "add a stage, e.g. {\"kind\": \"pretrain\", ...}"));
        }
        Map<String, Integer> seen = new HashMap<>();
        // an earlier rejection-sample stage writes its SFT set: a later stage may read it before it exists
        Set<Path> written = new HashSet<>();
        for (int i = 0; i < recipe.stages().size(); i++) {
            RecipeStage stage = recipe.stages().get(i);
            String path = "stages[" + i + "]";
            if (stage.name() == null || stage.name().isBlank()) {
                problems.add(new SpecProblem(path + ".name", "is missing", "name the stage, e.g. \"cold-start\""));
            } else if (seen.putIfAbsent(stage.name(), i) != null) {
                problems.add(new SpecProblem(path + ".name", "\"" + stage.name() + "\" is already stages["
                        + seen.get(stage.name()) + "]'s name", "give each stage its own name, e.g. \"" + stage.name()
                        + "-2\""));
            }
            StageKind kind = StageKind.of(stage.kind()).orElse(null);
            if (kind == null) {
                problems.add(new SpecProblem(path + ".kind", stage.kind() == null ? "is missing"
                        : "unknown stage kind \"" + stage.kind() + "\"", "use one of " + Arrays.stream(StageKind.values())
                        .map(StageKind::id).collect(Collectors.joining(", "))));
                continue;
            }
            checkInput(recipe, i, kind, folder, problems);
            if (NEED_DATA.contains(kind) && !written.contains(normal(folder, stage.data()))) {
                existing(folder, stage.data(), path + ".data", "the " + kind.id() + " data", problems);
            }
            if (kind == StageKind.REJECTION_SAMPLE && stage.params().get("out") instanceof String out) {
                written.add(normal(folder, out));
            }
            if (kind.trains()) {
                checkTraining(stage, kind, model, path, problems);
            }
            problems.addAll(StageParams.check(kind, stage.params(), path + ".params", rewards));
            if (kind == StageKind.DISTILL && stage.params().get("studentModel") instanceof String student) {
                checkStudent(folder, student, model, stage, path, problems);
            }
            for (String file : new String[] {"tokenizer", "valData"}) {
                if (stage.params().get(file) instanceof String value) {
                    existing(folder, value, path + ".params." + file, "the " + file, problems);
                }
            }
        }
        return problems;
    }

    private static Path normal(Path folder, String file) {
        return file == null ? null : folder.resolve(file).toAbsolutePath().normalize();
    }

    private static ModelSpec model(Recipe recipe, Path folder, List<SpecProblem> problems) {
        if (recipe.model() == null || recipe.model().isBlank()) {
            problems.add(new SpecProblem("model", "is missing", "name the model file, e.g. \"models/tiny.model.json\""));
            return null;
        }
        Path file = folder.resolve(recipe.model());
        if (!Files.isRegularFile(file)) {
            problems.add(new SpecProblem("model", "no file at " + file, "name a *.model.json relative to the recipe"));
            return null;
        }
        try {
            ModelSpec spec = ModelSpecs.load(file);
            for (SpecProblem problem : SpecValidator.validate(spec)) {
                problems.add(new SpecProblem("model(" + recipe.model() + ")." + problem.path(), problem.message(),
                        problem.fix()));
            }
            return spec;
        } catch (IOException e) {
            problems.add(new SpecProblem("model", e.getMessage(), "fix the model file"));
            return null;
        }
    }

    /** The input must be an earlier stage or a checkpoint folder; only a first pretrain stage may go without. */
    private static void checkInput(Recipe recipe, int index, StageKind kind, Path folder, List<SpecProblem> problems) {
        RecipeStage stage = recipe.stages().get(index);
        String path = "stages[" + index + "].input";
        if (stage.input() == null) {
            if (index == 0 && kind != StageKind.PRETRAIN) {
                problems.add(new SpecProblem(path, "missing input checkpoint: " + kind.id()
                        + " starts from a trained model and no stage comes before it",
                        "add a pretrain stage before it, or set input to a checkpoint folder (…/checkpoints/final)"));
            }
            return;
        }
        for (int j = 0; j < recipe.stages().size(); j++) {
            if (stage.input().equals(recipe.stages().get(j).name())) {
                if (j >= index) {
                    problems.add(new SpecProblem(path, "stage \"" + stage.input() + "\" does not come before this one",
                            "name an earlier stage, or move this stage after it"));
                }
                return;
            }
        }
        existing(folder, stage.input(), path, "an earlier stage or a checkpoint folder", problems);
    }

    /**
     * A distill stage's student: a valid model file whose vocabulary is the teacher's (logits are compared id by id)
     * and whose positions cover the stage's windows.
     */
    private static void checkStudent(Path folder, String file, ModelSpec teacher, RecipeStage stage, String path,
                                     List<SpecProblem> problems) {
        String where = path + ".params.studentModel";
        if (!Files.isRegularFile(folder.resolve(file))) {
            existing(folder, file, where, "the student's *.model.json", problems);
            return;
        }
        ModelSpec student;
        try {
            student = ModelSpecs.load(folder.resolve(file));
        } catch (IOException e) {
            problems.add(new SpecProblem(where, e.getMessage(), "fix the student's model file"));
            return;
        }
        for (SpecProblem problem : SpecValidator.validate(student)) {
            problems.add(new SpecProblem(where + "(" + file + ")." + problem.path(), problem.message(), problem.fix()));
        }
        if (teacher != null && student.vocabSize() != teacher.vocabSize()) {
            problems.add(new SpecProblem(where, "the student's vocabSize " + student.vocabSize() + " differs from the "
                    + "teacher's " + teacher.vocabSize() + ": distillation compares next-token distributions id by id",
                    "set vocabSize to " + teacher.vocabSize() + " in " + file));
        }
        if (stage.seqLen() != null && stage.seqLen() > student.maxSeqLen()) {
            problems.add(new SpecProblem(path + ".seqLen", "is longer than the student's maxSeqLen "
                    + student.maxSeqLen(), "use seqLen ≤ " + student.maxSeqLen()
                    + " or raise the student's maxSeqLen"));
        }
    }

    /** Steps, batch, sequence and optimizer, checked by the run spec's own validator. */
    private static void checkTraining(RecipeStage stage, StageKind kind, ModelSpec model, String path,
                                      List<SpecProblem> problems) {
        if (stage.steps() == null || stage.batchSize() == null || stage.seqLen() == null) {
            problems.add(new SpecProblem(path, kind.id() + " trains: steps, batchSize and seqLen are required",
                    "add e.g. \"steps\": 200, \"batchSize\": 8, \"seqLen\": 64"));
            return;
        }
        RunSpec run = new RunSpec("check", model, new DataRef(stage.data(), null), RunSpec.PRETRAIN,
                stage.optimizer(), stage.steps(), stage.batchSize(), stage.seqLen(), 0, 0, 1, 0, 0, null);
        for (SpecProblem problem : RunSpecValidator.validate(run)) {
            String field = problem.path();
            // the model's own problems are reported once, under "model"
            if (!RUNNER_FIELDS.contains(field) && !field.startsWith("model")) {
                problems.add(new SpecProblem(path + "." + field, problem.message(), problem.fix()));
            }
        }
    }

    private static void existing(Path folder, String value, String path, String what, List<SpecProblem> problems) {
        if (value == null || value.isBlank()) {
            problems.add(new SpecProblem(path, "is missing", "name " + what));
        } else if (!Files.exists(folder.resolve(value))) {
            problems.add(new SpecProblem(path, "nothing at " + folder.resolve(value).normalize(),
                    "name " + what + ", relative to the recipe's folder"));
        }
    }
}
