package org.r1wb.pipeline.stage;

/**
 * A {@link PerDocumentStage} whose {@link DocumentProcessor#decide} depends on the documents before it in the whole
 * corpus (a deduplicator), and which only ever keeps a document unchanged or drops it. A sharded run
 * ({@code PipelineRunner#runShard}) prepares each shard's documents in its own task and stores the prepared values
 * through {@link #encode}; the merge decodes them and decides in global document order, so it keeps exactly what a
 * single-process run keeps.
 *
 * @param <W> what the stage's processor prepares (a content hash, a MinHash signature)
 */
public interface CorpusWideDecision<W> {

    /** The bytes of a prepared value, for the shard's output. */
    byte[] encode(W prepared);

    /** The prepared value {@link #encode} wrote. */
    W decode(byte[] bytes);
}
