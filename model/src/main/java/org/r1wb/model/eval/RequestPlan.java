package org.r1wb.model.eval;

import com.fasterxml.jackson.databind.JsonNode;
import org.r1wb.model.eval.task.EvalTask;
import org.r1wb.model.eval.task.OutputType;
import org.r1wb.model.eval.task.TaskSpec;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** Turns a task's documents into the requests the model answers, few-shot context included. */
final class RequestPlan {

    private RequestPlan() {
    }

    /** The requests of the first {@code settings.limit()} documents, in document order. */
    static List<Request> build(EvalTask task, TaskSettings settings) {
        TaskSpec spec = task.spec();
        List<Request> requests = new ArrayList<>();
        for (int d = 0; d < settings.limit(); d++) {
            JsonNode doc = task.docs().get(d);
            switch (spec.outputType()) {
                case LOGLIKELIHOOD -> requests.add(Request.loglikelihood(d, 0, context(task, settings, d),
                        spec.targetDelimiter() + spec.target().render(doc)));
                case MULTIPLE_CHOICE -> {
                    String context = context(task, settings, d);
                    JsonNode choices = doc.get(spec.choices());
                    for (int c = 0; c < choices.size(); c++) {
                        requests.add(Request.loglikelihood(d, c, context, spec.targetDelimiter() + choices.get(c).asText()));
                    }
                }
                case LOGLIKELIHOOD_ROLLING -> requests.add(Request.rolling(d, spec.prompt().render(doc)));
                case GENERATE_UNTIL -> {
                    String context = context(task, settings, d);
                    TaskSpec.CodeCheck check = spec.check();
                    String program = check == null ? null : check.program().render(doc, Map.of("completion", "{{completion}}"));
                    String tests = check == null ? null : doc.get(check.tests()).asText();
                    for (int i = 0; i < settings.samples(); i++) {
                        long seed = settings.seed() * 1_000_003L + d * 1_000L + i;
                        requests.add(new Request(d, i, Request.Kind.GENERATE, context, "", settings.maxTokens(),
                                spec.generation().until(), settings.temperature(), settings.topP(), seed, program, tests,
                                check == null ? 0 : check.timeoutMs(), check == null ? 0 : check.memoryMb()));
                    }
                }
                default -> throw new IllegalStateException("unknown output type " + spec.outputType());
            }
        }
        return requests;
    }

    /** Few-shot examples (other documents, drawn with the seed) then the question. */
    static String context(EvalTask task, TaskSettings settings, int d) {
        TaskSpec spec = task.spec();
        String question = spec.prompt().render(task.docs().get(d));
        if (settings.fewshotCount() == 0) {
            return question;
        }
        List<Integer> others = new ArrayList<>();
        for (int i = 0; i < task.docs().size(); i++) {
            if (i != d) {
                others.add(i);
            }
        }
        Collections.shuffle(others, new Random(settings.fewshotSeed() * 1_000_003L + d));
        StringBuilder context = new StringBuilder();
        for (int i : others.subList(0, Math.min(settings.fewshotCount(), others.size()))) {
            JsonNode example = task.docs().get(i);
            context.append(spec.prompt().render(example)).append(spec.targetDelimiter()).append(answer(spec, example))
                    .append(spec.fewshot().separator());
        }
        return context.append(question).toString();
    }

    private static String answer(TaskSpec spec, JsonNode doc) {
        if (spec.outputType() == OutputType.MULTIPLE_CHOICE) {
            return doc.get(spec.choices()).get(doc.get(spec.gold()).asInt()).asText();
        }
        return spec.target().render(doc);
    }
}
