package org.r1wb.model.eval;

import org.r1wb.model.eval.code.JavaProgramChecker;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Answers requests with a model: log-likelihood requests of a batch go to the model together (one
 * {@link EvalModel#nll} call), generations one by one, candidate programs to the checker.
 */
final class Answerer {

    private final EvalModel model;
    private final TextCodec codec;
    private final JavaProgramChecker checker;

    Answerer(EvalModel model, TextCodec codec, JavaProgramChecker checker) {
        this.model = model;
        this.codec = codec;
        this.checker = checker;
    }

    List<Response> answer(List<Request> batch) {
        List<int[]> windows = new ArrayList<>();
        // per request {first window, window count}: a rolling document sums its windows; a continuation
        // is nll(context + continuation) − nll(context), exact for a causal model
        int[][] spans = new int[batch.size()][];
        int[] tokens = new int[batch.size()];
        for (int r = 0; r < batch.size(); r++) {
            Request request = batch.get(r);
            if (request.kind() == Request.Kind.LOGLIKELIHOOD) {
                int[][] pair = continuationWindows(request);
                tokens[r] = pair[2][0];
                spans[r] = new int[] {windows.size(), pair[1] == null ? 1 : 2};
                windows.add(pair[0]);
                if (pair[1] != null) {
                    windows.add(pair[1]);
                }
            } else if (request.kind() == Request.Kind.ROLLING) {
                List<int[]> rolling = rollingWindows(request.context());
                spans[r] = new int[] {windows.size(), rolling.size()};
                for (int[] w : rolling) {
                    tokens[r] += w.length - 1;
                }
                windows.addAll(rolling);
            }
        }
        double[] nll = windows.isEmpty() ? new double[0] : model.nll(windows.toArray(new int[0][]));
        List<Response> responses = new ArrayList<>(batch.size());
        for (int r = 0; r < batch.size(); r++) {
            Request request = batch.get(r);
            switch (request.kind()) {
                case LOGLIKELIHOOD -> {
                    double value = nll[spans[r][0]] - (spans[r][1] == 2 ? nll[spans[r][0] + 1] : 0);
                    responses.add(Response.scored(value, tokens[r]));
                }
                case ROLLING -> {
                    double sum = 0;
                    for (int w = 0; w < spans[r][1]; w++) {
                        sum += nll[spans[r][0] + w];
                    }
                    responses.add(Response.scored(sum, tokens[r]));
                }
                case GENERATE -> responses.add(generate(request));
                default -> throw new IllegalStateException("unknown request kind " + request.kind());
            }
        }
        return responses;
    }

    /**
     * {full window, context-only window or null, {continuation tokens}}: the last {@code maxSequenceLength}
     * tokens of context + continuation (an empty context becomes the end-of-text token).
     */
    private int[][] continuationWindows(Request request) {
        int[] context = request.context().isEmpty() ? new int[] {codec.endOfTextId()} : codec.encode(request.context());
        int[] continuation = codec.encode(request.continuation());
        int max = model.maxSequenceLength();
        if (continuation.length >= max) {
            continuation = Arrays.copyOfRange(continuation, continuation.length - (max - 1), continuation.length);
        }
        int keepContext = Math.min(context.length, max - continuation.length);
        int[] full = new int[keepContext + continuation.length];
        System.arraycopy(context, context.length - keepContext, full, 0, keepContext);
        System.arraycopy(continuation, 0, full, keepContext, continuation.length);
        int[] prefix = keepContext >= 2 ? Arrays.copyOf(full, keepContext) : null;
        return new int[][] {full, prefix, {continuation.length}};
    }

    /** Disjoint windows covering the document, each predicting its tokens from the window before them. */
    private List<int[]> rollingWindows(String text) {
        int[] body = codec.encode(text);
        int[] ids = new int[body.length + 1];
        ids[0] = codec.endOfTextId();
        System.arraycopy(body, 0, ids, 1, body.length);
        int max = model.maxSequenceLength();
        List<int[]> windows = new ArrayList<>();
        for (int start = 1; start < ids.length; start += max - 1) {
            windows.add(Arrays.copyOfRange(ids, start - 1, Math.min(ids.length, start - 1 + max)));
        }
        return windows;
    }

    private Response generate(Request request) {
        int[] prompt = codec.encode(request.context());
        int max = model.maxSequenceLength();
        int room = Math.max(1, Math.min(request.maxTokens(), max - 1));
        if (prompt.length + room > max) {
            prompt = Arrays.copyOfRange(prompt, prompt.length - (max - room), prompt.length);
        }
        int[] ids = model.sample(prompt, room, request.temperature(), request.topP(), request.seed(), codec.endOfTextId());
        String text = cut(codec.decode(ids), request.until());
        String verdict = null;
        if (request.program() != null) {
            String program = request.program().replace("{{completion}}", text);
            verdict = checker.run(program, request.tests(), request.timeoutMs(), request.memoryMb()).status().name();
        }
        return Response.generated(text, verdict);
    }

    /** {@code text} up to the first stop string. */
    static String cut(String text, List<String> until) {
        int end = text.length();
        for (String stop : until) {
            int at = text.indexOf(stop);
            if (at >= 0 && at < end) {
                end = at;
            }
        }
        return text.substring(0, end);
    }
}
