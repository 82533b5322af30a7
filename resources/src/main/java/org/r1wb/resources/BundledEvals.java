package org.r1wb.resources;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The bundled evaluation tasks of a workspace's {@code evals/}: task and suite YAML files written by the
 * project, the code task's problems, and data generated here (held-out prose, multiple-choice arithmetic).
 * Only missing files are written, so a user's edits survive and older sample workspaces gain new tasks.
 */
public final class BundledEvals {

    /** Task and suite files, copied as they are. */
    public static final List<String> FILES = List.of("arithmetic-em.yaml", "heldout-perplexity.yaml",
            "arithmetic-choice.yaml", "copy-reverse.yaml", "code-pass-at-k.yaml", "code-problems.jsonl",
            "demo.suite.yaml", "sample.suite.yaml");
    public static final String HELDOUT_PROSE = "heldout-prose.jsonl";
    public static final String CHOICES = "arithmetic-choice.jsonl";

    private static final long PROSE_SEED = 20261202L;
    private static final int PROSE_DOCS = 200;
    private static final long CHOICE_SEED = 20261203L;
    private static final int CHOICE_QUESTIONS = 100;
    private static final ObjectMapper JSON = new ObjectMapper();

    private BundledEvals() {
    }

    /**
     * Writes whatever of the bundled evaluation files {@code evalsDir} lacks; {@code trainQuestions} are
     * kept out of the generated multiple-choice questions.
     */
    public static void write(Path evalsDir, Set<String> trainQuestions) {
        try {
            Files.createDirectories(evalsDir);
            for (String name : FILES) {
                Path target = evalsDir.resolve(name);
                if (!Files.exists(target)) {
                    try (InputStream in = BundledEvals.class.getResourceAsStream("evals/" + name)) {
                        if (in == null) {
                            throw new IllegalStateException("missing bundled resource evals/" + name);
                        }
                        byte[] bytes = in.readAllBytes();
                        atomically(target, out -> out.write(new String(bytes, StandardCharsets.UTF_8)));
                    }
                }
            }
            Path prose = evalsDir.resolve(HELDOUT_PROSE);
            if (!Files.exists(prose)) {
                atomically(prose, out -> {
                    for (String paragraph : SampleProse.paragraphs(PROSE_SEED, PROSE_DOCS)) {
                        out.write(JSON.writeValueAsString(JSON.createObjectNode().put("text", paragraph)));
                        out.write('\n');
                    }
                });
            }
            Path choices = evalsDir.resolve(CHOICES);
            if (!Files.exists(choices)) {
                Set<String> exclude = new HashSet<>(trainQuestions);
                List<ArithmeticChoices.Question> questions = ArithmeticChoices.of(
                        ArithmeticProblems.generate(CHOICE_SEED, CHOICE_QUESTIONS, exclude::contains), CHOICE_SEED);
                atomically(choices, out -> {
                    for (ArithmeticChoices.Question q : questions) {
                        ObjectNode line = JSON.createObjectNode().put("question", q.question()).put("label", q.label());
                        q.choices().forEach(line.putArray("choices")::add);
                        out.write(JSON.writeValueAsString(line));
                        out.write('\n');
                    }
                });
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the bundled evaluation tasks to " + evalsDir, e);
        }
    }

    private interface Body {
        void write(Writer out) throws IOException;
    }

    private static void atomically(Path target, Body body) throws IOException {
        Path temp = target.resolveSibling(target.getFileName() + ".tmp");
        try (Writer out = Files.newBufferedWriter(temp, StandardCharsets.UTF_8)) {
            body.write(out);
        }
        Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
