package org.r1wb.model.recipe.sft;

/**
 * One supervised example: what the user asks and what the assistant should answer.
 *
 * @param prompt   the user's turn, plain text (special-token texts in it stay plain text)
 * @param response the assistant's turn; may hold the reasoning tags of {@link ChatTemplate}, e.g.
 *                 {@code <think>2+2 is 4</think><answer>4</answer>}
 * @param source   where it came from, {@code file:line}, for messages
 */
public record SftExample(String prompt, String response, String source) {
}
