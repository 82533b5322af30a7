package org.r1wb.pipeline.stage;

import java.util.List;
import org.r1wb.pipeline.Document;

/** The value of a {@link PortType#DOCUMENTS} port: documents held in memory, in order. */
public record DocumentBatch(List<Document> documents) {

    public DocumentBatch {
        documents = List.copyOf(documents);
    }
}
