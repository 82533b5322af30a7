package org.r1wb.pipeline.stages;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.r1wb.pipeline.Document;
import org.r1wb.pipeline.Problem;
import org.r1wb.pipeline.bpe.BpeTokenizer;
import org.r1wb.pipeline.bpe.BpeTrainer;
import org.r1wb.pipeline.shards.TokenShardWriter;
import org.r1wb.pipeline.stage.ParamSpec;
import org.r1wb.pipeline.stage.Port;
import org.r1wb.pipeline.stage.PortType;
import org.r1wb.pipeline.stage.Stage;
import org.r1wb.pipeline.stage.StageContext;
import org.r1wb.pipeline.stage.StageParams;
import org.r1wb.pipeline.stage.TokenizedBatch;

/** {@code tokenizer.train}: trains a byte-level BPE tokenizer on the documents and passes both on. */
public final class TokenizerTrainStage implements Stage {

    public static final ParamSpec VOCAB_SIZE = ParamSpec.integer("vocabSize", 8192, 257, 1 << 20,
            "final vocabulary size: 256 byte tokens + special tokens + merges");
    public static final ParamSpec MIN_FREQUENCY = ParamSpec.integer("minFrequency", 2, 1, Integer.MAX_VALUE,
            "pairs seen fewer times are never merged (the vocabulary may then end smaller)");
    public static final ParamSpec SPECIAL_TOKENS = ParamSpec.stringList("specialTokens", List.of("<|endoftext|>"),
            "tokens matched whole in text, given ids right after the 256 bytes");

    @Override
    public String id() {
        return "tokenizer.train";
    }

    @Override
    public int version() {
        return 1;
    }

    @Override
    public String description() {
        return "Train a byte-level BPE tokenizer (GPT-2 style, HF tokenizer.json)";
    }

    @Override
    public List<Port> inputs() {
        return List.of(new Port(Port.MAIN, PortType.DOCUMENTS, true));
    }

    @Override
    public List<Port> outputs() {
        return List.of(new Port(Port.MAIN, PortType.TOKENIZED_DOCUMENTS, false));
    }

    @Override
    public List<ParamSpec> params() {
        return List.of(VOCAB_SIZE, MIN_FREQUENCY, SPECIAL_TOKENS);
    }

    @Override
    public List<Problem> check(StageParams params) {
        List<Problem> problems = new ArrayList<>();
        List<String> specials = params.stringList(SPECIAL_TOKENS);
        long distinct = specials.stream().distinct().count();
        if (distinct != specials.size() || specials.contains("")) {
            problems.add(new Problem("params.specialTokens", "special tokens must be distinct and non-empty",
                    "remove duplicates and empty strings"));
        }
        int floor = 256 + (int) distinct + 1;
        if (params.intValue(VOCAB_SIZE) < floor) {
            problems.add(new Problem("params.vocabSize", "vocabSize " + params.intValue(VOCAB_SIZE)
                    + " leaves no room for merges after 256 byte tokens and " + distinct + " special tokens",
                    "use at least " + floor));
        }
        return problems;
    }

    @Override
    public void execute(StageContext context) throws IOException {
        List<Document> documents = context.documents(Port.MAIN);
        context.countIn(documents.size());
        BpeTrainer trainer = BpeTrainer.builder()
                .setVocabSize(context.params().intValue(VOCAB_SIZE))
                .optMinFrequency(context.params().intValue(MIN_FREQUENCY))
                .optSpecialTokens(context.params().stringList(SPECIAL_TOKENS))
                .build();
        List<String> texts = new ArrayList<>(documents.size());
        documents.forEach(d -> texts.add(d.text()));
        BpeTokenizer tokenizer = trainer.train(texts, context::progress, context::cancelled);
        tokenizer.save(context.outputDir().resolve(TokenShardWriter.TOKENIZER_FILE));
        context.countOut(documents.size());
        context.emit(Port.MAIN, new TokenizedBatch(documents, tokenizer));
    }
}
