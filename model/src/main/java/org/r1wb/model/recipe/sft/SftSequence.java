package org.r1wb.model.recipe.sft;

/**
 * One example rendered through the chat template and tokenized.
 *
 * @param tokens   the ids of the whole conversation
 * @param response {@code true} for each token the model must learn to produce (the assistant's reply and its end
 *                 of turn), {@code false} for the prompt and the role markers
 */
public record SftSequence(int[] tokens, boolean[] response) {

    /** Checks the lengths agree. */
    public SftSequence {
        if (tokens.length != response.length) {
            throw new IllegalArgumentException("tokens and response flags differ in length");
        }
    }

    /** Number of tokens. */
    public int length() {
        return tokens.length;
    }

    /** Number of response tokens. */
    public int responseTokens() {
        int n = 0;
        for (boolean r : response) {
            n += r ? 1 : 0;
        }
        return n;
    }
}
