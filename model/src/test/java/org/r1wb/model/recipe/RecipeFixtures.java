package org.r1wb.model.recipe;

import org.r1wb.model.recipe.sft.ChatTemplate;
import org.r1wb.model.spec.ModelSpec;
import org.r1wb.model.spec.ModelSpecs;
import org.r1wb.model.spec.MoeSpec;
import org.r1wb.model.spec.Balancing;
import org.r1wb.model.spec.GateFunction;
import org.r1wb.pipeline.bpe.BpeTokenizer;
import org.r1wb.pipeline.bpe.BpeTrainer;
import org.r1wb.pipeline.shards.DocumentSplitter;
import org.r1wb.pipeline.shards.TokenShardWriter;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A tiny workspace for recipe tests: model file, a dense student's model file, chat tokenizer, token shards, an SFT
 * file, a GRPO prompt set, DPO pairs.
 */
final class RecipeFixtures {

    static final String EOT = "<|endoftext|>";

    private RecipeFixtures() {
    }

    /** Writes {@code model.json}, {@code student.model.json}, {@code data/} (shards with the chat tokenizer),
     * {@code sft.jsonl}, {@code grpo.jsonl} and preference pairs (correct over wrong sums) {@code dpo.jsonl},
     * {@code dpo-val.jsonl} into {@code dir}. */
    static void workspace(Path dir) throws IOException {
        SplittableRandom random = new SplittableRandom(5);
        List<String> documents = new ArrayList<>();
        List<String> sft = new ArrayList<>();
        List<String> grpo = new ArrayList<>();
        List<String> dpo = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            int a = random.nextInt(10);
            int b = random.nextInt(10);
            documents.add(a + " plus " + b + " makes " + (a + b) + ".");
            sft.add("{\"prompt\": \"" + a + "+" + b + "\", \"response\": \""
                    + ChatTemplate.response(a + " plus " + b + " makes " + (a + b), String.valueOf(a + b)) + "\"}");
            grpo.add("{\"prompt\": \"" + a + "+" + b + "\", \"target\": " + (a + b) + "}");
            int wrong = a + b + 1 + random.nextInt(3);
            dpo.add("{\"prompt\": \"" + a + "+" + b + "\", \"chosen\": \""
                    + ChatTemplate.response(a + " plus " + b + " makes " + (a + b), String.valueOf(a + b))
                    + "\", \"rejected\": \""
                    + ChatTemplate.response(a + " plus " + b + " makes " + wrong, String.valueOf(wrong)) + "\"}");
        }
        List<String> specials = new ArrayList<>(List.of(EOT));
        specials.addAll(ChatTemplate.SPECIAL_TOKENS);
        BpeTokenizer tokenizer = BpeTrainer.builder().setVocabSize(300).optSpecialTokens(specials).build().train(documents);
        try (TokenShardWriter writer = new TokenShardWriter(dir.resolve("data"), tokenizer, EOT,
                new DocumentSplitter(0.1, 1))) {
            for (int i = 0; i < documents.size(); i++) {
                writer.add(documents.get(i), i % 6 == 0);
            }
            writer.finish("test", null);
        }
        Files.write(dir.resolve("sft.jsonl"), sft);
        Files.write(dir.resolve("grpo.jsonl"), grpo);
        Files.write(dir.resolve("dpo.jsonl"), dpo.subList(0, 48));
        Files.write(dir.resolve("dpo-val.jsonl"), dpo.subList(48, dpo.size()));
        ModelSpec model = new ModelSpec(tokenizer.vocabSize(), 32, 2, 4, 2, 8, 10000.0, 64, 1e-5, 0.0, true, 1, 64,
                new MoeSpec(4, 1, 2, 16, GateFunction.SOFTMAX, Balancing.AUX_FREE, 0.01, 0.001));
        ModelSpecs.save(model, dir.resolve("model.json"));
        ModelSpec student = new ModelSpec(tokenizer.vocabSize(), 16, 1, 2, 2, 8, 10000.0, 64, 1e-5, 0.0, true, 1, 32,
                null);
        ModelSpecs.save(student, dir.resolve("student.model.json"));
    }
}
