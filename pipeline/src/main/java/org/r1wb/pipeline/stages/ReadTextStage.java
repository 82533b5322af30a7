package org.r1wb.pipeline.stages;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import org.r1wb.pipeline.Document;
import org.r1wb.pipeline.stage.DocumentSource;
import org.r1wb.pipeline.stage.ParamSpec;
import org.r1wb.pipeline.stage.StageContext;
import org.r1wb.pipeline.stage.StageParams;

/** {@code read.text}: plain UTF-8 text files (optionally {@code .gz}), one document per line or per file. */
public final class ReadTextStage implements DocumentSource {

    public static final ParamSpec PATH = ParamSpec.path("path", "a text file, or a folder of them");
    public static final ParamSpec UNIT = ParamSpec.choice("unit", "line", List.of("line", "file"),
            "one document per non-blank line, or per file");

    @Override
    public String id() {
        return "read.text";
    }

    @Override
    public int version() {
        return 1;
    }

    @Override
    public String description() {
        return "Read text files: one document per line or per file (.gz accepted)";
    }

    @Override
    public List<ParamSpec> params() {
        return List.of(PATH, UNIT);
    }

    @Override
    public List<Path> inputFiles(StageParams params, Path workspace) throws IOException {
        return InputFiles.list(params.path(PATH, workspace));
    }

    @Override
    public void read(StageContext context, Consumer<Document> sink) throws IOException {
        boolean perLine = "line".equals(context.params().string(UNIT));
        List<Path> files = inputFiles(context.params(), context.workspace());
        ReadProgress progress = new ReadProgress(context, files);
        for (Path file : files) {
            String source = InputFiles.display(context.workspace(), file);
            try (BufferedReader reader = progress.open(file)) {
                if (perLine) {
                    readLines(context, reader, source, sink, progress);
                } else {
                    readWhole(context, reader, source, sink);
                }
            }
            progress.report(source);
        }
    }

    private static void readLines(StageContext context, BufferedReader reader, String source, Consumer<Document> sink,
                                  ReadProgress progress) throws IOException {
        String line;
        int number = 0;
        while ((line = reader.readLine()) != null) {
            number++;
            context.countIn(1);
            if (line.isBlank()) {
                context.drop("blank line", 1);
                continue;
            }
            sink.accept(new Document(context.nodeId() + "/" + source + ":" + number, line, source));
            context.countOut(1);
            if (number % 4096 == 0) {
                context.checkCancelled();
                progress.report(source);
            }
        }
    }

    private static void readWhole(StageContext context, BufferedReader reader, String source, Consumer<Document> sink)
            throws IOException {
        StringBuilder text = new StringBuilder();
        char[] buffer = new char[1 << 14];
        int n;
        while ((n = reader.read(buffer)) >= 0) {
            text.append(buffer, 0, n);
        }
        context.countIn(1);
        if (text.toString().isBlank()) {
            context.drop("empty file", 1);
            return;
        }
        sink.accept(new Document(context.nodeId() + "/" + source, text.toString(), source));
        context.countOut(1);
        context.checkCancelled();
    }
}
