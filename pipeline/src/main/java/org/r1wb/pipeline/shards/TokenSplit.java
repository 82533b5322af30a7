package org.r1wb.pipeline.shards;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** One memory-mapped split ({@code train} or {@code val}): random access to its token ids. */
public final class TokenSplit {

    /** Mapped in 1 GiB windows (a multiple of every dtype width, so no token straddles two windows). */
    private static final int WINDOW_BITS = 30;

    private final TokenDtype dtype;
    private final long length;
    private final MappedByteBuffer[] windows;

    TokenSplit(Path file, TokenDtype dtype, long tokens) throws IOException {
        this.dtype = dtype;
        this.length = tokens;
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long bytes = tokens * dtype.width();
            if (channel.size() != bytes) {
                throw new IOException(file + " holds " + channel.size() + " bytes, index.json promises " + tokens
                        + " " + dtype.label() + " tokens (" + bytes + " bytes): the folder is damaged, rerun the pipeline");
            }
            int count = (int) ((bytes + (1L << WINDOW_BITS) - 1) >>> WINDOW_BITS);
            windows = new MappedByteBuffer[count];
            for (int w = 0; w < count; w++) {
                long start = (long) w << WINDOW_BITS;
                long size = Math.min(1L << WINDOW_BITS, bytes - start);
                windows[w] = channel.map(FileChannel.MapMode.READ_ONLY, start, size);
                windows[w].order(ByteOrder.LITTLE_ENDIAN);
            }
        }
    }

    /** Number of tokens. */
    public long length() {
        return length;
    }

    /** The token id at {@code index}. */
    public int get(long index) {
        if (index < 0 || index >= length) {
            throw new IndexOutOfBoundsException("token " + index + " of " + length);
        }
        long offset = index * dtype.width();
        MappedByteBuffer window = windows[(int) (offset >>> WINDOW_BITS)];
        int position = (int) (offset & ((1L << WINDOW_BITS) - 1));
        return dtype == TokenDtype.UINT16 ? Short.toUnsignedInt(window.getShort(position)) : window.getInt(position);
    }

    /** Copies {@code dst.length} tokens starting at {@code offset} into {@code dst}. */
    public void read(long offset, int[] dst) {
        if (offset < 0 || offset + dst.length > length) {
            throw new IndexOutOfBoundsException("tokens [" + offset + ", " + (offset + dst.length) + ") of " + length);
        }
        for (int i = 0; i < dst.length; i++) {
            dst[i] = get(offset + i);
        }
    }
}
