package org.r1wb.model.eval.task;

import com.fasterxml.jackson.databind.JsonNode;
import org.r1wb.model.spec.SpecProblem;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The tasks and suites of a workspace's {@code evals/} folder: every {@code *.yaml} with a {@code task:}
 * key is a task, every one with a {@code suite:} key a suite ({@code suite: name}, {@code tasks: [names]}).
 */
public final class TaskRegistry {

    private final Path dir;
    private final TaskLoader loader;
    private final Map<String, Path> tasks = new TreeMap<>();
    private final Map<String, Suite> suites = new TreeMap<>();

    /** A named group of tasks, declared in {@code file}. */
    public record Suite(String name, String description, List<String> tasks, Path file) {
    }

    private TaskRegistry(Path dir, TaskLoader loader) {
        this.dir = dir;
        this.loader = loader;
    }

    /** Indexes {@code dir} (tasks are read and validated only when asked for). */
    public static TaskRegistry scan(Path dir, TaskLoader loader) {
        TaskRegistry registry = new TaskRegistry(dir, loader);
        if (!Files.isDirectory(dir)) {
            return registry;
        }
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.filter(f -> f.getFileName().toString().endsWith(".yaml")).sorted().toList()) {
                JsonNode root = TaskLoader.parse(file, Files.readAllBytes(file));
                if (root.hasNonNull("suite")) {
                    registry.addSuite(file, root);
                } else if (root.hasNonNull("task")) {
                    Path previous = registry.tasks.put(root.get("task").asText(), file);
                    if (previous != null) {
                        throw new TaskSpecException(file, List.of(new SpecProblem("task", "'" + root.get("task").asText()
                                + "' is also the name of " + previous, "rename one of the two tasks")));
                    }
                } else {
                    throw new TaskSpecException(file, List.of(new SpecProblem("(file)", "has neither 'task:' nor 'suite:'",
                            "start a task with 'task: <name>' or a suite with 'suite: <name>'")));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + dir, e);
        }
        return registry;
    }

    private void addSuite(Path file, JsonNode root) {
        List<String> names = new ArrayList<>();
        JsonNode list = root.get("tasks");
        if (list == null || !list.isArray() || list.isEmpty()) {
            throw new TaskSpecException(file, List.of(new SpecProblem("tasks", "must be a non-empty list of task names",
                    "write 'tasks: [arithmetic-em, heldout-perplexity]'")));
        }
        list.forEach(n -> names.add(n.asText()));
        suites.put(root.get("suite").asText(), new Suite(root.get("suite").asText(), root.path("description").asText(""),
                names, file));
    }

    public Path dir() {
        return dir;
    }

    public Map<String, Path> tasks() {
        return tasks;
    }

    public Map<String, Suite> suites() {
        return suites;
    }

    /** The task named {@code name}, loaded and validated. */
    public EvalTask task(String name) {
        Path file = tasks.get(name);
        if (file == null) {
            throw new IllegalArgumentException("no task '" + name + "' in " + dir + "; tasks: " + tasks.keySet()
                    + TaskLoader.closest(name, tasks.keySet()));
        }
        return loader.load(file);
    }

    /**
     * The tasks of suite {@code name} (or of the single task of that name), loaded; every broken task file
     * is reported at once.
     */
    public List<EvalTask> suite(String name) {
        Suite suite = suites.get(name);
        if (suite == null) {
            if (tasks.containsKey(name)) {
                return List.of(task(name));
            }
            throw new IllegalArgumentException("no suite or task '" + name + "' in " + dir + "; suites: " + suites.keySet()
                    + ", tasks: " + tasks.keySet() + TaskLoader.closest(name, suites.keySet()));
        }
        List<EvalTask> loaded = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        for (String taskName : suite.tasks()) {
            if (!tasks.containsKey(taskName)) {
                errors.add(suite.file() + ": tasks: no task '" + taskName + "' in " + dir + " (fix: use one of "
                        + tasks.keySet() + TaskLoader.closest(taskName, tasks.keySet()) + ")");
                continue;
            }
            try {
                loaded.add(loader.load(tasks.get(taskName)));
            } catch (TaskSpecException e) {
                errors.add(e.getMessage());
            }
        }
        if (!errors.isEmpty()) {
            throw new IllegalArgumentException(String.join("\n", errors));
        }
        return loaded;
    }
}
