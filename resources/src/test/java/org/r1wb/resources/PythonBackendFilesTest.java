package org.r1wb.resources;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** The shipped list of the PyTorch backend's files is the source folder's, byte for byte. */
class PythonBackendFilesTest {

    private static final Path SOURCES = Path.of("src/main/resources/org/r1wb/resources/python", PythonBackend.PACKAGE);

    @Test
    void everySourceFileIsShippedAsItIs() throws IOException {
        try (Stream<Path> files = Files.list(SOURCES)) {
            assertThat(files.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(".py")))
                    .containsExactlyInAnyOrderElementsOf(PythonBackend.FILES);
        }
        for (var file : PythonBackend.files().entrySet()) {
            assertThat(file.getValue()).as(file.getKey()).isEqualTo(Files.readAllBytes(SOURCES.resolve(file.getKey())));
        }
    }
}
