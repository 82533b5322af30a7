package org.r1wb.plugins.examples;

import org.r1wb.model.eval.metric.Metric;
import org.r1wb.model.recipe.reward.Reward;
import org.r1wb.pipeline.stage.Stage;
import org.r1wb.plugins.api.Plugin;
import org.r1wb.plugins.api.PluginContext;

/** The example plugin's entry point: one stage, one metric and one reward, each contributed under its SPI. */
public final class ExamplesPlugin implements Plugin {

    @Override
    public void register(PluginContext context) {
        context.contribute(Stage.class, new RegexFilterStage());
        context.contribute(Metric.class, new ContainsTargetMetric());
        context.contribute(Reward.class, new KeywordReward());
    }
}
