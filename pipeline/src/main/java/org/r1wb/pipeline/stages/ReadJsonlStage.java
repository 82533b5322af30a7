package org.r1wb.pipeline.stages;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.r1wb.pipeline.Document;
import org.r1wb.pipeline.PipelineException;
import org.r1wb.pipeline.io.Json;
import org.r1wb.pipeline.stage.DocumentSource;
import org.r1wb.pipeline.stage.ParamSpec;
import org.r1wb.pipeline.stage.StageContext;
import org.r1wb.pipeline.stage.StageParams;

/**
 * {@code read.jsonl}: one JSON object per line (optionally {@code .gz}); the text comes from one field, the other
 * scalar fields become metadata. A malformed line is reported as {@code file:line: reason} and either skipped
 * (counted under "malformed") or fatal.
 */
public final class ReadJsonlStage implements DocumentSource {

    public static final ParamSpec PATH = ParamSpec.path("path", "a JSONL file, or a folder of them");
    public static final ParamSpec TEXT_FIELD = ParamSpec.string("textField", "text", "the field holding the text");
    public static final ParamSpec ON_ERROR = ParamSpec.choice("onError", "fail", List.of("skip", "fail"),
            "what a malformed line does: skip it (counted and reported) or stop the run");

    @Override
    public String id() {
        return "read.jsonl";
    }

    @Override
    public int version() {
        return 1;
    }

    @Override
    public String description() {
        return "Read JSON Lines: one document per object, text from one field (.gz accepted)";
    }

    @Override
    public List<ParamSpec> params() {
        return List.of(PATH, TEXT_FIELD, ON_ERROR);
    }

    @Override
    public List<Path> inputFiles(StageParams params, Path workspace) throws IOException {
        return InputFiles.list(params.path(PATH, workspace));
    }

    @Override
    public void read(StageContext context, Consumer<Document> sink) throws IOException {
        String field = context.params().string(TEXT_FIELD);
        boolean skip = "skip".equals(context.params().string(ON_ERROR));
        List<Path> files = inputFiles(context.params(), context.workspace());
        ReadProgress progress = new ReadProgress(context, files);
        for (Path file : files) {
            String source = InputFiles.display(context.workspace(), file);
            try (BufferedReader reader = progress.open(file)) {
                String line;
                int number = 0;
                while ((line = reader.readLine()) != null) {
                    number++;
                    if (line.isBlank()) {
                        continue;
                    }
                    context.countIn(1);
                    String id = context.nodeId() + "/" + source + ":" + number;
                    Document document;
                    try {
                        document = parse(line, field, id, source);
                    } catch (MalformedLine e) {
                        String message = source + ":" + number + ": " + e.getMessage();
                        if (!skip) {
                            throw new PipelineException(message
                                    + " (set \"onError\": \"skip\" on node '" + context.nodeId() + "' to skip such lines)");
                        }
                        context.warn(message);
                        context.drop("malformed", 1);
                        continue;
                    }
                    sink.accept(document);
                    context.countOut(1);
                    if (number % 4096 == 0) {
                        context.checkCancelled();
                        progress.report(source);
                    }
                }
            }
            progress.report(source);
        }
    }

    private static Document parse(String line, String field, String id, String source) throws MalformedLine {
        JsonNode node;
        try {
            node = Json.mapper().readTree(line);
        } catch (JsonProcessingException e) {
            throw new MalformedLine("invalid JSON: " + e.getOriginalMessage());
        }
        if (!node.isObject()) {
            throw new MalformedLine("expected a JSON object, found " + node.getNodeType().name().toLowerCase());
        }
        JsonNode text = node.get(field);
        if (text == null) {
            throw new MalformedLine("no field '" + field + "'");
        }
        if (!text.isTextual()) {
            throw new MalformedLine("field '" + field + "' is " + text.getNodeType().name().toLowerCase()
                    + ", expected a string");
        }
        Map<String, String> metadata = new LinkedHashMap<>();
        node.properties().forEach(e -> {
            if (!e.getKey().equals(field) && e.getValue().isValueNode() && !e.getValue().isNull()) {
                metadata.put(e.getKey(), e.getValue().asText());
            }
        });
        return new Document(id, text.asText(), source, metadata);
    }

    /** A line that is not a usable record; the message is the reason. */
    private static final class MalformedLine extends Exception {
        private static final long serialVersionUID = 1L;

        MalformedLine(String reason) {
            super(reason);
        }
    }
}
