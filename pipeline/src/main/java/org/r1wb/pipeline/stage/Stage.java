package org.r1wb.pipeline.stage;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.r1wb.pipeline.Problem;

/**
 * A pipeline stage type (KNIME's node model): declares its ports and parameters, checks a configuration without
 * running, and executes. Implementations are stateless and registered through {@link java.util.ServiceLoader}
 * ({@code META-INF/services/org.r1wb.pipeline.stage.Stage}); plugins add stages the same way.
 */
public interface Stage {

    /** The type name used in pipeline files, e.g. {@code read.jsonl}. */
    String id();

    /** Bump whenever the output for the same inputs changes: it is part of the cache digest. */
    int version();

    /** One line for palettes and {@code --help}. */
    String description();

    /** Input ports; empty for sources. */
    List<Port> inputs();

    /** Output ports. */
    List<Port> outputs();

    /** The parameter schema. */
    List<ParamSpec> params();

    /**
     * Problems that span several parameters (single values are checked against {@link #params()} already); paths
     * are relative to the node, e.g. {@code params.vocabSize}.
     */
    default List<Problem> check(StageParams params) {
        return List.of();
    }

    /** Files this node reads from outside the pipeline; their content is part of the cache digest. */
    default List<Path> inputFiles(StageParams params, Path workspace) throws IOException {
        return List.of();
    }

    /** Does the work: reads inputs from, and emits every output port to, the context. */
    void execute(StageContext context) throws IOException;
}
