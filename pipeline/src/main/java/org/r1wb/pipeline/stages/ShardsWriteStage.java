package org.r1wb.pipeline.stages;

import java.io.IOException;
import java.util.List;
import org.r1wb.pipeline.Document;
import org.r1wb.pipeline.io.Json;
import org.r1wb.pipeline.shards.DocumentSplitter;
import org.r1wb.pipeline.shards.ShardIndex;
import org.r1wb.pipeline.shards.TokenShardWriter;
import org.r1wb.pipeline.stage.ParamSpec;
import org.r1wb.pipeline.stage.Port;
import org.r1wb.pipeline.stage.PortType;
import org.r1wb.pipeline.stage.Stage;
import org.r1wb.pipeline.stage.StageContext;
import org.r1wb.pipeline.stage.TokenizedBatch;

/**
 * {@code shards.write}: encodes documents into train/val token shards in the node's output folder. A document whose
 * metadata names its split ({@code mix} sets {@value MixStage#SPLIT}) goes there; others are split by hash.
 */
public final class ShardsWriteStage implements Stage {

    public static final ParamSpec VALIDATION_FRACTION = ParamSpec.number("validationFraction", 0.01, 0, 0.5,
            "expected share of documents held out for validation");
    public static final ParamSpec SEED = ParamSpec.integer("seed", 1337, 0, Long.MAX_VALUE,
            "seed of the document hash that picks the split");
    public static final ParamSpec EOT_TOKEN = ParamSpec.string("eotToken", "<|endoftext|>",
            "the special token written after every document");

    @Override
    public String id() {
        return "shards.write";
    }

    @Override
    public int version() {
        return 2;
    }

    @Override
    public String description() {
        return "Write train/val token shards (uint16 or int32) with index.json and tokenizer.json";
    }

    @Override
    public List<Port> inputs() {
        return List.of(new Port(Port.MAIN, PortType.TOKENIZED_DOCUMENTS, false));
    }

    @Override
    public List<Port> outputs() {
        return List.of(new Port(Port.MAIN, PortType.TOKEN_SHARDS, false));
    }

    @Override
    public List<ParamSpec> params() {
        return List.of(VALIDATION_FRACTION, SEED, EOT_TOKEN);
    }

    @Override
    public void execute(StageContext context) throws IOException {
        TokenizedBatch batch = (TokenizedBatch) context.inputs(Port.MAIN).get(0);
        DocumentSplitter splitter = new DocumentSplitter(context.params().doubleValue(VALIDATION_FRACTION),
                context.params().longValue(SEED));
        ShardIndex index;
        try (TokenShardWriter writer = new TokenShardWriter(context.outputDir(), batch.tokenizer(),
                context.params().string(EOT_TOKEN), splitter)) {
            List<Document> documents = batch.documents();
            for (int i = 0; i < documents.size(); i++) {
                context.countIn(1);
                if (documents.get(i).text().isEmpty()) {
                    context.drop("empty", 1);
                    continue;
                }
                String split = documents.get(i).metadata().get(MixStage.SPLIT);
                if (split == null) {
                    writer.add(documents.get(i).text());
                } else {
                    writer.add(documents.get(i).text(), TokenShardWriter.VAL.equals(split));
                }
                context.countOut(1);
                if (i % 1024 == 1023) {
                    context.checkCancelled();
                    context.progress((i + 1.0) / documents.size(), (i + 1) + " documents");
                }
            }
            index = writer.finish(context.digest(), Json.mapper().valueToTree(context.finishedStats()));
        }
        context.emit(Port.MAIN, index);
    }
}
