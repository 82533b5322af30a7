package org.r1wb.agent;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.r1wb.pipeline.bpe.BpeTokenizer;

/** {@code r1wb tokenizer train|encode}: a trained file that encodes each line back to itself, and bad input. */
class TokenizerCommandTest {

    private final Cli cli = new Cli();
    private final StringWriter out = cli.out;
    private final StringWriter err = cli.err;

    @TempDir
    Path dir;

    private int run(String... args) {
        return cli.run(args);
    }

    @Test
    void trainThenEncodeGivesOneArrayPerLineThatDecodesBack() throws IOException {
        Random random = new Random(3);
        String[] words = {"router", "expert", "token", "東京", "🙂", "café", "load", "balance", "the", "a"};
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            StringBuilder s = new StringBuilder();
            for (int w = 0; w < 3 + random.nextInt(10); w++) {
                s.append(w == 0 ? "" : " ").append(words[random.nextInt(words.length)]);
            }
            lines.add(s.toString());
        }
        Path text = Files.write(dir.resolve("corpus.txt"), lines);
        Path json = dir.resolve("tokenizer.json");

        assertThat(run("tokenizer", "train", "--vocab-size", "300", "--out", json.toString(), text.toString()))
                .as(err.toString()).isZero();
        BpeTokenizer tokenizer = BpeTokenizer.load(json);
        assertThat(tokenizer.vocabSize()).isBetween(258, 300);

        out.getBuffer().setLength(0);
        assertThat(run("tokenizer", "encode", "--tokenizer", json.toString(), text.toString())).isZero();
        String[] arrays = out.toString().split("\n");
        assertThat(arrays).hasSize(lines.size());
        ObjectMapper mapper = new ObjectMapper();
        for (int i = 0; i < lines.size(); i++) {
            JsonNode array = mapper.readTree(arrays[i]);
            int[] ids = new int[array.size()];
            for (int k = 0; k < ids.length; k++) {
                ids[k] = array.get(k).asInt();
            }
            assertThat(tokenizer.decode(ids)).isEqualTo(lines.get(i));
            assertThat(ids.length).isLessThan(lines.get(i).getBytes(java.nio.charset.StandardCharsets.UTF_8).length);
        }
    }

    @Test
    void jsonlTakesTheChosenFieldAndAMalformedLineIsNamed() throws IOException {
        Path good = Files.write(dir.resolve("a.jsonl"), List.of("{\"body\": \"experts route tokens\"}",
                "{\"body\": \"experts route tokens again\"}"));
        Path json = dir.resolve("t.json");
        assertThat(run("tokenizer", "train", "--vocab-size", "270", "--text-field", "body", "--out", json.toString(),
                good.toString())).as(err.toString()).isZero();
        assertThat(BpeTokenizer.load(json).decode(BpeTokenizer.load(json).encode("experts"))).isEqualTo("experts");

        Path bad = Files.write(dir.resolve("b.jsonl"), List.of("{\"body\": \"fine\"}", "{not json"));
        assertThat(run("tokenizer", "train", "--vocab-size", "270", "--text-field", "body", "--out", json.toString(),
                bad.toString())).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(err.toString()).contains(bad + ":2: invalid JSON");
    }

    @Test
    void missingFilesGetOneLineErrors() {
        Path missing = dir.resolve("nope.txt");
        assertThat(run("tokenizer", "train", "--vocab-size", "300", "--out", dir.resolve("t.json").toString(),
                missing.toString())).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(err.toString().strip()).isEqualTo("error: no such file: " + missing);
        assertThat(run("tokenizer", "encode", "--tokenizer", missing.toString(), missing.toString()))
                .isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(err.toString()).contains("no such tokenizer file: " + missing);
    }
}
