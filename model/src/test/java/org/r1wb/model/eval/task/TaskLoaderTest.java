package org.r1wb.model.eval.task;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class TaskLoaderTest {

    private static final String GOOD = """
            task: arithmetic-em
            description: sums
            data: {file: problems.jsonl, limit: 2}
            output_type: generate_until
            prompt: "Question: {{question}}\\nAnswer:"
            target: "{{answer}}"
            fewshot: {count: 1, seed: 3}
            generation: {until: ["\\n\\n"], max_tokens: 16}
            extract: hash
            normalize: [strip, remove_commas]
            metrics: [exact_match]
            """;

    private final TaskLoader loader = TaskLoader.builtIn();

    private static Path write(Path dir, String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text);
    }

    @Test
    void loadsAValidTaskAndDigestsYamlAndData(@TempDir Path dir) throws IOException {
        write(dir, "problems.jsonl", "{\"question\": \"1+1\", \"answer\": \"2\"}\n{\"question\": \"2+2\", \"answer\": \"4\"}\n"
                + "{\"question\": \"3+3\", \"answer\": \"6\"}\n");
        Path yaml = write(dir, "arith.yaml", GOOD);

        EvalTask task = loader.load(yaml);

        assertThat(task.name()).isEqualTo("arithmetic-em");
        assertThat(task.docs()).hasSize(2);
        assertThat(task.spec().generation().until()).containsExactly("\n\n");
        assertThat(task.spec().extract().kind()).isEqualTo("hash");
        String digest = task.digest();
        write(dir, "problems.jsonl", "{\"question\": \"1+1\", \"answer\": \"3\"}\n{\"question\": \"2+2\", \"answer\": \"4\"}\n");
        assertThat(loader.load(yaml).digest()).as("data is part of the digest").isNotEqualTo(digest);
        write(dir, "arith.yaml", GOOD.replace("seed: 3", "seed: 4"));
        assertThat(loader.load(yaml).digest()).as("YAML is part of the digest").isNotEqualTo(digest);
    }

    @Test
    void everyProblemNamesTheFileTheFieldAndTheFix(@TempDir Path dir) throws IOException {
        write(dir, "problems.jsonl", "{\"question\": \"1+1\", \"answer\": \"2\"}\n");
        Path yaml = write(dir, "bad.yaml", """
                task: bad
                data: {file: problems.jsonl}
                output_type: generate_untill
                promt: "{{question}}"
                metrics: [exact_match, bleuu, {name: pass_at_k, n: 3}]
                fewshot: {count: -1}
                """);

        TaskSpecException e = catchThrowableOfType(() -> loader.load(yaml), TaskSpecException.class);

        assertThat(e.file()).isEqualTo(yaml);
        assertThat(e.problems()).extracting(p -> p.path()).contains("output_type", "promt", "prompt", "metrics[1]",
                "metrics[2].n", "fewshot.count", "check");
        assertThat(e.getMessage()).contains(yaml.toString())
                .contains("promt: is not a task field").contains("did you mean 'prompt'")
                .contains("'generate_untill' is not an output type (fix: use one of loglikelihood, multiple_choice")
                .contains("'bleuu' is not a registered metric").contains("did you mean 'bleu'")
                .contains("fewshot.count: '-1' is not a whole number in [0, 64]");
    }

    @Test
    void aYamlSyntaxErrorNamesTheLine(@TempDir Path dir) throws IOException {
        Path yaml = write(dir, "broken.yaml", "task: x\ndata: {file: a.jsonl\noutput_type: generate_until\n");

        assertThatThrownBy(() -> loader.load(yaml)).isInstanceOf(TaskSpecException.class)
                .hasMessageContaining(yaml.toString()).hasMessageContaining("is not valid YAML at line")
                .hasMessageContaining("fix the YAML syntax");
    }

    @Test
    void badDataIsReportedWithFileAndLine(@TempDir Path dir) throws IOException {
        Path data = write(dir, "problems.jsonl", "{\"question\": \"1+1\", \"answer\": \"2\"}\n{\"question\": oops}\n");
        Path yaml = write(dir, "arith.yaml", GOOD);

        assertThatThrownBy(() -> loader.load(yaml)).hasMessageContaining(data + ":2: not JSON");

        write(dir, "problems.jsonl", "{\"question\": \"1+1\", \"answr\": \"2\"}\n");
        assertThatThrownBy(() -> loader.load(yaml)).hasMessageContaining("target: reads field 'answer', which document 1 lacks")
                .hasMessageContaining("did you mean 'answr'");

        Files.delete(dir.resolve("problems.jsonl"));
        assertThatThrownBy(() -> loader.load(yaml)).hasMessageContaining("data.file: ").hasMessageContaining("does not exist");
    }

    @Test
    void generatorsAndMultipleChoiceAreChecked(@TempDir Path dir) throws IOException {
        Path copy = write(dir, "copy.yaml", """
                task: copy
                data: {generator: copy-reverse, params: {count: 6, seed: 2}}
                output_type: generate_until
                prompt: "{{mode}}: {{text}} =>"
                target: "{{target}}"
                metrics: [bleu, rouge1, rouge2, rougeL]
                """);
        EvalTask task = loader.load(copy);
        assertThat(task.docs()).hasSize(6);
        assertThat(task.docs().get(1).get("target").asText().split(" "))
                .containsExactlyElementsOf(reversed(task.docs().get(1).get("text").asText().split(" ")));

        write(dir, "mc.jsonl", "{\"q\": \"2+2?\", \"choices\": [\"3\", \"4\"], \"label\": 2}\n");
        Path mc = write(dir, "mc.yaml", """
                task: mc
                data: {file: mc.jsonl}
                output_type: multiple_choice
                prompt: "{{q}}"
                choices: choices
                gold: label
                metrics: [acc, acc_norm, exact_match]
                """);
        assertThatThrownBy(() -> loader.load(mc)).hasMessageContaining("metrics[2]: exact_match does not apply to output_type multiple_choice");
        write(dir, "mc.yaml", Files.readString(mc).replace(", exact_match", ""));
        assertThatThrownBy(() -> loader.load(mc)).hasMessageContaining("gold: document 1 has no list of ≥ 2 choices with a gold index");
    }

    @Test
    void extractionAndNormalisation() {
        assertThat(new Extraction("hash", null).extract("3 + 4 = 7\n#### 7\n#### 8")).isEqualTo("7");
        assertThat(new Extraction("hash", null).extract("#### 1,234")).isEqualTo("1,234");
        assertThat(new Extraction("hash", null).extract("no answer")).isNull();
        assertThat(new Extraction("boxed", null).extract("so \\boxed{1} then \\boxed{\\frac{1}{2}}.")).isEqualTo("\\frac{1}{2}");
        assertThat(new Extraction("regex", "answer is (\\w+)").extract("The answer is Paris.")).isEqualTo("Paris");
        assertThat(Normalization.apply(List.of(Normalization.STRIP, Normalization.REMOVE_COMMAS), " 1,234 ")).isEqualTo("1234");
        assertThat(Normalization.apply(List.of(Normalization.LOWERCASE, Normalization.STRIP_PUNCTUATION,
                Normalization.REMOVE_ARTICLES, Normalization.COLLAPSE_WHITESPACE, Normalization.STRIP), "The  Eiffel Tower!"))
                .isEqualTo("eiffel tower");
    }

    @Test
    void theRegistryFindsTasksAndSuitesAndReportsEveryBrokenTask(@TempDir Path dir) throws IOException {
        write(dir, "problems.jsonl", "{\"question\": \"1+1\", \"answer\": \"2\"}\n");
        write(dir, "arith.yaml", GOOD);
        write(dir, "broken.yaml", "task: broken\ndata: {file: problems.jsonl}\noutput_type: generate_until\nprompt: x\n"
                + "target: y\nmetrics: [nope]\n");
        write(dir, "all.suite.yaml", "suite: all\ntasks: [arithmetic-em, broken, missing]\n");
        write(dir, "ok.suite.yaml", "suite: ok\ntasks: [arithmetic-em]\n");

        TaskRegistry registry = TaskRegistry.scan(dir, loader);

        assertThat(registry.tasks()).containsOnlyKeys("arithmetic-em", "broken");
        assertThat(registry.suite("ok")).extracting(EvalTask::name).containsExactly("arithmetic-em");
        assertThatThrownBy(() -> registry.suite("all")).hasMessageContaining("'nope' is not a registered metric")
                .hasMessageContaining("no task 'missing'");
        assertThatThrownBy(() -> registry.suite("al")).hasMessageContaining("did you mean 'all'");
    }

    private static List<String> reversed(String[] words) {
        List<String> list = new java.util.ArrayList<>(List.of(words));
        java.util.Collections.reverse(list);
        return list;
    }
}
