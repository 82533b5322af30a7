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
    void dpoPairsPreferTheCorrectWorkOverAWrongResultAndHeldOutPairsAreDisjoint(@TempDir Path dir)
            throws IOException {
        SampleWorkspace.create(dir);
        Pattern response = Pattern.compile("<think>(.+)</think><answer>(\\d+)</answer>");
        Set<String> trainPrompts = new HashSet<>();
        for (String file : List.of(SampleWorkspace.PAIRS, SampleWorkspace.PAIRS_HELDOUT)) {
            List<String> lines = Files.readAllLines(dir.resolve(file));
            assertThat(lines).hasSize(file.equals(SampleWorkspace.PAIRS) ? 2000 : 200);
            for (String line : lines) {
                JsonNode pair = JSON.readTree(line);
                Matcher chosen = response.matcher(pair.path("chosen").asText());
                Matcher rejected = response.matcher(pair.path("rejected").asText());
                assertThat(chosen.matches()).as(line).isTrue();
                assertThat(rejected.matches()).as(line).isTrue();
                Matcher work = WORK.matcher(chosen.group(1));
                assertThat(work.matches()).as(line).isTrue();
                int correct = apply(work);
                assertThat(Integer.parseInt(chosen.group(2))).isEqualTo(correct);
                assertThat(Integer.parseInt(work.group(4))).isEqualTo(correct);
                Matcher wrongWork = WORK.matcher(rejected.group(1));
                assertThat(wrongWork.matches()).as(line).isTrue();
                int wrong = Integer.parseInt(rejected.group(2));
                assertThat(Integer.parseInt(wrongWork.group(4))).isEqualTo(wrong);
                assertThat(Math.abs(wrong - correct)).isBetween(1, 3);
                assertThat(wrongWork.group(1) + wrongWork.group(2) + wrongWork.group(3))
                        .isEqualTo(work.group(1) + work.group(2) + work.group(3));
                if (file.equals(SampleWorkspace.PAIRS)) {
                    trainPrompts.add(pair.path("prompt").asText());
                } else {
                    assertThat(trainPrompts).doesNotContain(pair.path("prompt").asText());
                }
            }
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
