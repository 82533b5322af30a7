package org.r1wb.agent;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import org.r1wb.plugins.api.LoadedPlugin;
import org.r1wb.plugins.api.PluginDescriptor;

/**
 * Tries a workspace's plugins in a short-lived child JVM ({@code r1wb plugin check --json}) before any of them is
 * loaded into the run's JVM. A plugin that ends the child while it loads ({@code System.exit}, out of memory, a
 * native crash) or hangs there is the one whose {@code loading} line came last: it is marked failed by name and the
 * probe runs again without it, until a child gets through every remaining jar.
 */
final class PluginProbe {

    /**
     * What the probe found.
     *
     * @param passed  the jars that loaded cleanly in the child
     * @param refused the jars that did not, each with its reason
     * @param failure why the probe stopped short of some jars (they get no verdict), or null when it did not
     */
    record Result(Set<Path> passed, List<LoadedPlugin> refused, String failure) {
    }

    private static final String EOF = "\u0000eof";
    private static final int TAIL_LINES = 5;

    private final Duration perJar;

    PluginProbe() {
        this(Duration.ofSeconds(30));
    }

    /** A probe that gives each jar (and the child's start) {@code perJar} before blaming it. */
    PluginProbe(Duration perJar) {
        this.perJar = perJar;
    }

    /** Probes every plugin of {@code workspace}. */
    Result run(Path workspace) throws IOException {
        Map<Path, LoadedPlugin> verdicts = new LinkedHashMap<>();
        List<Path> blamed = new ArrayList<>();
        String failure = null;
        while (true) {
            Round round = round(workspace, blamed);
            verdicts.putAll(round.verdicts);
            if (round.finished) {
                break;
            }
            if (round.inProgress == null) {
                failure = "the plugin probe failed outside any plugin: "
                        + round.death + tailText(round.tail);
                break;
            }
            blamed.add(round.inProgress);
            verdicts.put(round.inProgress, new LoadedPlugin(round.inProgress, descriptorOf(round.inProgress),
                    LoadedPlugin.State.FAILED, round.death + " while loading it" + tailText(round.tail)));
        }
        Set<Path> passed = new HashSet<>();
        List<LoadedPlugin> refused = new ArrayList<>();
        verdicts.values().forEach(p -> {
            if (p.state() == LoadedPlugin.State.ACTIVE) {
                passed.add(p.jar());
            } else {
                refused.add(p);
            }
        });
        return new Result(passed, refused, failure);
    }

    /** One child run, skipping {@code blamed}. */
    private Round round(Path workspace, List<Path> blamed) throws IOException {
        List<String> args = new ArrayList<>(List.of("plugin", "check", "--json", "-w", workspace.toString()));
        blamed.forEach(jar -> args.addAll(List.of("--skip", jar.toString())));
        // A small heap and exit on OOM: a plugin that allocates without bound ends the child quickly.
        List<String> command = new LocalRunLauncher(List.of("-Xmx256m", "-XX:+ExitOnOutOfMemoryError",
                "-D" + PluginFolders.USER_PROPERTY + "=" + PluginFolders.user())).command(args);
        Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        Thread reader = new Thread(() -> pump(child, lines), "plugin-probe-reader");
        reader.setDaemon(true);
        reader.start();
        Round round = new Round();
        try {
            while (true) {
                String line = lines.poll(perJar.toMillis(), TimeUnit.MILLISECONDS);
                if (line == null) {
                    round.death = "hung the probe JVM (no answer within " + perJar.toSeconds() + " s)";
                    return round;
                }
                if (line.equals(EOF)) {
                    round.death = "ended the probe JVM (exit code " + exitCode(child)
                            + ": System.exit, out of memory or a crash)";
                    return round;
                }
                Optional<JsonNode> message = ProbeProtocol.parse(line);
                if (message.isEmpty()) {
                    round.keep(line);
                    continue;
                }
                switch (message.get().get(ProbeProtocol.FIELD).asText()) {
                    case ProbeProtocol.LOADING -> {
                        round.inProgress = ProbeProtocol.jar(message.get());
                        round.tail.clear();
                    }
                    case ProbeProtocol.LOADED -> {
                        LoadedPlugin plugin = ProbeProtocol.plugin(message.get());
                        round.verdicts.put(plugin.jar(), plugin);
                        round.inProgress = null;
                    }
                    case ProbeProtocol.DONE -> {
                        round.finished = true;
                        return round;
                    }
                    default -> round.keep(line);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while probing plugins", e);
        } finally {
            child.destroyForcibly();
        }
    }

    private static void pump(Process child, BlockingQueue<String> lines) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                lines.add(line);
            }
        } catch (IOException e) {
            // The child was killed while we read: what arrived is all there is.
        } finally {
            lines.add(EOF);
        }
    }

    private static String exitCode(Process child) throws InterruptedException {
        return child.waitFor(5, TimeUnit.SECONDS) ? Integer.toString(child.exitValue()) : "still running";
    }

    /** The jar's manifest descriptor (read without running any of its code), or null when unreadable. */
    static PluginDescriptor descriptorOf(Path jar) {
        try (JarFile file = new JarFile(jar.toFile())) {
            return PluginDescriptor.fromManifest(file.getManifest());
        } catch (IOException | IllegalArgumentException e) {
            return null;
        }
    }

    private static String tailText(Deque<String> tail) {
        return tail.isEmpty() ? "" : "; it printed: " + String.join(" | ", tail);
    }

    /** What one child run showed. */
    private static final class Round {
        private final Map<Path, LoadedPlugin> verdicts = new LinkedHashMap<>();
        private final Deque<String> tail = new ArrayDeque<>();
        private Path inProgress;
        private boolean finished;
        /** Why the child stopped short of {@code done}. */
        private String death;

        void keep(String line) {
            if (!line.isBlank()) {
                tail.addLast(line.strip());
                if (tail.size() > TAIL_LINES) {
                    tail.removeFirst();
                }
            }
        }
    }
}
