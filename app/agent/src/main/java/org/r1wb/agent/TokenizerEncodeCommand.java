package org.r1wb.agent;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.r1wb.pipeline.bpe.BpeTokenizer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code r1wb tokenizer encode --tokenizer tokenizer.json FILE}: one JSON array of ids per input line on stdout
 * ({@code -} reads standard input). Special token texts in the input become their ids, as in HF tokenizers.
 */
@Command(name = "encode", description = "Encode text one line at a time: one JSON array of ids per line.")
final class TokenizerEncodeCommand extends BaseCommand implements Callable<Integer> {

    @Option(names = "--tokenizer", required = true, paramLabel = "FILE", description = "A tokenizer.json.")
    private Path tokenizerFile;

    @Parameters(paramLabel = "FILE", description = "Text to encode, one document a line ('-' for standard input).")
    private String input;

    @Override
    public Integer call() throws IOException {
        if (!Files.isRegularFile(tokenizerFile)) {
            return badInput("no such tokenizer file: " + tokenizerFile);
        }
        BpeTokenizer tokenizer;
        try {
            tokenizer = BpeTokenizer.load(tokenizerFile);
        } catch (IOException e) {
            return badInput(e.getMessage());
        }
        boolean stdin = "-".equals(input);
        if (!stdin && !Files.isRegularFile(Path.of(input))) {
            return badInput("no such file: " + input);
        }
        PrintWriter out = out();
        // An InputStreamReader replaces malformed UTF-8 with U+FFFD rather than failing mid-file.
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(
                stdin ? System.in : Files.newInputStream(Path.of(input)), StandardCharsets.UTF_8), 1 << 16)) {
            StringBuilder line = new StringBuilder();
            String text;
            while ((text = reader.readLine()) != null) {
                line.setLength(0);
                line.append('[');
                int[] ids = tokenizer.encode(text);
                for (int i = 0; i < ids.length; i++) {
                    if (i > 0) {
                        line.append(',');
                    }
                    line.append(ids[i]);
                }
                out.println(line.append(']'));
            }
        }
        out.flush();
        return ExitCodes.OK;
    }
}
