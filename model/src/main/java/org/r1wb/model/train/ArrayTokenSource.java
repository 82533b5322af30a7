package org.r1wb.model.train;

/** A {@link TokenSource} over an in-memory array, for tests and small corpora. */
public final class ArrayTokenSource implements TokenSource {

    private final int[] tokens;
    private final int vocabSize;

    /** Wraps {@code tokens} (not copied); every id must be below {@code vocabSize}. */
    public ArrayTokenSource(int[] tokens, int vocabSize) {
        for (int i = 0; i < tokens.length; i++) {
            if (tokens[i] < 0 || tokens[i] >= vocabSize) {
                throw new IllegalArgumentException("token " + tokens[i] + " at " + i + " is outside [0, " + vocabSize + ")");
            }
        }
        this.tokens = tokens;
        this.vocabSize = vocabSize;
    }

    @Override
    public long length() {
        return tokens.length;
    }

    @Override
    public void read(long offset, int[] dst) {
        System.arraycopy(tokens, Math.toIntExact(offset), dst, 0, dst.length);
    }

    @Override
    public int vocabSize() {
        return vocabSize;
    }
}
