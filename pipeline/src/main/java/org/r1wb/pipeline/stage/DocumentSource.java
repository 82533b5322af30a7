package org.r1wb.pipeline.stage;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.r1wb.pipeline.Document;

/**
 * A reader: no inputs, documents out on {@code main}, produced one by one so the executor can stream them into the
 * next stages without holding them all. {@link #execute} collects them into one batch.
 */
public interface DocumentSource extends Stage {

    /**
     * Reads every document, handing each to {@code sink} in order; counts, drops, warnings and progress go to
     * {@code context}. {@code sink} may block (back-pressure) and throws
     * {@link java.util.concurrent.CancellationException} when the run stops.
     */
    void read(StageContext context, Consumer<Document> sink) throws IOException;

    @Override
    default List<Port> inputs() {
        return List.of();
    }

    @Override
    default List<Port> outputs() {
        return List.of(new Port(Port.MAIN, PortType.DOCUMENTS, false));
    }

    @Override
    default void execute(StageContext context) throws IOException {
        List<Document> documents = new ArrayList<>();
        read(context, documents::add);
        context.emit(Port.MAIN, new DocumentBatch(documents));
    }
}
