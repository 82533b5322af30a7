package org.r1wb.plugins.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.r1wb.model.eval.metric.Metric;
import org.r1wb.model.eval.metric.Sample;
import org.r1wb.model.recipe.reward.Completion;
import org.r1wb.model.recipe.reward.Reward;
import org.r1wb.pipeline.Document;
import org.r1wb.pipeline.stage.DocumentProcessor;
import org.r1wb.pipeline.stage.Outcome;
import org.r1wb.pipeline.stage.Stage;
import org.r1wb.pipeline.stage.StageParams;
import org.r1wb.plugins.api.Contributions;
import org.junit.jupiter.api.Test;

/** The example stage, metric and reward do their work, and the plugin contributes each under its SPI. */
class ExamplesPluginTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final RegexFilterStage stage = new RegexFilterStage();

    @Test
    void theRegexFilterDropsMatchesOrKeepsOnlyThem() {
        List<Document> docs = List.of(new Document("1", "Lorem Ipsum dolor", "t"), new Document("2", "plain text", "t"),
                new Document("3", "lorem ipsum again", "t"));

        assertThat(kept(params(Map.of("pattern", "lorem ipsum")), docs)).containsExactly("1", "2");
        assertThat(kept(params(Map.of("pattern", "lorem ipsum", "ignoreCase", true)), docs)).containsExactly("2");
        assertThat(kept(params(Map.of("pattern", "dolor|again", "mode", "keep")), docs)).containsExactly("1", "3");
        Outcome dropped = decide(stage.processor(params(Map.of("pattern", "plain"))), docs.get(1));
        assertThat(dropped.dropReason()).isEqualTo("matches pattern");
    }

    @Test
    void aBrokenPatternIsAProblemAtItsParameter() {
        assertThat(stage.check(params(Map.of("pattern", "(unclosed")))).singleElement()
                .satisfies(p -> assertThat(p.toString()).contains("params.pattern").contains("Unclosed group"));
        assertThat(stage.check(params(Map.of("pattern", "fine")))).isEmpty();
    }

    @Test
    void theMetricCountsOutputsThatContainAReference() {
        List<Sample> samples = List.of(
                Sample.generated(List.of("42"), List.of("the answer is 42."), List.of(), null),
                Sample.generated(List.of("7"), List.of("I think 8"), List.of(), null),
                Sample.generated(List.of("x", "paris"), List.of("paris, of course"), List.of(), null),
                Sample.generated(List.of("1"), List.of(), List.of(), null));

        assertThat(new ContainsTargetMetric().compute(samples, Map.of()).value()).isEqualTo(0.5);
    }

    @Test
    void theRewardScoresTheKeywordAndRefusesAMissingOne() {
        KeywordReward reward = new KeywordReward();
        Map<String, Object> params = Map.of("keyword", "</answer>");

        assertThat(reward.score(new Completion("p", "<answer>4</answer>", "4", 5), params)).isEqualTo(1.0);
        assertThat(reward.score(new Completion("p", "<answer>4", "4", 3), params)).isEqualTo(0.0);
        assertThat(reward.check(Map.of())).singleElement().asString().contains("keyword");
        assertThat(reward.check(params)).isEmpty();
    }

    @Test
    void thePluginContributesOneOfEach() {
        Contributions contributions = new Contributions(Set.of(Stage.class, Metric.class, Reward.class));
        new ExamplesPlugin().register(contributions);

        assertThat(contributions.of(Stage.class)).extracting(Stage::id).containsExactly("filter.regex");
        assertThat(contributions.of(Metric.class)).extracting(Metric::name).containsExactly("contains_target");
        assertThat(contributions.of(Reward.class)).extracting(Reward::name).containsExactly("keyword");
    }

    private List<String> kept(StageParams params, List<Document> docs) {
        DocumentProcessor<?> processor = stage.processor(params);
        List<String> ids = new ArrayList<>();
        for (Document doc : docs) {
            if (decide(processor, doc).kept()) {
                ids.add(doc.id());
            }
        }
        return ids;
    }

    private static <W> Outcome decide(DocumentProcessor<W> processor, Document doc) {
        return processor.decide(doc, processor.prepare(doc));
    }

    private StageParams params(Map<String, Object> given) {
        Map<String, JsonNode> values = new HashMap<>();
        given.forEach((k, v) -> values.put(k, JSON.valueToTree(v)));
        return new StageParams(stage.params(), values);
    }
}
