package org.r1wb.pipeline.stages;

import java.io.BufferedReader;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.r1wb.pipeline.stage.StageContext;

/**
 * How far a reader got, by bytes read from disk over the size of all its files (compressed bytes for {@code .gz}),
 * so that one large file still moves the progress bar and an ETA can be estimated.
 */
final class ReadProgress {

    private final StageContext context;
    private final long totalBytes;
    private long finishedBytes;
    private CountingStream current;

    ReadProgress(StageContext context, List<Path> files) throws IOException {
        this.context = context;
        long total = 0;
        for (Path file : files) {
            total += Files.size(file);
        }
        this.totalBytes = Math.max(1, total);
    }

    /** Opens {@code file} (see {@link InputFiles#open}) counting the bytes read from it. */
    BufferedReader open(Path file) throws IOException {
        if (current != null) {
            finishedBytes += current.count;
        }
        return InputFiles.open(file, in -> current = new CountingStream(in));
    }

    /** Reports the fraction read so far. */
    void report(String message) {
        long read = finishedBytes + (current == null ? 0 : current.count);
        context.progress(Math.min(1.0, (double) read / totalBytes), message);
    }

    private static final class CountingStream extends FilterInputStream {
        private long count;

        CountingStream(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count++;
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = super.read(buffer, offset, length);
            if (n > 0) {
                count += n;
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            long skipped = super.skip(n);
            count += skipped;
            return skipped;
        }
    }
}
