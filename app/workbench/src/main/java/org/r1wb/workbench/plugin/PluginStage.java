package org.r1wb.workbench.plugin;

import org.r1wb.pipeline.stage.ParamSpec;
import org.r1wb.pipeline.stage.Port;
import org.r1wb.pipeline.stage.Stage;
import org.r1wb.pipeline.stage.StageContext;

import java.util.List;

/**
 * A plugin's stage as the agent described it ({@code r1wb plugin list --json}): id, ports and parameter schema, so
 * the editor places, connects, validates and edits it like a built-in. It has none of the plugin's code, so it
 * cannot run here; pipelines that use it run in the agent.
 *
 * @param plugin the id of the plugin that contributes it
 */
public record PluginStage(String plugin, String id, int version, String description, List<Port> inputs,
                          List<Port> outputs, List<ParamSpec> params) implements Stage {

    public PluginStage {
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
        params = List.copyOf(params);
    }

    @Override
    public void execute(StageContext context) {
        throw new UnsupportedOperationException("stage " + id + " of plugin '" + plugin
                + "' runs only in the agent (r1wb pipeline run), never in the workbench");
    }
}
