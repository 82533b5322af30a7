package org.r1wb.agent;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How far {@code r1wb eval} has come in one task: the progress lines it prints, written and read back in one
 * place, so the workbench can follow an evaluation running in a child process from its output.
 *
 * @param task  the task
 * @param done  requests answered (cached ones included)
 * @param total requests of the task
 * @param eta   time left as printed, or empty
 */
public record EvalProgress(String task, int done, int total, String eta) {

    private static final Pattern CACHED = Pattern.compile("^ {2}eval (\\S+): served from the cache$");
    private static final Pattern STARTED = Pattern.compile("^ {2}eval (\\S+): computing (\\d+) requests \\((\\d+) already in the cache\\)$");
    private static final Pattern PROGRESS = Pattern.compile("^ {4}(\\S+) (\\d+)/(\\d+) {2}ETA (.*)$");

    /** The line of a task served whole from the cache. */
    static String cachedLine(String task) {
        return "  eval " + task + ": served from the cache";
    }

    /** The line of a task that starts computing the {@code requests - cached} requests the store lacks. */
    static String startedLine(String task, int requests, int cached) {
        return "  eval " + task + ": computing " + (requests - cached) + " requests (" + cached + " already in the cache)";
    }

    /** A progress line. */
    static String progressLine(String task, int done, int total, String eta) {
        return "    " + task + " " + done + "/" + total + "  ETA " + eta;
    }

    /** Whether the task is answered completely. */
    public boolean finished() {
        return done >= total;
    }

    /** The progress {@code line} tells of, if it is one of the lines above. */
    public static Optional<EvalProgress> parse(String line) {
        Matcher m = CACHED.matcher(line);
        if (m.matches()) {
            return Optional.of(new EvalProgress(m.group(1), 1, 1, ""));
        }
        m = STARTED.matcher(line);
        if (m.matches()) {
            int cached = Integer.parseInt(m.group(3));
            return Optional.of(new EvalProgress(m.group(1), cached, cached + Integer.parseInt(m.group(2)), ""));
        }
        m = PROGRESS.matcher(line);
        if (m.matches()) {
            return Optional.of(new EvalProgress(m.group(1), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)),
                    m.group(4)));
        }
        return Optional.empty();
    }
}
