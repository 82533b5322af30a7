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
 * Writes the bundled sample workspace: a pipeline, a model, and data the project generates itself
 * (arithmetic word problems and prose), so that a fresh clone trains something real without a download.
 *
 * <pre>
 * workspace.json
 * pipelines/sample.pipeline.json
 * models/sample.model.json
 * data/raw/arithmetic.jsonl      {"text": question + worked line + "#### n"}
 * data/raw/prose.txt             one paragraph a line
 * data/dpo/arithmetic-pairs.jsonl         {"prompt", "chosen", "rejected"}: correct over wrong answers (DPO)
 * data/dpo/arithmetic-pairs-heldout.jsonl the same for the held-out questions
 * evals/arithmetic-heldout.jsonl {"question": …, "answer": "n"}, disjoint from the training questions
 * evals/*.yaml                   the bundled evaluation tasks and suites ({@link BundledEvals})
 * runs/                          one folder a run (written by the agent)
 * </pre>
 */
public final class SampleWorkspace {

    /** Name of the marker file that makes a folder a workspace. */
    public static final String MARKER = "workspace.json";
    public static final String PIPELINE = "pipelines/sample.pipeline.json";
    public static final String MODEL = "models/sample.model.json";
    public static final String HELDOUT = "evals/arithmetic-heldout.jsonl";
    public static final String PAIRS = "data/dpo/arithmetic-pairs.jsonl";
    public static final String PAIRS_HELDOUT = "data/dpo/arithmetic-pairs-heldout.jsonl";

    private static final int TRAIN_PROBLEMS = 6000;
    private static final int HELDOUT_PROBLEMS = 200;
    private static final int PARAGRAPHS = 1500;
    /** DPO pairs from the first training problems: enough for a tiny model's preference run. */
    private static final int PAIRS_FROM_TRAIN = 2000;
    private static final long SEED = 20261201L;
    private static final ObjectMapper JSON = new ObjectMapper();

    private SampleWorkspace() {
    }

    /**
     * Creates the sample workspace in {@code dir} unless it is already one; returns {@code dir}.
     * Files are written under a temporary name and renamed, so an interrupted run is redone, not trusted.
     */
    public static Path create(Path dir) {
        try {
            if (Files.isRegularFile(dir.resolve(MARKER))) {
                return dir;
            }
            Files.createDirectories(dir);
            for (String folder : List.of("pipelines", "models", "data/raw", "data/dpo", "evals", "runs", "plugins")) {
                Files.createDirectories(dir.resolve(folder));
            }
            copyResource(PIPELINE, dir.resolve(PIPELINE));
            copyResource(MODEL, dir.resolve(MODEL));

            List<ArithmeticProblems.Problem> train = ArithmeticProblems.generate(SEED, TRAIN_PROBLEMS, q -> false);
            Set<String> trainQuestions = new HashSet<>();
            train.forEach(p -> trainQuestions.add(p.question()));
            List<ArithmeticProblems.Problem> heldout =
                    ArithmeticProblems.generate(SEED + 1, HELDOUT_PROBLEMS, trainQuestions::contains);

            writeAtomically(dir.resolve("data/raw/arithmetic.jsonl"), out -> {
                for (ArithmeticProblems.Problem p : train) {
                    ObjectNode line = JSON.createObjectNode().put("text", p.text());
                    out.write(JSON.writeValueAsString(line));
                    out.write('\n');
                }
            });
            writeAtomically(dir.resolve("data/raw/prose.txt"), out -> {
                for (String paragraph : SampleProse.paragraphs(SEED, PARAGRAPHS)) {
                    out.write(paragraph);
                    out.write('\n');
                }
            });
            writeAtomically(dir.resolve(HELDOUT), out -> {
                for (ArithmeticProblems.Problem p : heldout) {
                    ObjectNode line = JSON.createObjectNode()
                            .put("question", p.question()).put("answer", Integer.toString(p.answer()));
                    out.write(JSON.writeValueAsString(line));
                    out.write('\n');
                }
            });
            writePairs(dir.resolve(PAIRS), ArithmeticPairs.of(train.subList(0, PAIRS_FROM_TRAIN), SEED + 2));
            writePairs(dir.resolve(PAIRS_HELDOUT), ArithmeticPairs.of(heldout, SEED + 3));
            BundledEvals.write(dir.resolve("evals"), trainQuestions);
            writeAtomically(dir.resolve(MARKER), out -> out.write(JSON.writerWithDefaultPrettyPrinter()
                    .writeValueAsString(JSON.createObjectNode().put("format", 1).put("name", "sample"))));
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the sample workspace in " + dir, e);
        }
    }

    private static void writePairs(Path file, List<ArithmeticPairs.Pair> pairs) throws IOException {
        writeAtomically(file, out -> {
            for (ArithmeticPairs.Pair pair : pairs) {
                ObjectNode line = JSON.createObjectNode().put("prompt", pair.prompt()).put("chosen", pair.chosen())
                        .put("rejected", pair.rejected());
                out.write(JSON.writeValueAsString(line));
                out.write('\n');
            }
        });
    }

    /** True when {@code dir} holds a workspace marker. */
    public static boolean isWorkspace(Path dir) {
        return Files.isRegularFile(dir.resolve(MARKER));
    }

    private interface Body {
        void write(Writer out) throws IOException;
    }

    private static void writeAtomically(Path target, Body body) throws IOException {
        Path temp = target.resolveSibling(target.getFileName() + ".tmp");
        try (Writer out = Files.newBufferedWriter(temp, StandardCharsets.UTF_8)) {
            body.write(out);
        }
        Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static void copyResource(String name, Path target) throws IOException {
        try (InputStream in = SampleWorkspace.class.getResourceAsStream("sample/" + name)) {
            if (in == null) {
                throw new IllegalStateException("missing bundled resource sample/" + name);
            }
            byte[] bytes = in.readAllBytes();
            writeAtomically(target, out -> out.write(new String(bytes, StandardCharsets.UTF_8)));
        }
    }
}
