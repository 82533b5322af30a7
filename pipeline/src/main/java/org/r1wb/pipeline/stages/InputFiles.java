package org.r1wb.pipeline.stages;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

/** How readers find and open their files: a file or every file under a folder, {@code .gz} decompressed. */
final class InputFiles {

    private InputFiles() {
    }

    /** The file itself, or the regular non-hidden files under a folder in path order. */
    static List<Path> list(Path fileOrFolder) throws IOException {
        if (Files.isRegularFile(fileOrFolder)) {
            return List.of(fileOrFolder);
        }
        if (!Files.isDirectory(fileOrFolder)) {
            throw new NoSuchFileException(fileOrFolder.toString(), null, "no such file or folder");
        }
        try (Stream<Path> walk = Files.walk(fileOrFolder)) {
            return walk.filter(Files::isRegularFile)
                    .filter(p -> !p.getFileName().toString().startsWith("."))
                    .sorted()
                    .collect(Collectors.toList());
        }
    }

    /** A UTF-8 reader (malformed bytes become U+FFFD), gunzipping files named {@code *.gz}. */
    static BufferedReader open(Path file) throws IOException {
        return open(file, UnaryOperator.identity());
    }

    /** As {@link #open(Path)}, with the raw file stream wrapped by {@code wrap} (to count bytes read). */
    static BufferedReader open(Path file, UnaryOperator<InputStream> wrap) throws IOException {
        InputStream in = wrap.apply(Files.newInputStream(file));
        try {
            if (file.getFileName().toString().endsWith(".gz")) {
                in = new GZIPInputStream(in, 1 << 16);
            }
            return new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 1 << 16);
        } catch (IOException e) {
            in.close();
            throw e;
        }
    }

    /** The path as users wrote it: relative to the workspace with '/' separators when inside it. */
    static String display(Path workspace, Path file) {
        Path ws = workspace.toAbsolutePath().normalize();
        Path abs = file.toAbsolutePath().normalize();
        Path shown = abs.startsWith(ws) ? ws.relativize(abs) : abs;
        return shown.toString().replace('\\', '/');
    }
}
