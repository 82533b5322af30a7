package org.r1wb.model.recipe.reward;

/**
 * One sampled completion, as a reward sees it.
 *
 * @param prompt the prompt it answers
 * @param text   the generated text, special tokens written out ({@code <think>…</think><answer>…</answer>})
 * @param target the reference answer, or {@code null} when the task has none
 * @param tokens how many tokens were generated
 */
public record Completion(String prompt, String text, String target, int tokens) {
}
