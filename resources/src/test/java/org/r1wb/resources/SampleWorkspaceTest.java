package org.r1wb.resources;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

class SampleWorkspaceTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern WORK = Pattern.compile("(\\d+) ([-+*/]) (\\d+) = (\\d+)");

    @Test
    void writesEveryFileTheDemoReads(@TempDir Path dir) throws IOException {
        SampleWorkspace.create(dir);

        assertThat(SampleWorkspace.isWorkspace(dir)).isTrue();
        assertThat(JSON.readTree(dir.resolve(SampleWorkspace.PIPELINE).toFile()).path("nodes").size()).isEqualTo(5);
        assertThat(JSON.readTree(dir.resolve(SampleWorkspace.MODEL).toFile()).path("moe").path("topK").asInt())
                .isEqualTo(2);
        assertThat(Files.readAllLines(dir.resolve("data/raw/prose.txt"))).hasSize(1500).allMatch(l -> !l.isBlank());
        try (var tmp = Files.list(dir.resolve("data/raw"))) {
            assertThat(tmp.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".tmp"));
        }
    }

    @Test
    void problemsAreCorrectAndTheHeldOutSetIsDisjoint(@TempDir Path dir) throws IOException {
        SampleWorkspace.create(dir);

        Set<String> trainQuestions = new HashSet<>();
        for (String line : Files.readAllLines(dir.resolve("data/raw/arithmetic.jsonl"))) {
            String[] parts = JSON.readTree(line).path("text").asText().split("\n");
            assertThat(parts).hasSize(3);
            trainQuestions.add(parts[0]);
            Matcher work = WORK.matcher(parts[1]);
            assertThat(work.matches()).as(parts[1]).isTrue();
            assertThat(Integer.parseInt(work.group(4))).isEqualTo(apply(work));
            assertThat(parts[2]).isEqualTo("#### " + work.group(4));
        }
        assertThat(trainQuestions).hasSize(6000);

        List<String> heldout = Files.readAllLines(dir.resolve(SampleWorkspace.HELDOUT));
        assertThat(heldout).hasSize(200);
        for (String line : heldout) {
            JsonNode problem = JSON.readTree(line);
            assertThat(trainQuestions).doesNotContain(problem.path("question").asText());
            assertThat(problem.path("answer").asText()).matches("\\d+");
        }
    }

    @Test
    void anExistingWorkspaceIsLeftAlone(@TempDir Path dir) throws IOException {
        SampleWorkspace.create(dir);
        Path model = dir.resolve(SampleWorkspace.MODEL);
        Files.writeString(model, "{\"edited\": true}");

        SampleWorkspace.create(dir);

        assertThat(Files.readString(model)).isEqualTo("{\"edited\": true}");
    }

    @Test
    void generationIsReproducible() {
        assertThat(ArithmeticProblems.generate(5, 50, q -> false))
                .isEqualTo(ArithmeticProblems.generate(5, 50, q -> false));
    }

    private static int apply(Matcher work) {
        int a = Integer.parseInt(work.group(1));
        int b = Integer.parseInt(work.group(3));
        return switch (work.group(2)) {
            case "+" -> a + b;
            case "-" -> a - b;
            case "*" -> a * b;
            default -> a / b;
        };
    }
}
