package org.r1wb.model.eval.task;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * Generator {@code copy-reverse}: word sequences to repeat or to reverse, each document
 * {@code {"mode": "copy"|"reverse", "text": …, "target": …}}. Parameters: {@code count} (default 40),
 * {@code words} per document (default 5), {@code seed} (default 7).
 */
public final class CopyReverseGenerator implements DocGenerator {

    private static final String[] WORDS = {"apple", "river", "stone", "cloud", "green", "seven", "table", "light",
        "music", "paper", "tiger", "water", "bread", "chair", "dream", "field", "glass", "house", "island", "jacket",
        "kettle", "lemon", "mountain", "needle", "orange", "pencil", "quiet", "rabbit", "summer", "travel"};
    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public String name() {
        return "copy-reverse";
    }

    @Override
    public List<ObjectNode> generate(JsonNode params) {
        int count = params.path("count").asInt(40);
        int words = params.path("words").asInt(5);
        Random random = new Random(params.path("seed").asLong(7));
        List<ObjectNode> docs = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            List<String> sequence = new ArrayList<>(words);
            for (int w = 0; w < words; w++) {
                sequence.add(WORDS[random.nextInt(WORDS.length)]);
            }
            boolean reverse = i % 2 == 1;
            List<String> target = new ArrayList<>(sequence);
            if (reverse) {
                Collections.reverse(target);
            }
            docs.add(JSON.createObjectNode().put("mode", reverse ? "reverse" : "copy")
                    .put("text", String.join(" ", sequence)).put("target", String.join(" ", target)));
        }
        return docs;
    }
}
