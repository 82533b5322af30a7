package org.r1wb.resources;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Prose for the sample corpus: sentences the project wrote about its own subject, combined into
 * paragraphs by a seeded shuffle so the corpus is larger than the sentence list but still ours.
 */
public final class SampleProse {

    private static final String SENTENCES = "sample/prose-sentences.txt";

    private SampleProse() {
    }

    /** The project's sentences, one per element, in file order. */
    public static List<String> sentences() {
        try (InputStream in = SampleProse.class.getResourceAsStream(SENTENCES)) {
            if (in == null) {
                throw new IllegalStateException("missing bundled resource " + SENTENCES);
            }
            List<String> lines = new ArrayList<>();
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (!line.isBlank()) {
                    lines.add(line.strip());
                }
            }
            return lines;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code count} paragraphs of two to five sentences each, reproducible from {@code seed}. */
    public static List<String> paragraphs(long seed, int count) {
        List<String> sentences = sentences();
        Random random = new Random(seed);
        List<String> paragraphs = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int length = 2 + random.nextInt(4);
            StringBuilder paragraph = new StringBuilder();
            for (int j = 0; j < length; j++) {
                if (j > 0) {
                    paragraph.append(' ');
                }
                paragraph.append(sentences.get(random.nextInt(sentences.size())));
            }
            paragraphs.add(paragraph.toString());
        }
        return paragraphs;
    }
}
