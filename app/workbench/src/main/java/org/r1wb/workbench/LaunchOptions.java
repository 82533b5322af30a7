package org.r1wb.workbench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The workbench's command line: {@code [--workspace DIR [--sample] [--screenshot FILE]]}. Without a workspace the
 * workbench opens on its welcome screen.
 *
 * @param workspace  the workspace folder to open; empty for the welcome screen
 * @param screenshot where to write a PNG of the window once the first run is shown, then exit
 * @param sample     write the bundled sample workspace into {@code workspace} first, unless it is one already
 */
public record LaunchOptions(Optional<Path> workspace, Optional<Path> screenshot, boolean sample) {

    /** One line of usage, printed with every argument error. */
    public static final String USAGE = "usage: r1wb-workbench [--workspace DIR [--sample] [--screenshot FILE.png]]";

    /** Parses the arguments; every problem is reported at once in the exception's message. */
    public static LaunchOptions parse(List<String> args) {
        Path workspace = null;
        Path screenshot = null;
        boolean sample = false;
        List<String> problems = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            switch (arg) {
                case "--workspace", "--screenshot" -> {
                    if (i + 1 >= args.size()) {
                        problems.add(arg + " needs a value");
                        continue;
                    }
                    Path value = Path.of(args.get(++i)).toAbsolutePath().normalize();
                    if (arg.equals("--workspace")) {
                        workspace = value;
                    } else {
                        screenshot = value;
                    }
                }
                case "--sample" -> sample = true;
                default -> problems.add("unknown argument '" + arg + "'");
            }
        }
        if (workspace == null && (sample || screenshot != null)) {
            problems.add("--workspace DIR is required with --sample and --screenshot");
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems) + "\n" + USAGE);
        }
        return new LaunchOptions(Optional.ofNullable(workspace), Optional.ofNullable(screenshot), sample);
    }
}
