package org.r1wb.model.recipe.sft;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.r1wb.model.spec.ModelSpecs;
import org.r1wb.pipeline.bpe.BpeTokenizer;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The chat format of every recipe stage: {@code <|user|>PROMPT<|end|><|assistant|>RESPONSE<|end|>}, where a
 * reasoning response reads {@code <think>…</think><answer>…</answer>}. Each marker is one special token of the
 * byte-level BPE tokenizer, so the model sees a role change as one id that no user text can produce.
 *
 * <p>The prompt is encoded as plain text (a prompt that contains the text {@code <|end|>} cannot close its own
 * turn); the response is encoded with the reasoning tags as special tokens. The loss covers the response and its
 * end-of-turn token, so the model learns when to stop.
 */
public final class ChatTemplate {

    /** Opens the user's turn. */
    public static final String USER = "<|user|>";
    /** Opens the assistant's turn; a generation prompt ends with it. */
    public static final String ASSISTANT = "<|assistant|>";
    /** Ends a turn. */
    public static final String END = "<|end|>";
    /** Opens the reasoning. */
    public static final String THINK = "<think>";
    /** Closes the reasoning. */
    public static final String THINK_END = "</think>";
    /** Opens the final answer. */
    public static final String ANSWER = "<answer>";
    /** Closes the final answer. */
    public static final String ANSWER_END = "</answer>";
    /** Every special token of the template, in the order they are added to a tokenizer. */
    public static final List<String> SPECIAL_TOKENS = List.of(USER, ASSISTANT, END, THINK, THINK_END, ANSWER, ANSWER_END);

    private static final List<String> ROLE_MARKERS = List.of(USER, ASSISTANT, END);

    private final BpeTokenizer tokenizer;
    private final int user;
    private final int assistant;
    private final int end;

    /** The template over {@code tokenizer}, which must hold every {@link #SPECIAL_TOKENS} (see {@link #addSpecialTokens}). */
    public ChatTemplate(BpeTokenizer tokenizer) {
        List<String> missing = SPECIAL_TOKENS.stream().filter(t -> !tokenizer.specialTokens().containsKey(t)).toList();
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException("the tokenizer lacks the chat special tokens " + missing
                    + ": add them with ChatTemplate.addSpecialTokens (and give the model that many more vocabulary ids)");
        }
        this.tokenizer = tokenizer;
        this.user = tokenizer.tokenId(USER);
        this.assistant = tokenizer.tokenId(ASSISTANT);
        this.end = tokenizer.tokenId(END);
    }

    /** The text of a reasoning response. */
    public static String response(String thinking, String answer) {
        return THINK + thinking + THINK_END + ANSWER + answer + ANSWER_END;
    }

    /** The ids a generation starts from: the user's turn and the opening of the assistant's. */
    public int[] prompt(String prompt) {
        int[] text = tokenizer.encodeOrdinary(prompt);
        int[] ids = new int[text.length + 3];
        ids[0] = user;
        System.arraycopy(text, 0, ids, 1, text.length);
        ids[text.length + 1] = end;
        ids[text.length + 2] = assistant;
        return ids;
    }

    /** The whole conversation, with the response (and its end of turn) flagged for the loss. */
    public SftSequence encode(SftExample example) {
        for (String marker : ROLE_MARKERS) {
            if (example.response().contains(marker)) {
                throw new IllegalArgumentException(example.source() + ": the response contains the role marker "
                        + marker + ": a response is one assistant turn; remove it");
            }
        }
        int[] prompt = prompt(example.prompt());
        int[] reply = tokenizer.encode(example.response());
        int[] tokens = new int[prompt.length + reply.length + 1];
        boolean[] response = new boolean[tokens.length];
        System.arraycopy(prompt, 0, tokens, 0, prompt.length);
        System.arraycopy(reply, 0, tokens, prompt.length, reply.length);
        tokens[tokens.length - 1] = end;
        for (int i = prompt.length; i < tokens.length; i++) {
            response[i] = true;
        }
        return new SftSequence(tokens, response);
    }

    /** The id that ends a turn: generation stops on it. */
    public int endOfTurn() {
        return end;
    }

    /**
     * Writes to {@code target} the tokenizer {@code source} with each missing {@link #SPECIAL_TOKENS} appended as an
     * added token, on the ids after its last one (as HF {@code add_special_tokens} does); returns the new vocabulary
     * size, which the model's {@code vocabSize} must reach.
     */
    public static int addSpecialTokens(Path source, Path target) throws IOException {
        JsonNode root = ModelSpecs.JSON.readTree(source.toFile());
        if (!(root instanceof ObjectNode object) || !(root.path("model").path("vocab") instanceof ObjectNode)) {
            throw new IOException(source + ": not a BPE tokenizer.json (no model.vocab)");
        }
        int next = 0;
        Set<String> present = new HashSet<>();
        for (JsonNode id : root.path("model").path("vocab")) {
            next = Math.max(next, id.asInt() + 1);
        }
        ArrayNode added = object.withArray("added_tokens");
        for (JsonNode token : added) {
            next = Math.max(next, token.path("id").asInt() + 1);
            present.add(token.path("content").asText());
        }
        List<String> missing = new ArrayList<>(SPECIAL_TOKENS);
        missing.removeAll(present);
        for (String token : missing) {
            added.addObject().put("id", next++).put("content", token).put("single_word", false)
                    .put("lstrip", false).put("rstrip", false).put("normalized", false).put("special", true);
        }
        ModelSpecs.writeAtomically(target, ModelSpecs.JSON.writeValueAsString(root));
        return BpeTokenizer.load(target).vocabSize();
    }
}
