package org.r1wb.agent;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Optional;

/**
 * The exclusive OS file lock ({@code runs/<id>/agent.lock}) held by the one agent that drives a run.
 *
 * <p>The OS drops the lock when its process dies, however it dies (kill -9 included), so a free lock on a run
 * whose journal still says {@code running} is proof that its agent is gone: unlike a pid file, it cannot be
 * fooled by a reused pid.
 */
public final class RunLock implements AutoCloseable {

    public static final String FILE = "agent.lock";

    private final FileChannel channel;
    private final FileLock lock;

    private RunLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /** Takes the lock if no agent holds it (in any process, this one included). */
    public static Optional<RunLock> tryAcquire(RunFolder run) throws IOException {
        Files.createDirectories(run.dir());
        FileChannel channel = FileChannel.open(run.dir().resolve(FILE), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE);
        try {
            FileLock lock = channel.tryLock();
            if (lock != null) {
                return Optional.of(new RunLock(channel, lock));
            }
        } catch (OverlappingFileLockException e) {
            // held by this JVM: as busy as if another process held it
        }
        channel.close();
        return Optional.empty();
    }

    /** Takes the lock, retrying for up to {@code patience} while a short-lived holder (a status check) lets go. */
    public static Optional<RunLock> acquire(RunFolder run, Duration patience) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + patience.toNanos();
        while (true) {
            Optional<RunLock> lock = tryAcquire(run);
            if (lock.isPresent() || System.nanoTime() > deadline) {
                return lock;
            }
            Thread.sleep(50);
        }
    }

    /** True when some agent holds the run's lock now. */
    public static boolean isHeld(RunFolder run) throws IOException {
        if (!Files.isDirectory(run.dir())) {
            return false;
        }
        Optional<RunLock> probe = tryAcquire(run);
        probe.ifPresent(RunLock::close);
        return probe.isEmpty();
    }

    @Override
    public void close() {
        try {
            lock.release();
            channel.close();
        } catch (IOException e) {
            // closing the channel releases the lock in any case
        }
    }
}
