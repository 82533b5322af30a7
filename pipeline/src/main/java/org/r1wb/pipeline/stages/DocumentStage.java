package org.r1wb.pipeline.stages;

import org.r1wb.pipeline.stage.Port;
import org.r1wb.pipeline.stage.PortType;
import org.r1wb.pipeline.stage.Stage;

import java.util.List;

/**
 * A stage that takes documents (from any number of upstream nodes) and passes documents on: cleaners,
 * filters, deduplicators and the mixer. It only fixes the ports; the stage itself says what it does.
 */
abstract class DocumentStage implements Stage {

    @Override
    public List<Port> inputs() {
        return List.of(new Port(Port.MAIN, PortType.DOCUMENTS, true));
    }

    @Override
    public List<Port> outputs() {
        return List.of(new Port(Port.MAIN, PortType.DOCUMENTS, false));
    }
}
