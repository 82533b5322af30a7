package org.r1wb.pipeline.shards;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/**
 * The {@code index.json} of a token-shard folder; written last, so its presence marks the folder complete.
 *
 * @param format     file format version (1)
 * @param dtype      {@code uint16} or {@code int32}
 * @param vocabSize  tokenizer vocabulary size
 * @param eotId      the id that ends each document
 * @param splits     split name ({@code train}, {@code val}) → file and token count
 * @param digest     the pipeline digest that produced the folder
 * @param tokenizer  the tokenizer file name inside the folder
 * @param stats      free-form statistics (documents per split, per-stage counts)
 */
public record ShardIndex(int format, String dtype, int vocabSize, int eotId, Map<String, Split> splits,
                         String digest, String tokenizer, JsonNode stats) {

    /** The current format version. */
    public static final int FORMAT = 1;

    /** The file name of the index inside a shard folder. */
    public static final String FILE = "index.json";

    /**
     * @param file   file name inside the folder
     * @param tokens number of tokens in it
     */
    public record Split(String file, long tokens) {
    }
}
