package org.r1wb.agent.remote;

import com.jcraft.jsch.ChannelExec;
import com.jcraft.jsch.JSchException;
import com.jcraft.jsch.Session;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;

/**
 * One SSH connection to a node: runs shell commands, streams files in and out through them (plain
 * {@code cat}, so any server with a POSIX shell works, no SFTP subsystem needed). Closing it ends every
 * channel; processes started detached on the node live on.
 */
public final class SshSession implements AutoCloseable {

    /** What a command gave back; {@code exitCode} is -1 when the link dropped before the command ended. */
    public record Result(int exitCode, String stdout, String stderr) {

        /** stderr, else stdout, first line: the part a message quotes. */
        public String firstLine() {
            String text = stderr.isBlank() ? stdout : stderr;
            String stripped = text.strip();
            int newline = stripped.indexOf('\n');
            return newline < 0 ? stripped : stripped.substring(0, newline);
        }
    }

    /** Receives the lines of a streamed command's stdout. */
    @FunctionalInterface
    public interface LineHandler {
        void line(String line) throws IOException;
    }

    private static final Duration CHANNEL_TIMEOUT = Duration.ofSeconds(10);

    private final NodeSpec node;
    private final Session session;
    private final Session hop;

    SshSession(NodeSpec node, Session session, Session hop) {
        this.node = node;
        this.session = session;
        this.hop = hop;
    }

    public NodeSpec node() {
        return node;
    }

    /** True while the link is up. */
    public boolean isConnected() {
        return session.isConnected();
    }

    /** Runs {@code command} in the node's shell and collects its output. */
    public Result exec(String command) throws RemoteException {
        return exec(command, null);
    }

    /** Runs {@code command} with {@code stdin} (closed at its end) and collects its output. */
    public Result exec(String command, InputStream stdin) throws RemoteException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        ChannelExec channel = open(command);
        try {
            channel.setErrStream(err, true);
            InputStream output = channel.getInputStream();
            OutputStream input = channel.getOutputStream();
            channel.connect((int) CHANNEL_TIMEOUT.toMillis());
            IOException stdinCut = null;
            try {
                if (stdin != null) {
                    stdin.transferTo(input);
                }
                input.close();
            } catch (IOException e) {
                // the command stopped reading (a full disk, say): its exit code and stderr tell why
                stdinCut = e;
            }
            output.transferTo(out);
            int exitCode = exitStatus(channel);
            if (exitCode == -1 && stdinCut != null) {
                throw stdinCut;
            }
            return new Result(exitCode, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } catch (JSchException | IOException e) {
            throw lost("running '" + abbreviate(command) + "'", e);
        } finally {
            channel.disconnect();
        }
    }

    /**
     * Runs {@code command} and hands each complete stdout line to {@code handler} as it arrives. Returns the
     * exit code, -1 when the link dropped first; a last line without its newline is dropped, never half-read.
     */
    public int stream(String command, LineHandler handler) throws IOException {
        ChannelExec channel = open(command);
        try {
            channel.setErrStream(OutputStream.nullOutputStream());
            InputStream output = channel.getInputStream();
            channel.connect((int) CHANNEL_TIMEOUT.toMillis());
            channel.getOutputStream().close();
            StringBuilder line = new StringBuilder();
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(output, StandardCharsets.UTF_8))) {
                int c;
                while ((c = reader.read()) >= 0) {
                    if (c == '\n') {
                        handler.line(line.toString());
                        line.setLength(0);
                    } else {
                        line.append((char) c);
                    }
                }
            }
            return exitStatus(channel);
        } catch (JSchException e) {
            throw lost("streaming '" + abbreviate(command) + "'", e);
        } finally {
            channel.disconnect();
        }
    }

    /**
     * Copies a node file to {@code local} (temp file, then rename), checking its size, so a link that drops
     * mid-way leaves nothing at {@code local}.
     */
    public void download(String remoteFile, Path local) throws IOException {
        Result size = exec("wc -c < " + Shell.quote(remoteFile));
        if (size.exitCode() != 0) {
            throw RemoteException.refused("cannot read " + remoteFile + " on " + node.address() + ": " + size.firstLine());
        }
        long expected = Long.parseLong(size.stdout().strip());
        Files.createDirectories(local.toAbsolutePath().getParent());
        Path temp = Files.createTempFile(local.toAbsolutePath().getParent(), "." + local.getFileName(), ".part");
        ChannelExec channel = open("cat " + Shell.quote(remoteFile));
        try {
            InputStream output = channel.getInputStream();
            channel.connect((int) CHANNEL_TIMEOUT.toMillis());
            channel.getOutputStream().close();
            long copied = Files.copy(output, temp, StandardCopyOption.REPLACE_EXISTING);
            if (exitStatus(channel) != 0 || copied != expected) {
                throw new RemoteException("download of " + remoteFile + " from " + node.address() + " stopped after "
                        + copied + " of " + expected + " bytes", true, null);
            }
            Files.move(temp, local, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (JSchException e) {
            throw lost("downloading " + remoteFile, e);
        } finally {
            channel.disconnect();
            Files.deleteIfExists(temp);
        }
    }

    private ChannelExec open(String command) throws RemoteException {
        try {
            ChannelExec channel = (ChannelExec) session.openChannel("exec");
            channel.setCommand(command);
            return channel;
        } catch (JSchException e) {
            throw lost("opening a channel", e);
        }
    }

    /** The command's exit code once the channel has closed; -1 when it closed without one (the link dropped). */
    private int exitStatus(ChannelExec channel) throws IOException {
        long deadline = System.nanoTime() + CHANNEL_TIMEOUT.toNanos();
        while (!channel.isClosed()) {
            if (!session.isConnected() || System.nanoTime() > deadline) {
                return -1;
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while waiting for a command on " + node.address(), e);
            }
        }
        return channel.getExitStatus();
    }

    private RemoteException lost(String what, Exception e) {
        return new RemoteException("the link to " + node.address() + " failed while " + what + ": " + e.getMessage(), true, e);
    }

    private static String abbreviate(String command) {
        return command.length() <= 80 ? command : command.substring(0, 77) + "...";
    }

    @Override
    public void close() {
        session.disconnect();
        if (hop != null) {
            hop.disconnect();
        }
    }
}
