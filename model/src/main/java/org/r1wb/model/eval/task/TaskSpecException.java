package org.r1wb.model.eval.task;

import org.r1wb.model.spec.SpecProblem;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

/** A task or suite file that cannot be used; the message names the file, each field at fault and its fix. */
public final class TaskSpecException extends IllegalArgumentException {

    private final Path file;
    private final List<SpecProblem> problems;

    public TaskSpecException(Path file, List<SpecProblem> problems) {
        super(problems.stream().map(p -> file + ": " + p).collect(Collectors.joining("\n")));
        this.file = file;
        this.problems = List.copyOf(problems);
    }

    public Path file() {
        return file;
    }

    public List<SpecProblem> problems() {
        return problems;
    }
}
