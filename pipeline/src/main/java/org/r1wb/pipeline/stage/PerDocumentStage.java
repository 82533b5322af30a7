package org.r1wb.pipeline.stage;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.r1wb.pipeline.Document;

/**
 * A stage that looks at one document at a time (cleaners, filters, deduplicators): documents in on {@code main}
 * (any number of edges, in edge order), documents out on {@code main}. The executor streams chains of such stages
 * through bounded queues; {@link #execute} is the same work over a whole input held in memory.
 */
public interface PerDocumentStage extends Stage {

    /** Documents between checks for cancellation (and progress reports) when run over a whole input. */
    int CHUNK = 8192;

    /** The work for one run with these parameters; a fresh processor per run (deduplicators keep state). */
    DocumentProcessor<?> processor(StageParams params);

    @Override
    default List<Port> inputs() {
        return List.of(new Port(Port.MAIN, PortType.DOCUMENTS, true));
    }

    @Override
    default List<Port> outputs() {
        return List.of(new Port(Port.MAIN, PortType.DOCUMENTS, false));
    }

    @Override
    default void execute(StageContext context) {
        List<Document> in = context.documents(Port.MAIN);
        context.emit(Port.MAIN, new DocumentBatch(processAll(context, processor(context.params()), in)));
    }

    /** Runs {@code processor} over {@code in}: prepared on every core chunk by chunk, decided in order. */
    private static <W> List<Document> processAll(StageContext context, DocumentProcessor<W> processor,
                                                 List<Document> in) {
        List<Document> out = new ArrayList<>(in.size());
        for (int from = 0; from < in.size(); from += CHUNK) {
            context.checkCancelled();
            int start = from;
            int to = Math.min(in.size(), from + CHUNK);
            @SuppressWarnings("unchecked")
            W[] prepared = (W[]) new Object[to - from];
            IntStream.range(from, to).parallel().forEach(i -> prepared[i - start] = processor.prepare(in.get(i)));
            for (int i = from; i < to; i++) {
                Document passed = OutcomeRecorder.record(context, in.get(i), processor.decide(in.get(i), prepared[i - from]));
                if (passed != null) {
                    out.add(passed);
                }
            }
            context.progress((double) to / in.size(), to + " documents");
        }
        return out;
    }
}
