package org.r1wb.pipeline.stages;

import org.r1wb.pipeline.stage.Port;
import org.r1wb.pipeline.stage.PortType;
import org.r1wb.pipeline.stage.Stage;

import java.util.List;

/**
 * A stage that takes documents (from any number of upstream nodes) and passes documents on, but needs its whole input
 * at once (the mixer); stages that look at one document at a time implement
 * {@link org.r1wb.pipeline.stage.PerDocumentStage} instead, so they stream. It only fixes the ports.
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
