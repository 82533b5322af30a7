package org.r1wb.agent;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.zip.GZIPInputStream;
import org.r1wb.pipeline.bpe.BpeTokenizer;
import org.r1wb.pipeline.bpe.BpeTrainer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code r1wb tokenizer train --vocab-size N --out tokenizer.json FILE...}: trains a byte-level BPE tokenizer on
 * plain text (one document a line) or JSON Lines ({@code --text-field}, or files named {@code *.jsonl}); {@code .gz}
 * files are read decompressed.
 */
@Command(name = "train", description = "Train a byte-level BPE tokenizer; writes an HF-compatible tokenizer.json.")
final class TokenizerTrainCommand extends BaseCommand implements Callable<Integer> {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Option(names = "--vocab-size", required = true, paramLabel = "N",
            description = "Vocabulary size: 256 byte tokens + special tokens + merges.")
    private int vocabSize;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "Where to write tokenizer.json.")
    private Path out;

    @Option(names = "--text-field", paramLabel = "NAME",
            description = "Read the inputs as JSON Lines and take the text from this field (default for *.jsonl: text).")
    private String textField;

    @Option(names = "--min-frequency", defaultValue = "2", paramLabel = "N",
            description = "Never merge pairs seen fewer times (default: ${DEFAULT-VALUE}).")
    private int minFrequency;

    @Option(names = "--special-tokens", split = ",", defaultValue = "<|endoftext|>", paramLabel = "TOKEN",
            description = "Comma-separated special tokens (default: ${DEFAULT-VALUE}).")
    private List<String> specialTokens;

    @Parameters(paramLabel = "FILE", arity = "1..*", description = "Training text: one document a line, or JSONL.")
    private List<Path> files;

    @Override
    public Integer call() throws IOException {
        BpeTrainer trainer;
        try {
            trainer = BpeTrainer.builder().setVocabSize(vocabSize).optMinFrequency(minFrequency)
                    .optSpecialTokens(specialTokens).build();
        } catch (IllegalArgumentException e) {
            return badInput(e.getMessage());
        }
        List<String> documents = new ArrayList<>();
        for (Path file : files) {
            if (!Files.isRegularFile(file)) {
                return badInput("no such file: " + file);
            }
            String field = textField != null ? textField : isJsonl(file) ? "text" : null;
            try {
                int before = documents.size();
                read(file, field, documents);
                if (documents.size() == before) {
                    return badInput(file + " holds no text");
                }
            } catch (BadLine e) {
                return badInput(e.getMessage());
            }
        }
        long start = System.nanoTime();
        BpeTokenizer tokenizer = trainer.train(documents);
        tokenizer.save(out);
        out().printf("trained %d tokens on %,d documents in %.1f s -> %s%n", tokenizer.vocabSize(), documents.size(),
                (System.nanoTime() - start) / 1e9, out);
        return ExitCodes.OK;
    }

    private static boolean isJsonl(Path file) {
        String name = file.getFileName().toString();
        return name.endsWith(".jsonl") || name.endsWith(".jsonl.gz");
    }

    /** Appends each non-blank line (or each record's field) of {@code file}; malformed UTF-8 becomes U+FFFD. */
    private static void read(Path file, String field, List<String> documents) throws IOException, BadLine {
        InputStream in = Files.newInputStream(file);
        if (file.getFileName().toString().endsWith(".gz")) {
            in = new GZIPInputStream(in, 1 << 16);
        }
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 1 << 16)) {
            String line;
            int number = 0;
            while ((line = reader.readLine()) != null) {
                number++;
                if (line.isBlank()) {
                    continue;
                }
                documents.add(field == null ? line : field(line, field, file + ":" + number));
            }
        }
    }

    private static String field(String line, String field, String where) throws BadLine {
        try {
            JsonNode text = JSON.readTree(line).get(field);
            if (text == null || !text.isTextual()) {
                throw new BadLine(where + ": no string field '" + field + "' (choose it with --text-field)");
            }
            return text.asText();
        } catch (JsonProcessingException e) {
            throw new BadLine(where + ": invalid JSON: " + e.getOriginalMessage());
        }
    }

    /** A malformed input line; the message is {@code file:line: reason}. */
    private static final class BadLine extends Exception {
        private static final long serialVersionUID = 1L;

        BadLine(String message) {
            super(message);
        }
    }
}
