package org.r1wb.pipeline;

import java.util.List;
import java.util.stream.Collectors;

/** A pipeline file that does not parse or validate; carries every problem found. */
public class InvalidPipelineException extends PipelineException {

    private static final long serialVersionUID = 1L;

    private final transient List<Problem> problems;

    public InvalidPipelineException(String file, List<Problem> problems) {
        super(file + " is invalid:\n" + problems.stream().map(p -> "  " + p).collect(Collectors.joining("\n")));
        this.problems = List.copyOf(problems);
    }

    /** Every problem, with its path and a fix. */
    public List<Problem> problems() {
        return problems;
    }
}
