package org.r1wb.pipeline.stage;

import java.util.List;
import org.r1wb.pipeline.Document;
import org.r1wb.pipeline.bpe.BpeTokenizer;

/** The value of a {@link PortType#TOKENIZED_DOCUMENTS} port: documents and the tokenizer for them. */
public record TokenizedBatch(List<Document> documents, BpeTokenizer tokenizer) {

    public TokenizedBatch {
        documents = List.copyOf(documents);
    }
}
