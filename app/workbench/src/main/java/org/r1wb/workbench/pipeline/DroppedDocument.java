package org.r1wb.workbench.pipeline;

import org.r1wb.pipeline.stage.StageStats;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A document a stage dropped, with its reason: taken from the stage's warnings ({@code file:line: reason}), with
 * the dropped line read back from the workspace so the preview can show it.
 *
 * @param nodeId   the node that dropped it
 * @param location {@code file:line} as the stage reported it
 * @param reason   why it was dropped
 * @param text     the dropped record as it was in the file; empty when the file cannot be read
 */
public record DroppedDocument(String nodeId, String location, String reason, String text) {

    private static final Pattern LOCATED = Pattern.compile("^(.+?):(\\d+): (.+)$");
    /** Longest stretch of a dropped record shown. */
    private static final int MAX_TEXT = 400;

    /** The dropped documents a node's statistics locate, in the order reported. */
    public static List<DroppedDocument> of(StageStats stats, Path workspace) {
        List<DroppedDocument> dropped = new ArrayList<>();
        for (String warning : stats.warnings()) {
            Matcher m = LOCATED.matcher(warning);
            if (m.matches()) {
                dropped.add(new DroppedDocument(stats.nodeId(), m.group(1) + ":" + m.group(2), m.group(3),
                        line(workspace.resolve(m.group(1)), Integer.parseInt(m.group(2)))));
            }
        }
        return dropped;
    }

    private static String line(Path file, int number) {
        if (!Files.isRegularFile(file) || file.getFileName().toString().endsWith(".gz")) {
            return "";
        }
        try (BufferedReader reader = Files.newBufferedReader(file)) {
            String line = "";
            for (int i = 0; i < number && line != null; i++) {
                line = reader.readLine();
            }
            if (line == null) {
                return "";
            }
            return line.length() > MAX_TEXT ? line.substring(0, MAX_TEXT) + "…" : line;
        } catch (IOException unreadable) {
            return "";
        }
    }
}
