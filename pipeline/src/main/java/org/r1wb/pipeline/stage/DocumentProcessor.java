package org.r1wb.pipeline.stage;

import java.util.function.Function;
import org.r1wb.pipeline.Document;

/**
 * The per-document work of a {@link PerDocumentStage}, split so the executor can use every core and still keep the
 * input order: {@link #prepare} is pure and runs on many threads at once, {@link #decide} runs on one thread in input
 * order and may keep state (the hashes a deduplicator has seen).
 *
 * @param <W> what {@code prepare} computes for {@code decide}, e.g. a content hash
 */
public interface DocumentProcessor<W> {

    /** The expensive, pure part; called from many threads at once, in any order. */
    W prepare(Document document);

    /** The verdict, given the prepared work; called in input order from one thread at a time. */
    Outcome decide(Document document, W prepared);

    /**
     * True when {@link #decide} keeps no state (it returns what {@link #prepare} computed): a sharded run then decides
     * in each shard's task; stateful processors run in the merge unless their stage is a {@link CorpusWideDecision}.
     */
    default boolean stateless() {
        return false;
    }

    /** A processor whose whole work is pure (cleaners and filters). */
    static DocumentProcessor<Outcome> pure(Function<Document, Outcome> work) {
        return new DocumentProcessor<>() {
            @Override
            public Outcome prepare(Document document) {
                return work.apply(document);
            }

            @Override
            public Outcome decide(Document document, Outcome prepared) {
                return prepared;
            }

            @Override
            public boolean stateless() {
                return true;
            }
        };
    }
}
