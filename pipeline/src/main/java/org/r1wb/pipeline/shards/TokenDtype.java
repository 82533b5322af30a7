package org.r1wb.pipeline.shards;

/** How token ids are stored in a shard file (little-endian). */
public enum TokenDtype {
    /** Two bytes a token; enough for vocabularies up to 65536. */
    UINT16("uint16", 2),
    /** Four bytes a token, for larger vocabularies. */
    INT32("int32", 4);

    private final String label;
    private final int width;

    TokenDtype(String label, int width) {
        this.label = label;
        this.width = width;
    }

    /** The name written in {@code index.json}. */
    public String label() {
        return label;
    }

    /** Bytes per token. */
    public int width() {
        return width;
    }

    /** The smallest type that holds every id of a vocabulary of this size. */
    public static TokenDtype forVocabSize(int vocabSize) {
        return vocabSize <= 65536 ? UINT16 : INT32;
    }

    /** Looks up a label from {@code index.json}. */
    public static TokenDtype ofLabel(String label) {
        for (TokenDtype t : values()) {
            if (t.label.equals(label)) {
                return t;
            }
        }
        throw new IllegalArgumentException("unknown dtype '" + label + "', expected uint16 or int32");
    }
}
