package org.r1wb.pipeline.shards;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.r1wb.pipeline.TestCorpus;
import org.r1wb.pipeline.bpe.BpeTokenizer;
import org.r1wb.pipeline.bpe.BpeTrainer;

class TokenShardsTest {

    private static final String EOT = "<|endoftext|>";
    private static List<String> docs;
    private static BpeTokenizer tokenizer;

    @BeforeAll
    static void train() {
        docs = TestCorpus.documents(31, 200_000);
        tokenizer = BpeTrainer.builder().setVocabSize(600).build().train(docs);
    }

    @Test
    void theReaderReadsWhatTheWriterWrote(@TempDir Path dir) throws IOException {
        DocumentSplitter splitter = new DocumentSplitter(0.1, 7);
        List<Integer> expectedTrain = new ArrayList<>();
        List<Integer> expectedVal = new ArrayList<>();
        try (TokenShardWriter writer = new TokenShardWriter(dir, tokenizer, EOT, splitter)) {
            for (String doc : docs) {
                String split = writer.add(doc);
                List<Integer> target = split.equals(TokenShardWriter.VAL) ? expectedVal : expectedTrain;
                for (int id : tokenizer.encodeOrdinary(doc)) {
                    target.add(id);
                }
                target.add(tokenizer.tokenId(EOT));
            }
            writer.finish("abc123", null);
        }

        TokenShards shards = TokenShards.open(dir);
        assertThat(shards.digest()).isEqualTo("abc123");
        assertThat(shards.vocabSize()).isEqualTo(600);
        assertThat(shards.eotId()).isEqualTo(tokenizer.tokenId(EOT));
        assertThat(shards.index().dtype()).isEqualTo("uint16");
        assertThat(readAll(shards.split("train"))).isEqualTo(expectedTrain);
        assertThat(readAll(shards.split("val"))).isEqualTo(expectedVal);
        double valShare = (double) shards.index().stats().path("documents").path("val").asLong() / docs.size();
        assertThat(valShare).isBetween(0.06, 0.14);

        TokenSplit train = shards.split("train");
        int[] window = new int[100];
        train.read(50, window);
        for (int i = 0; i < window.length; i++) {
            assertThat(window[i]).isEqualTo(train.get(50 + i));
        }
        assertThat(shards.tokenizer().encode(docs.get(0))).isEqualTo(tokenizer.encode(docs.get(0)));
        assertThat(Files.list(dir).map(p -> p.getFileName().toString()))
                .containsExactlyInAnyOrder("train.bin", "val.bin", "tokenizer.json", "index.json");
    }

    @Test
    void int32ShardsRoundTrip(@TempDir Path dir) throws IOException {
        List<Integer> expected = new ArrayList<>();
        try (TokenShardWriter writer = new TokenShardWriter(dir, tokenizer, EOT, new DocumentSplitter(0, 1),
                TokenDtype.INT32)) {
            for (String doc : docs.subList(0, 50)) {
                writer.add(doc);
                for (int id : tokenizer.encodeOrdinary(doc)) {
                    expected.add(id);
                }
                expected.add(tokenizer.tokenId(EOT));
            }
            writer.finish("d", null);
        }
        TokenShards shards = TokenShards.open(dir);
        assertThat(shards.index().dtype()).isEqualTo("int32");
        assertThat(Files.size(dir.resolve("train.bin"))).isEqualTo(4L * expected.size());
        assertThat(readAll(shards.split("train"))).isEqualTo(expected);
        assertThat(shards.split("val").length()).isZero();
    }

    @Test
    void anUnfinishedWriterLeavesNoShards(@TempDir Path dir) throws IOException {
        try (TokenShardWriter writer = new TokenShardWriter(dir, tokenizer, EOT, new DocumentSplitter(0.5, 1))) {
            writer.add("some text");
        }
        assertThat(Files.list(dir)).isEmpty();
        assertThatThrownBy(() -> TokenShards.open(dir)).hasMessageContaining("index.json");
    }

    @Test
    void aTruncatedShardIsRejected(@TempDir Path dir) throws IOException {
        try (TokenShardWriter writer = new TokenShardWriter(dir, tokenizer, EOT, new DocumentSplitter(0, 1))) {
            writer.add(docs.get(0));
            writer.finish("d", null);
        }
        try (FileChannel channel = FileChannel.open(dir.resolve("train.bin"), StandardOpenOption.WRITE)) {
            channel.truncate(channel.size() - 2);
        }
        assertThatThrownBy(() -> TokenShards.open(dir)).hasMessageContaining("damaged");
    }

    @Test
    void theSplitIsDeterministicAndSeeded() {
        DocumentSplitter a = new DocumentSplitter(0.3, 1);
        DocumentSplitter b = new DocumentSplitter(0.3, 2);
        long same = docs.stream().filter(d -> a.isValidation(d) == new DocumentSplitter(0.3, 1).isValidation(d)).count();
        long agree = docs.stream().filter(d -> a.isValidation(d) == b.isValidation(d)).count();
        assertThat(same).isEqualTo(docs.size());
        assertThat(agree).isLessThan(docs.size());
    }

    private static List<Integer> readAll(TokenSplit split) {
        List<Integer> ids = new ArrayList<>();
        for (long i = 0; i < split.length(); i++) {
            ids.add(split.get(i));
        }
        return ids;
    }
}
