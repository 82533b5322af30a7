package org.r1wb.agent.remote;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP relay between the SSH client and a server that can cut every relayed connection at once: the
 * network drop of a laptop that sleeps or loses its Wi-Fi, as both ends see it (their sockets close).
 */
final class CuttingProxy implements AutoCloseable {

    private final ServerSocket listener;
    private final int target;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    /** Server-to-client bytes still let through before {@link #cutAfter} cuts; negative when not armed. */
    private final AtomicLong budget = new AtomicLong(-1);

    CuttingProxy(int target) throws IOException {
        this.target = target;
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::accept, "proxy-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    int port() {
        return listener.getLocalPort();
    }

    /** How many connections are being relayed right now. */
    int openPairs() {
        return open.size() / 2;
    }

    /** Closes every relayed connection (both sides); returns how many there were. */
    int cut() {
        int pairs = open.size() / 2;
        for (Socket socket : open) {
            closeQuietly(socket);
        }
        open.clear();
        return pairs;
    }

    /**
     * Cuts every relayed connection once {@code bytes} more bytes have gone from the server to the client: a drop in
     * the middle of a download, the chunk that crosses the mark is never delivered.
     */
    void cutAfter(long bytes) {
        budget.set(bytes);
    }

    private void accept() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                Socket server;
                try {
                    server = new Socket(InetAddress.getLoopbackAddress(), target);
                } catch (IOException e) {
                    closeQuietly(client);
                    continue;
                }
                open.add(client);
                open.add(server);
                pump(client, server, false);
                pump(server, client, true);
            } catch (IOException e) {
                return;
            }
        }
    }

    private void pump(Socket from, Socket to, boolean downstream) {
        Thread thread = new Thread(() -> {
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                byte[] buffer = new byte[1 << 16];
                int n;
                while ((n = in.read(buffer)) > 0) {
                    if (downstream && budget.get() >= 0 && budget.addAndGet(-n) < 0) {
                        budget.set(-1);
                        cut();
                        return;
                    }
                    out.write(buffer, 0, n);
                }
            } catch (IOException e) {
                // cut, or the other side closed
            } finally {
                closeQuietly(from);
                closeQuietly(to);
                open.remove(from);
                open.remove(to);
            }
        }, "proxy-pump");
        thread.setDaemon(true);
        thread.start();
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // already closed
        }
    }

    @Override
    public void close() throws IOException {
        listener.close();
        cut();
    }
}
