package org.r1wb.model.eval.task;

import java.util.Arrays;
import java.util.Optional;

/** How a task asks the model: the four request kinds of lm-evaluation-harness. */
public enum OutputType {
    /** Log-likelihood of the target given the prompt. */
    LOGLIKELIHOOD("loglikelihood"),
    /** Log-likelihood of each choice given the prompt; the likeliest is the answer. */
    MULTIPLE_CHOICE("multiple_choice"),
    /** A continuation of the prompt until a stop string or the token limit. */
    GENERATE_UNTIL("generate_until"),
    /** Log-likelihood of a whole document, in windows of the model's context. */
    LOGLIKELIHOOD_ROLLING("loglikelihood_rolling");

    private final String yaml;

    OutputType(String yaml) {
        this.yaml = yaml;
    }

    /** The spelling in task YAML. */
    public String yaml() {
        return yaml;
    }

    public static Optional<OutputType> parse(String text) {
        return Arrays.stream(values()).filter(t -> t.yaml.equals(text)).findFirst();
    }
}
