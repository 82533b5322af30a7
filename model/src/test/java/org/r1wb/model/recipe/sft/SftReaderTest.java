package org.r1wb.model.recipe.sft;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SftReaderTest {

    private static Path file(Path dir) throws IOException {
        return Files.writeString(dir.resolve("sft.jsonl"), String.join("\n",
                "{\"prompt\": \"2+2\", \"response\": \"<answer>4</answer>\"}",
                "",
                "{\"prompt\": \"3+5\", \"response\": ",
                "{\"prompt\": \"1+1\"}",
                "{\"prompt\": 7, \"response\": \"x\"}",
                "{\"prompt\": \"9-3\", \"response\": \"6\", \"id\": 12}",
                "[1, 2]"));
    }

    @Test
    void skipsBadLinesNamingFileAndLine(@TempDir Path dir) throws IOException {
        Path file = file(dir);
        SftReader.Result result = SftReader.read(file, SftReader.OnError.SKIP);
        assertThat(result.examples()).extracting(SftExample::prompt).containsExactly("2+2", "9-3");
        assertThat(result.examples().get(1).source()).isEqualTo(file + ":6");
        assertThat(result.problems()).hasSize(4);
        assertThat(result.problems().get(0)).startsWith(file + ":3: not valid JSON");
        assertThat(result.problems().get(1)).isEqualTo(file + ":4: \"response\" is missing");
        assertThat(result.problems().get(2)).isEqualTo(file + ":5: \"prompt\" must be a string");
        assertThat(result.problems().get(3)).startsWith(file + ":7: expected an object");
    }

    @Test
    void stopsAtTheFirstBadLine(@TempDir Path dir) throws IOException {
        Path file = file(dir);
        assertThatThrownBy(() -> SftReader.read(file, SftReader.OnError.STOP))
                .isInstanceOf(IOException.class).hasMessageStartingWith(file + ":3: not valid JSON");
    }
}
