package org.r1wb.model.recipe.reject;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.r1wb.model.spec.ModelSpecs;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The resumable record of a rejection-sampling run ({@code progress.jsonl} in its run folder): a header naming the
 * settings it was made with, then one {@link PromptResult} a line, appended and forced to disk as each prompt is
 * done. A line torn by a crash is dropped on reopening (that prompt is sampled again, identically), so prompts
 * already done are never redone and nothing done is lost.
 */
public final class RejectionProgress {

    private static final int VERSION = 1;
    /** One object a line: the project's mapper indents. */
    static final ObjectWriter LINE = ModelSpecs.JSON.writer().without(SerializationFeature.INDENT_OUTPUT);

    private final Path file;
    private final List<PromptResult> results;

    private RejectionProgress(Path file, List<PromptResult> results) {
        this.file = file;
        this.results = results;
    }

    /**
     * Opens {@code file}, creating it for {@code settings} (a digest of everything that decides the samples); fails
     * when it was written under other settings.
     */
    public static RejectionProgress open(Path file, String settings) throws IOException {
        if (!Files.exists(file)) {
            ModelSpecs.writeAtomically(file, header(settings) + "\n");
            return new RejectionProgress(file, new ArrayList<>());
        }
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        String written = lines.isEmpty() ? null : settingsOf(lines.get(0));
        if (!settings.equals(written)) {
            throw new IllegalArgumentException(file + " was written with other settings (checkpoint, prompts, "
                    + "rewards, sampling or seed): delete the stage's run folder to sample afresh, or restore them");
        }
        List<PromptResult> results = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            PromptResult result = parse(line);
            if (result == null) {
                break;
            }
            results.add(result);
        }
        if (results.size() < lines.size() - 1) {
            // a torn tail: keep the whole lines only, or the next append would continue the broken one
            StringBuilder text = new StringBuilder(lines.get(0)).append('\n');
            for (PromptResult result : results) {
                text.append(line(result)).append('\n');
            }
            ModelSpecs.writeAtomically(file, text.toString());
        }
        return new RejectionProgress(file, results);
    }

    /** The prompts done so far, in the order they were done. */
    public List<PromptResult> results() {
        return List.copyOf(results);
    }

    /** Records a finished prompt durably. */
    public void append(PromptResult result) throws IOException {
        byte[] bytes = (line(result) + "\n").getBytes(StandardCharsets.UTF_8);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            channel.force(false);
        }
        results.add(result);
    }

    private static String header(String settings) throws JsonProcessingException {
        return LINE.writeValueAsString(Map.of("v", VERSION, "settings", settings));
    }

    private static String settingsOf(String line) {
        try {
            JsonNode node = ModelSpecs.JSON.readTree(line);
            return node.path("v").asInt() == VERSION ? node.path("settings").asText(null) : null;
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    private static String line(PromptResult result) throws JsonProcessingException {
        return LINE.writeValueAsString(result);
    }

    private static PromptResult parse(String line) {
        try {
            return ModelSpecs.JSON.readValue(line, PromptResult.class);
        } catch (JsonProcessingException e) {
            return null;
        }
    }
}
