package org.r1wb.workbench.workspace;

import org.r1wb.workbench.eval.EvaluationsViewModel;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * Lists a workspace folder as the project tree shows it: pipelines, models, recipes (when there are any), runs and
 * evals.
 *
 * <p>Only directory listings, no file contents, so it is cheap enough to run on the FX thread.
 */
public final class WorkspaceScanner {

    private static final String PIPELINE_SUFFIX = ".pipeline.json";
    private static final String MODEL_SUFFIX = ".model.json";
    private static final String RECIPE_SUFFIX = ".recipe.json";

    private WorkspaceScanner() {
    }

    /** The tree of {@code root}: the workspace entry with one group per kind, in a fixed order. */
    public static WorkspaceItem scan(Path root) throws IOException {
        if (!Files.isDirectory(root)) {
            throw new IOException("workspace folder " + root + " does not exist or is not a folder");
        }
        List<WorkspaceItem> groups = new ArrayList<>(List.of(
                group("Pipelines", root.resolve("pipelines"), files(root.resolve("pipelines"),
                        name -> name.endsWith(PIPELINE_SUFFIX), ItemKind.PIPELINE, PIPELINE_SUFFIX)),
                group("Models", root.resolve("models"), files(root.resolve("models"),
                        name -> name.endsWith(MODEL_SUFFIX), ItemKind.MODEL, MODEL_SUFFIX)),
                group("Runs", root.resolve("runs"), runs(root.resolve("runs"))),
                evals(root)));
        List<WorkspaceItem> recipes = recipes(root);
        if (!recipes.isEmpty()) {
            // only when there are recipes: most workspaces have none, and their tree stays as it was
            groups.add(2, group("Recipes", root.resolve("recipes"), recipes));
        }
        Path name = root.toAbsolutePath().getFileName();
        // no detail: the status bar shows the full path, the tree stays narrow
        return new WorkspaceItem(ItemKind.WORKSPACE, name == null ? root.toString() : name.toString(), "", root,
                groups);
    }

    private static WorkspaceItem group(String label, Path folder, List<WorkspaceItem> children) {
        return new WorkspaceItem(ItemKind.GROUP, label, String.valueOf(children.size()), folder, children);
    }

    private static List<WorkspaceItem> files(Path folder, Predicate<String> accept, ItemKind kind, String suffix)
            throws IOException {
        List<WorkspaceItem> items = new ArrayList<>();
        for (Path file : sortedChildren(folder)) {
            String name = file.getFileName().toString();
            if (Files.isRegularFile(file) && accept.test(name)) {
                items.add(suffix.isEmpty()
                        ? WorkspaceItem.leaf(kind, name, "", file)
                        : WorkspaceItem.leaf(kind, name.substring(0, name.length() - suffix.length()), name, file));
            }
        }
        return items;
    }

    /** The stored results first (they open the Evaluations tab), then the task and suite files, which the count counts. */
    private static WorkspaceItem evals(Path root) throws IOException {
        List<WorkspaceItem> files = files(root.resolve("evals"), name -> !name.startsWith("."), ItemKind.EVAL, "");
        List<WorkspaceItem> items = new ArrayList<>();
        items.add(WorkspaceItem.leaf(ItemKind.EVALUATIONS, "Evaluations", "results",
                root.resolve(EvaluationsViewModel.STORE)));
        items.addAll(files);
        return new WorkspaceItem(ItemKind.GROUP, "Evals", String.valueOf(files.size()), root.resolve("evals"), items);
    }

    /**
     * Recipes in {@code recipes/} and in the workspace folder itself, where {@code r1wb recipe run} puts their runs in
     * the workspace's {@code runs/}.
     */
    private static List<WorkspaceItem> recipes(Path root) throws IOException {
        List<WorkspaceItem> items = new ArrayList<>(files(root.resolve("recipes"),
                name -> name.endsWith(RECIPE_SUFFIX), ItemKind.RECIPE, RECIPE_SUFFIX));
        items.addAll(files(root, name -> name.endsWith(RECIPE_SUFFIX), ItemKind.RECIPE, RECIPE_SUFFIX));
        return items;
    }

    private static List<WorkspaceItem> runs(Path folder) throws IOException {
        List<WorkspaceItem> items = new ArrayList<>();
        for (Path dir : sortedChildren(folder)) {
            if (Files.isDirectory(dir) && !dir.getFileName().toString().startsWith(".")) {
                String id = dir.getFileName().toString();
                items.add(WorkspaceItem.leaf(ItemKind.RUN, id, "", dir));
            }
        }
        return items;
    }

    private static List<Path> sortedChildren(Path folder) throws IOException {
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        try (Stream<Path> children = Files.list(folder)) {
            return children.sorted(Comparator.comparing(p -> p.getFileName().toString())).toList();
        }
    }
}
