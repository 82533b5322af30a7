package org.r1wb.model.recipe.reward;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** The built-in rewards on hand-written completions. */
class RewardsTest {

    private static final Rewards REWARDS = Rewards.builtIn();

    private static double score(String reward, String text, String target) {
        return score(reward, text, target, 0, Map.of());
    }

    private static double score(String reward, String text, String target, int tokens, Map<String, Object> params) {
        Reward r = REWARDS.find(reward).orElseThrow();
        assertThat(r.check(params)).isEmpty();
        return r.score(new Completion("q", text, target, tokens), params);
    }

    @Test
    void theBuiltInsAreFoundByName() {
        assertThat(REWARDS.names()).contains("accuracy", "format", "tag_count", "length", "repetition");
    }

    @Test
    void plusAddsAPluginsRewardAndRefusesATakenName() {
        Reward half = new Reward() {
            @Override
            public String name() {
                return "half";
            }

            @Override
            public double score(Completion completion, Map<String, Object> params) {
                return 0.5;
            }
        };
        Rewards more = REWARDS.plus(List.of(half));

        assertThat(more.find("half")).containsSame(half);
        assertThat(more.names()).containsAll(REWARDS.names());
        assertThat(REWARDS.find("half")).as("the registry it was made from is unchanged").isEmpty();
        assertThatThrownBy(() -> more.plus(List.of(half))).hasMessageContaining("'half'");
        assertThatThrownBy(() -> REWARDS.plus(List.of(new Reward() {
            @Override
            public String name() {
                return "accuracy";
            }

            @Override
            public double score(Completion completion, Map<String, Object> params) {
                return 1;
            }
        }))).hasMessageContaining("'accuracy'");
    }

    @Test
    void accuracyComparesTheLastAnswerNumericallyWhereNumeric() {
        assertThat(score("accuracy", "<think>2+2=4</think><answer>4</answer>", "4")).isEqualTo(1);
        assertThat(score("accuracy", "<think>…</think><answer> 4.0 </answer>", "4")).isEqualTo(1);
        assertThat(score("accuracy", "<answer>1,000</answer>", "1000")).isEqualTo(1);
        assertThat(score("accuracy", "<answer>5</answer> no, <answer>4</answer>", "4")).isEqualTo(1);
        assertThat(score("accuracy", "<answer>4</answer> no, <answer>5</answer>", "4")).isEqualTo(0);
        assertThat(score("accuracy", "<answer>40</answer>", "4")).isEqualTo(0);
        assertThat(score("accuracy", "the answer is 4", "4")).as("no answer tag").isEqualTo(0);
        assertThat(score("accuracy", "<answer>Paris  France</answer>", "Paris France")).isEqualTo(1);
        assertThat(score("accuracy", "<answer>Paris</answer>", "Lyon")).isEqualTo(0);
    }

    @Test
    void formatWantsOneThinkThenOneAnswerAndNothingElse() {
        assertThat(score("format", "<think>a\nb</think>\n<answer>4</answer>\n", null)).isEqualTo(1);
        assertThat(score("format", "<answer>4</answer><think>a</think>", null)).isEqualTo(0);
        assertThat(score("format", "<think>a</think><answer>4</answer> and more", null)).isEqualTo(0);
        assertThat(score("format", "<think>a<think>b</think><answer>4</answer>", null)).isEqualTo(0);
        assertThat(score("format", "<think>a</think>", null)).isEqualTo(0);
    }

    @Test
    void tagCountGivesAQuarterPerTagSeenExactlyOnce() {
        assertThat(score("tag_count", "<think>a</think><answer>4</answer>", null)).isEqualTo(1.0);
        assertThat(score("tag_count", "<think>a</think> 4", null)).isEqualTo(0.5);
        assertThat(score("tag_count", "<think>a</think><think>b</think><answer>4", null)).isEqualTo(0.25);
        assertThat(score("tag_count", "4", null)).isEqualTo(0);
    }

    @Test
    void lengthIsFreeUpToTheCacheZoneThenFallsToMinusOne() {
        Map<String, Object> params = Map.of("maxTokens", 100, "cacheTokens", 20);
        assertThat(score("length", "x", null, 80, params)).isEqualTo(0);
        assertThat(score("length", "x", null, 90, params)).isCloseTo(-0.5, within(1e-12));
        assertThat(score("length", "x", null, 100, params)).isCloseTo(-1, within(1e-12));
        assertThat(score("length", "x", null, 101, params)).isEqualTo(-1);
    }

    @Test
    void repetitionPenalisesRepeatedNgrams() {
        Map<String, Object> bigrams = Map.of("ngram", 2, "maxPenalty", -1.0);
        assertThat(score("repetition", "the cat sat on the mat", null, 0, bigrams)).isEqualTo(0);
        // 6 bigrams, 2 distinct ("a b", "b a"): (1 − 2/6) · −1
        assertThat(score("repetition", "a b a b a b a", null, 0, bigrams)).isCloseTo(-2.0 / 3, within(1e-12));
        assertThat(score("repetition", "a", null, 0, bigrams)).as("too short to repeat").isEqualTo(0);
    }

    @Test
    void badParametersAreReportedWithTheNameAndAFix() {
        assertThat(REWARDS.find("length").orElseThrow().check(Map.of("maxTokens", "many")))
                .singleElement().asString().startsWith("maxTokens: must be a number");
        assertThat(REWARDS.find("length").orElseThrow().check(Map.of("maxTokens", 10, "cacheTokens", 20)))
                .singleElement().asString().startsWith("cacheTokens: must be in (0, maxTokens]");
        assertThat(REWARDS.find("repetition").orElseThrow().check(Map.of("ngram", 0, "maxPenalty", 1)))
                .hasSize(2);
    }
}
