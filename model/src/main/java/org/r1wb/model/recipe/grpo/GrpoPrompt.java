package org.r1wb.model.recipe.grpo;

/**
 * One prompt of a GRPO task.
 *
 * @param prompt the user's turn
 * @param target the reference answer the accuracy reward compares with
 * @param where  {@code file:line} it came from, for messages
 */
public record GrpoPrompt(String prompt, String target, String where) {
}
