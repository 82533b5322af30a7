package org.r1wb.pipeline.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.r1wb.pipeline.InvalidPipelineException;
import org.r1wb.pipeline.Problem;
import org.r1wb.pipeline.stage.StageRegistry;

class PipelineValidatorTest {

    static final String SAMPLE = """
            {
              "format": 1,
              "name": "sample",
              "nodes": [
                {"id": "arithmetic", "stage": "read.jsonl", "params": {"path": "data/raw/arithmetic.jsonl", "textField": "text", "onError": "skip"}},
                {"id": "prose", "stage": "read.text", "params": {"path": "data/raw/prose.txt", "unit": "line"}},
                {"id": "normalize", "stage": "normalize", "params": {"form": "NFKC"}},
                {"id": "bpe", "stage": "tokenizer.train", "params": {"vocabSize": 512, "minFrequency": 2, "specialTokens": ["<|endoftext|>"]}},
                {"id": "shards", "stage": "shards.write", "params": {"validationFraction": 0.05, "seed": 7}}
              ],
              "edges": [{"from": "arithmetic", "to": "normalize"}, {"from": "prose", "to": "normalize"},
                        {"from": "normalize", "to": "bpe"}, {"from": "bpe", "to": "shards"}]
            }
            """;

    private final PipelineValidator validator = new PipelineValidator(StageRegistry.builtIn());

    @Test
    void theSampleLoadsAndIsValid() {
        PipelineSpec spec = PipelineSpec.parse(SAMPLE, "sample.pipeline.json");
        assertThat(spec.nodes()).extracting(NodeSpec::stage)
                .containsExactly("read.jsonl", "read.text", "normalize", "tokenizer.train", "shards.write");
        assertThat(spec.nodes().get(3).params().get("vocabSize").asInt()).isEqualTo(512);
        assertThat(validator.validate(spec)).isEmpty();
        assertThat(new PipelineGraph(spec).order()).extracting(NodeSpec::id)
                .containsExactly("arithmetic", "prose", "normalize", "bpe", "shards");
    }

    @Test
    void writeThenReadGivesTheSameSpec(@TempDir Path dir) throws Exception {
        PipelineSpec spec = PipelineSpec.parse(SAMPLE, "sample");
        spec.write(dir.resolve("x.pipeline.json"));
        assertThat(PipelineSpec.read(dir.resolve("x.pipeline.json"))).isEqualTo(spec);
    }

    @Test
    void everyProblemIsReportedWithItsPath() {
        String broken = """
                {
                  "format": 2,
                  "name": "broken",
                  "nodes": [
                    {"id": "read", "stage": "read.jsonl", "params": {"textFeild": "text", "onError": "ignore"}},
                    {"id": "clean", "stage": "nromalize"},
                    {"id": "bpe", "stage": "tokenizer.train", "params": {"vocabSize": 100, "minFrequency": 1.5}},
                    {"id": "shards", "stage": "shards.write", "params": {"validationFraction": 0.9}},
                    {"id": "a", "stage": "normalize"},
                    {"id": "b", "stage": "normalize"}
                  ],
                  "edges": [
                    {"from": "read", "to": "bpe"},
                    {"from": "read", "to": "shards"},
                    {"from": "ghost", "to": "bpe"},
                    {"from": "a", "to": "b"},
                    {"from": "b", "to": "a"}
                  ]
                }
                """;
        List<Problem> problems = validator.validate(PipelineSpec.parse(broken, "broken"));
        assertThat(problems).extracting(Problem::path).contains(
                "format",
                "nodes[0].params.textFeild",
                "nodes[0].params.onError",
                "nodes[0].params.path",
                "nodes[1].stage",
                "nodes[2].params.vocabSize",
                "nodes[2].params.minFrequency",
                "nodes[3].params.validationFraction",
                "edges[1]",
                "edges[2].from",
                "edges");
        assertThat(problems).allSatisfy(p -> assertThat(p.fix()).isNotBlank());
        assertThat(find(problems, "nodes[0].params.textFeild").fix()).contains("did you mean 'textField'");
        assertThat(find(problems, "nodes[1].stage").fix()).contains("normalize");
        assertThat(find(problems, "edges[1]").message()).contains("DOCUMENTS").contains("TOKENIZED_DOCUMENTS");
        assertThat(find(problems, "edges").message()).contains("a → b → a");
    }

    @Test
    void crossParameterChecksRunWhenValuesAreWellTyped() {
        String tight = SAMPLE.replace("\"vocabSize\": 512", "\"vocabSize\": 257");
        List<Problem> problems = validator.validate(PipelineSpec.parse(tight, "tight"));
        assertThat(problems).extracting(Problem::path).containsExactly("nodes[3].params.vocabSize");
        assertThat(problems.get(0).fix()).contains("258");
    }

    @Test
    void missingInputFilesAreReportedAgainstTheWorkspace(@TempDir Path workspace) throws Exception {
        Files.createDirectories(workspace.resolve("data/raw"));
        Files.writeString(workspace.resolve("data/raw/prose.txt"), "hello\n");
        List<Problem> problems = validator.validate(PipelineSpec.parse(SAMPLE, "s"), workspace);
        assertThat(problems).extracting(Problem::path).containsExactly("nodes[0].params.path");
        assertThat(problems.get(0).message()).contains("data/raw/arithmetic.jsonl");
    }

    @Test
    void unconnectedAndOverconnectedInputsAreReported() {
        String spec = SAMPLE.replace("{\"from\": \"normalize\", \"to\": \"bpe\"}, ", "")
                .replace("{\"from\": \"bpe\", \"to\": \"shards\"}",
                        "{\"from\": \"bpe\", \"to\": \"shards\"}, {\"from\": \"bpe\", \"to\": \"shards\"}");
        List<Problem> problems = validator.validate(PipelineSpec.parse(spec, "s"));
        assertThat(problems).extracting(Problem::message).anySatisfy(m -> assertThat(m).contains("not connected"))
                .anySatisfy(m -> assertThat(m).contains("takes one edge but has 2"));
    }

    @Test
    void syntaxErrorsGiveLineAndColumn(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("bad.pipeline.json");
        Files.writeString(file, "{\n  \"format\": 1,\n  \"nodes\": [ {\"id\": } ]\n}");
        assertThatThrownBy(() -> PipelineSpec.read(file))
                .isInstanceOf(InvalidPipelineException.class)
                .hasMessageContaining("line 3");
        assertThat(validator.validateFile(file, dir)).hasSize(1);
    }

    private static Problem find(List<Problem> problems, String path) {
        return problems.stream().filter(p -> p.path().equals(path)).findFirst().orElseThrow();
    }
}
