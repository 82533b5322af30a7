package org.r1wb.pipeline.bpe;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.r1wb.pipeline.io.AtomicFiles;
import org.r1wb.pipeline.io.Json;

/**
 * A GPT-2 style byte-level BPE tokenizer: text → UTF-8 bytes → GPT-2 pre-tokenizer words → merges applied by
 * rank within each word. Special tokens are matched literally in the input before pre-tokenization, as in HF
 * {@code tokenizers}. {@link #save} writes an HF-compatible {@code tokenizer.json}; {@link #load} reads one.
 * Instances are immutable apart from a word cache and are safe to share between threads.
 */
public final class BpeTokenizer {

    /** Cached words beyond this are dropped wholesale, so a long stream of unique words cannot exhaust memory. */
    private static final int WORD_CACHE_LIMIT = 1 << 18;

    private final String[] tokens;
    private final byte[][] tokenBytes;
    private final int[] byteToId = new int[256];
    private final Map<Long, Integer> rankByPair = new HashMap<>();
    private final int[] mergeLeft;
    private final int[] mergeRight;
    private final int[] mergeResult;
    private final Map<String, Integer> specials;
    private final Pattern specialPattern;
    private final Map<String, int[]> wordCache = new ConcurrentHashMap<>();

    /**
     * @param vocab    byte-level token string → id, ids dense from 0 (special tokens may be absent; they are added)
     * @param merges   merge pairs of byte-level token strings, highest priority first
     * @param specials special token text → id
     */
    BpeTokenizer(Map<String, Integer> vocab, List<String[]> merges, Map<String, Integer> specials) {
        int size = 0;
        for (int id : vocab.values()) {
            size = Math.max(size, id + 1);
        }
        for (int id : specials.values()) {
            size = Math.max(size, id + 1);
        }
        tokens = new String[size];
        tokenBytes = new byte[size][];
        vocab.forEach((token, id) -> {
            tokens[id] = token;
            tokenBytes[id] = ByteLevel.decode(token);
        });
        this.specials = Collections.unmodifiableMap(new LinkedHashMap<>(specials));
        specials.forEach((text, id) -> {
            tokens[id] = text;
            tokenBytes[id] = text.getBytes(StandardCharsets.UTF_8);
        });
        for (int b = 0; b < 256; b++) {
            Integer id = vocab.get(String.valueOf(ByteLevel.toChar(b)));
            if (id == null) {
                throw new IllegalArgumentException("vocabulary lacks the byte token for 0x" + Integer.toHexString(b));
            }
            byteToId[b] = id;
        }
        mergeLeft = new int[merges.size()];
        mergeRight = new int[merges.size()];
        mergeResult = new int[merges.size()];
        for (int rank = 0; rank < merges.size(); rank++) {
            String[] pair = merges.get(rank);
            mergeLeft[rank] = idOf(vocab, pair[0], rank);
            mergeRight[rank] = idOf(vocab, pair[1], rank);
            mergeResult[rank] = idOf(vocab, pair[0] + pair[1], rank);
            rankByPair.putIfAbsent(pairKey(mergeLeft[rank], mergeRight[rank]), rank);
        }
        specialPattern = specials.isEmpty() ? null : Pattern.compile(specials.keySet().stream()
                .sorted(Comparator.comparingInt(String::length).reversed())
                .map(Pattern::quote)
                .collect(Collectors.joining("|")));
    }

    private static int idOf(Map<String, Integer> vocab, String token, int rank) {
        Integer id = vocab.get(token);
        if (id == null) {
            throw new IllegalArgumentException("merge " + rank + " uses '" + token + "', which is not in the vocabulary");
        }
        return id;
    }

    static long pairKey(int left, int right) {
        return ((long) left << 32) | (right & 0xFFFFFFFFL);
    }

    /** Number of ids, specials included. */
    public int vocabSize() {
        return tokens.length;
    }

    /** The id of a special token, e.g. {@code <|endoftext|>}. */
    public int tokenId(String special) {
        Integer id = specials.get(special);
        if (id == null) {
            throw new IllegalArgumentException("no special token '" + special + "'; this tokenizer has " + specials.keySet());
        }
        return id;
    }

    /** Special token text → id, in id order. */
    public Map<String, Integer> specialTokens() {
        return specials;
    }

    /** The token string of an id: byte-level characters (GPT-2 style, space shown as 'Ġ'), or a special's text. */
    public String token(int id) {
        return tokens[id];
    }

    /** Encodes text; special token texts in it become their ids (as HF {@code tokenizers} does). */
    public int[] encode(String text) {
        if (specialPattern == null) {
            return encodeOrdinary(text);
        }
        IntList ids = new IntList();
        Matcher m = specialPattern.matcher(text);
        int start = 0;
        while (m.find()) {
            encodeInto(text.substring(start, m.start()), ids);
            ids.add(specials.get(m.group()));
            start = m.end();
        }
        encodeInto(text.substring(start), ids);
        return ids.toArray();
    }

    /** Encodes text treating special token texts as plain text, so data can never forge a separator. */
    public int[] encodeOrdinary(String text) {
        IntList ids = new IntList();
        encodeInto(text, ids);
        return ids.toArray();
    }

    private void encodeInto(String text, IntList ids) {
        if (!text.isEmpty()) {
            PreTokenizer.split(text, word -> ids.addAll(encodeWord(word)));
        }
    }

    private int[] encodeWord(String word) {
        int[] cached = wordCache.get(word);
        if (cached != null) {
            return cached;
        }
        byte[] bytes = word.getBytes(StandardCharsets.UTF_8);
        int[] symbols = new int[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            symbols[i] = byteToId[bytes[i] & 0xFF];
        }
        int length = applyMerges(symbols, bytes.length);
        int[] result = java.util.Arrays.copyOf(symbols, length);
        if (wordCache.size() >= WORD_CACHE_LIMIT) {
            wordCache.clear();
        }
        wordCache.put(word, result);
        return result;
    }

    /** Repeatedly merges the best-ranked adjacent pair (every occurrence, left to right); returns the new length. */
    private int applyMerges(int[] symbols, int length) {
        while (length > 1) {
            int bestRank = Integer.MAX_VALUE;
            for (int i = 0; i + 1 < length; i++) {
                Integer rank = rankByPair.get(pairKey(symbols[i], symbols[i + 1]));
                if (rank != null && rank < bestRank) {
                    bestRank = rank;
                }
            }
            if (bestRank == Integer.MAX_VALUE) {
                return length;
            }
            int left = mergeLeft[bestRank];
            int right = mergeRight[bestRank];
            int out = 0;
            for (int i = 0; i < length; ) {
                if (i + 1 < length && symbols[i] == left && symbols[i + 1] == right) {
                    symbols[out++] = mergeResult[bestRank];
                    i += 2;
                } else {
                    symbols[out++] = symbols[i++];
                }
            }
            length = out;
        }
        return length;
    }

    /** Decodes ids to text; byte sequences that are not valid UTF-8 become U+FFFD. */
    public String decode(int[] ids) {
        return decode(ids, 0, ids.length);
    }

    /** Decodes {@code ids[from, to)}. */
    public String decode(int[] ids, int from, int to) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (int i = from; i < to; i++) {
            int id = ids[i];
            if (id < 0 || id >= tokenBytes.length || tokenBytes[id] == null) {
                throw new IllegalArgumentException("token id " + id + " is outside the vocabulary (size " + tokens.length + ")");
            }
            bytes.writeBytes(tokenBytes[id]);
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    /** Writes an HF {@code tokenizers} {@code tokenizer.json} (BPE model, ByteLevel pre-tokenizer and decoder). */
    public void save(Path tokenizerJson) throws IOException {
        ObjectNode root = Json.mapper().createObjectNode();
        root.put("version", "1.0");
        root.putNull("truncation");
        root.putNull("padding");
        ArrayNode added = root.putArray("added_tokens");
        specials.forEach((text, id) -> added.addObject()
                .put("id", id)
                .put("content", text)
                .put("single_word", false)
                .put("lstrip", false)
                .put("rstrip", false)
                .put("normalized", false)
                .put("special", true));
        root.putNull("normalizer");
        root.set("pre_tokenizer", byteLevel(false, true));
        root.putNull("post_processor");
        root.set("decoder", byteLevel(true, true));
        ObjectNode model = root.putObject("model");
        model.put("type", "BPE");
        model.putNull("dropout");
        model.putNull("unk_token");
        model.putNull("continuing_subword_prefix");
        model.putNull("end_of_word_suffix");
        model.put("fuse_unk", false);
        model.put("byte_fallback", false);
        model.put("ignore_merges", false);
        ObjectNode vocab = model.putObject("vocab");
        for (int id = 0; id < tokens.length; id++) {
            vocab.put(tokens[id], id);
        }
        // "left right" strings rather than pairs: byte-level tokens never hold a real space, and every version of
        // tokenizers reads this form.
        ArrayNode merges = model.putArray("merges");
        for (int rank = 0; rank < mergeLeft.length; rank++) {
            merges.add(tokens[mergeLeft[rank]] + " " + tokens[mergeRight[rank]]);
        }
        AtomicFiles.write(tokenizerJson, out -> Json.mapper().writeValue(out, root));
    }

    private static ObjectNode byteLevel(boolean addPrefixSpace, boolean trimOffsets) {
        ObjectNode node = Json.mapper().createObjectNode();
        node.put("type", "ByteLevel");
        node.put("add_prefix_space", addPrefixSpace);
        node.put("trim_offsets", trimOffsets);
        node.put("use_regex", true);
        return node;
    }

    /** Reads a byte-level BPE {@code tokenizer.json} as {@link #save} writes it (GPT-2 style files load too). */
    public static BpeTokenizer load(Path tokenizerJson) throws IOException {
        JsonNode root = Json.mapper().readTree(tokenizerJson.toFile());
        JsonNode model = root.path("model");
        if (!"BPE".equals(model.path("type").asText())) {
            throw new IOException(tokenizerJson + ": model.type is '" + model.path("type").asText()
                    + "', expected 'BPE'");
        }
        String preTokenizer = root.path("pre_tokenizer").path("type").asText();
        if (!"ByteLevel".equals(preTokenizer)) {
            throw new IOException(tokenizerJson + ": pre_tokenizer.type is '" + preTokenizer
                    + "', only byte-level BPE (ByteLevel) is supported");
        }
        Map<String, Integer> vocab = new LinkedHashMap<>();
        model.path("vocab").properties().forEach(e -> vocab.put(e.getKey(), e.getValue().asInt()));
        List<String[]> merges = new ArrayList<>();
        for (JsonNode merge : model.path("merges")) {
            if (merge.isArray()) {
                merges.add(new String[] {merge.get(0).asText(), merge.get(1).asText()});
            } else {
                String text = merge.asText();
                int space = text.indexOf(' ');
                if (space < 0) {
                    throw new IOException(tokenizerJson + ": merge '" + text + "' is not 'left right'");
                }
                merges.add(new String[] {text.substring(0, space), text.substring(space + 1)});
            }
        }
        Map<String, Integer> specials = new LinkedHashMap<>();
        for (JsonNode added : root.path("added_tokens")) {
            String content = added.path("content").asText();
            specials.put(content, added.path("id").asInt());
            vocab.remove(content);
        }
        try {
            return new BpeTokenizer(vocab, merges, specials);
        } catch (IllegalArgumentException e) {
            throw new IOException(tokenizerJson + ": " + e.getMessage(), e);
        }
    }
}
