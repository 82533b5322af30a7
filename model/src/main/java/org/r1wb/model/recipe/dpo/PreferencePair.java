package org.r1wb.model.recipe.dpo;

/**
 * One preference: two responses to a prompt, the better one first.
 *
 * @param prompt   the user's turn
 * @param chosen   the preferred response (may hold the reasoning tags)
 * @param rejected the dispreferred one
 * @param where    {@code file:line} it came from, for messages
 */
public record PreferencePair(String prompt, String chosen, String rejected, String where) {
}
