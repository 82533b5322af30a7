package org.r1wb.model.eval;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Exact match on GSM8K-style problems: the model continues {@code question + "\n"} greedily, and the
 * number after its first {@code ####} must equal the answer.
 */
public final class ExactMatchTask implements EvalTask {

    /** One problem: the question as prompted and the answer as a string. */
    public record Problem(String question, String answer) { }

    private static final Pattern ANSWER = Pattern.compile("####\\s*(-?\\d+)");

    private final String name;
    private final List<Problem> problems;
    private final TextCodec codec;
    private final int maxNewTokens;
    private final String digest;

    public ExactMatchTask(String name, List<Problem> problems, TextCodec codec, int maxNewTokens) {
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("exact-match task '" + name + "' has no problems");
        }
        this.name = name;
        this.problems = List.copyOf(problems);
        this.codec = codec;
        this.maxNewTokens = maxNewTokens;
        StringBuilder content = new StringBuilder("exact-match/v1\n");
        for (Problem problem : problems) {
            content.append(problem.question()).append('\u0000').append(problem.answer()).append('\n');
        }
        this.digest = Digests.sha256(content.toString());
    }

    /** The answer after the first {@code ####} in {@code completion}, or {@code null}. */
    public static String extractAnswer(String completion) {
        Matcher matcher = ANSWER.matcher(completion);
        return matcher.find() ? matcher.group(1) : null;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String digest() {
        return digest;
    }

    @Override
    public Map<String, Object> settings() {
        return Map.of("decoding", "greedy", "maxNewTokens", maxNewTokens, "tokenizer", codec.digest());
    }

    @Override
    public List<EvalResult> run(EvalModel model, Progress progress, BooleanSupplier cancelled) {
        int correct = 0;
        for (int i = 0; i < problems.size(); i++) {
            if (cancelled.getAsBoolean()) {
                throw new CancellationException("evaluation cancelled");
            }
            Problem problem = problems.get(i);
            int[] prompt = codec.encode(problem.question() + "\n");
            int room = Math.min(maxNewTokens, model.maxSequenceLength() - prompt.length);
            String completion = room > 0 ? codec.decode(model.greedy(prompt, room, codec.endOfTextId())) : "";
            if (problem.answer().equals(extractAnswer(completion))) {
                correct++;
            }
            progress.update(i + 1, problems.size());
        }
        int n = problems.size();
        double accuracy = (double) correct / n;
        return List.of(new EvalResult(name, "exact_match", accuracy, Math.sqrt(accuracy * (1 - accuracy) / n), n, false));
    }
}
