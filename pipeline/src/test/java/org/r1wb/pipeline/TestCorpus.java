package org.r1wb.pipeline;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Deterministic mixed-script text for tokenizer and pipeline tests. */
public final class TestCorpus {

    private static final String[] WORDS = {
        "the", "model", "learns", "experts", "router", "token", "attention", "data", "pipeline", "shard",
        "it's", "we'll", "they're", "I'd", "you've", "don't", "Paris", "Zürich", "naïve", "café",
        "東京", "数据", "模型", "こんにちは", "세계", "Привет", "مرحبا", "γειά", "🙂", "👩‍💻", "👍🏽", "🚀",
        "e\u0301", "n\u0303o", "a\u0308\u0304", "3.14159", "42", "2024", "x²", "½", "(hello)", "[42]", "--",
        "...", "!!", "?", "#tag", "@user", "$9.99", "100%", "a+b=c", "\"quoted\""
    };
    private static final String[] GAPS = {" ", " ", " ", " ", "  ", "\t", "\n", " \n ", "   ", "\n\n"};

    private TestCorpus() {
    }

    /** About {@code chars} characters of text as documents of 5–40 words. */
    public static List<String> documents(long seed, int chars) {
        Random random = new Random(seed);
        List<String> docs = new ArrayList<>();
        int total = 0;
        while (total < chars) {
            StringBuilder doc = new StringBuilder();
            int words = 5 + random.nextInt(36);
            for (int w = 0; w < words; w++) {
                if (w > 0) {
                    doc.append(GAPS[random.nextInt(GAPS.length)]);
                }
                doc.append(random.nextInt(5) == 0 ? Integer.toString(random.nextInt(100_000))
                        : WORDS[random.nextInt(WORDS.length)]);
            }
            docs.add(doc.toString());
            total += doc.length();
        }
        return docs;
    }
}
