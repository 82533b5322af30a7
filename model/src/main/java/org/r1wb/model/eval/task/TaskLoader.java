package org.r1wb.model.eval.task;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import org.r1wb.model.eval.Digests;
import org.r1wb.model.eval.metric.Metric;
import org.r1wb.model.eval.metric.Metrics;
import org.r1wb.model.spec.SpecProblem;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeMap;

/**
 * Reads task YAML files. Every problem is collected before failing, each named by its field and with a
 * fix, so one run of {@code r1wb eval} shows everything wrong with a file.
 */
public final class TaskLoader {

    /** Fields a task file may have; anything else is probably a typo. */
    public static final Set<String> FIELDS = Set.of("task", "version", "description", "data", "output_type", "prompt",
            "target", "choices", "gold", "target_delimiter", "fewshot", "generation", "extract", "normalize", "metrics",
            "check");

    static final YAMLMapper YAML = new YAMLMapper();
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Metrics metrics;
    private final Map<String, DocGenerator> generators = new TreeMap<>();

    public TaskLoader(Metrics metrics, ClassLoader loader) {
        this.metrics = metrics;
        for (DocGenerator generator : ServiceLoader.load(DocGenerator.class, loader)) {
            generators.putIfAbsent(generator.name(), generator);
        }
    }

    /** A loader with the metrics and generators on this class path. */
    public static TaskLoader builtIn() {
        return new TaskLoader(Metrics.builtIn(), TaskLoader.class.getClassLoader());
    }

    public Metrics metrics() {
        return metrics;
    }

    /** Reads, validates and loads the documents of the task in {@code yaml}. */
    public EvalTask load(Path yaml) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(yaml);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read task file " + yaml, e);
        }
        JsonNode root = parse(yaml, bytes);
        Problems problems = new Problems();
        TaskSpec spec = spec(root, problems);
        List<JsonNode> docs = problems.isEmpty() ? docs(yaml, spec, problems) : List.of();
        if (problems.isEmpty()) {
            checkFields(spec, docs, problems);
        }
        if (!problems.isEmpty()) {
            throw new TaskSpecException(yaml, problems.list);
        }
        StringBuilder content = new StringBuilder("task/v1\n").append(new String(bytes, StandardCharsets.UTF_8)).append('\n');
        for (JsonNode doc : docs) {
            content.append(doc).append('\n');
        }
        return new EvalTask(spec, yaml, docs, Digests.sha256(content.toString()));
    }

    /** The YAML tree of {@code file}; a syntax error names its line. */
    static JsonNode parse(Path file, byte[] bytes) {
        try {
            JsonNode root = YAML.readTree(bytes);
            if (root == null || !root.isObject()) {
                throw new TaskSpecException(file, List.of(new SpecProblem("(file)", "is not a YAML mapping",
                        "start with 'task: <name>' (a task) or 'suite: <name>' (a suite)")));
            }
            return root;
        } catch (JsonProcessingException e) {
            int line = e.getLocation() == null ? -1 : e.getLocation().getLineNr();
            throw new TaskSpecException(file, List.of(new SpecProblem("(file)", "is not valid YAML at line " + line
                    + ": " + e.getOriginalMessage(), "fix the YAML syntax (indentation, quotes) at line " + line)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    private TaskSpec spec(JsonNode root, Problems p) {
        for (Iterator<String> names = root.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!FIELDS.contains(name)) {
                p.add(name, "is not a task field", "remove it, or use one of " + new java.util.TreeSet<>(FIELDS)
                        + closest(name, FIELDS));
            }
        }
        String name = p.text(root, "task", null, "name the task, e.g. 'task: arithmetic-em'");
        if (name != null && !name.matches("[A-Za-z0-9][A-Za-z0-9_.-]*")) {
            p.add("task", "'" + name + "' has characters other than letters, digits, '.', '_' and '-'",
                    "use a name like arithmetic-em");
        }
        int version = p.integer(root, "version", 1, 0, Integer.MAX_VALUE);
        String description = p.text(root, "description", "", null);
        TaskSpec.DataSpec data = data(root.get("data"), p);
        String typeText = p.text(root, "output_type", null, "set output_type to one of loglikelihood, multiple_choice,"
                + " generate_until, loglikelihood_rolling");
        OutputType type = null;
        if (typeText != null) {
            type = OutputType.parse(typeText).orElse(null);
            if (type == null) {
                p.add("output_type", "'" + typeText + "' is not an output type",
                        "use one of loglikelihood, multiple_choice, generate_until, loglikelihood_rolling");
            }
        }
        String prompt = p.text(root, "prompt", type == OutputType.LOGLIKELIHOOD_ROLLING ? "{{text}}" : null,
                "write the prompt with {{field}} placeholders, e.g. 'prompt: \"Question: {{question}}\\nAnswer:\"'");
        boolean needsTarget = type == OutputType.GENERATE_UNTIL || type == OutputType.LOGLIKELIHOOD;
        String target = p.text(root, "target", needsTarget ? null : "",
                "name the reference with a placeholder, e.g. 'target: \"{{answer}}\"'");
        String choices = p.text(root, "choices", type == OutputType.MULTIPLE_CHOICE ? null : "",
                "name the field that holds the list of choices, e.g. 'choices: choices'");
        String gold = p.text(root, "gold", type == OutputType.MULTIPLE_CHOICE ? null : "",
                "name the field that holds the right choice's index (0-based), e.g. 'gold: label'");
        String delimiter = p.text(root, "target_delimiter", " ", null);
        TaskSpec.FewShot fewshot = fewshot(root.get("fewshot"), p);
        TaskSpec.Generation generation = generation(root.get("generation"), type, p);
        Extraction extract = extraction(root.get("extract"), p);
        List<Normalization> normalize = normalize(root.get("normalize"), p);
        List<TaskSpec.MetricSpec> metricSpecs = metrics(root.get("metrics"), type, p);
        TaskSpec.CodeCheck check = check(root.get("check"), p);
        if (check != null && type != OutputType.GENERATE_UNTIL) {
            p.add("check", "only generate_until tasks produce programs to check", "remove check, or set output_type: generate_until");
        }
        if (metricSpecs.stream().anyMatch(m -> m.name().equals("pass_at_k")) && check == null) {
            p.add("check", "pass_at_k needs a checker for the generated programs",
                    "add 'check: {language: java, program: \"{{code}}{{completion}}\", tests: tests}'");
        }
        return new TaskSpec(name, version, description, data, type, prompt == null ? null : new PromptTemplate(prompt),
                target == null ? null : new PromptTemplate(target), choices, gold, delimiter, fewshot, generation,
                extract, normalize, metricSpecs, check);
    }

    private TaskSpec.DataSpec data(JsonNode node, Problems p) {
        String fix = "give 'data: {file: name.jsonl}' (next to this YAML) or 'data: {generator: NAME}' with one of "
                + generators.keySet();
        if (node == null || !node.isObject()) {
            p.add("data", node == null ? "is missing" : "must be a mapping", fix);
            return null;
        }
        p.unknown(node, "data", Set.of("file", "generator", "params", "limit"));
        String file = p.text(node, "data.file", "file", "", null);
        String generator = p.text(node, "data.generator", "generator", "", null);
        if (file.isEmpty() == generator.isEmpty()) {
            p.add("data", file.isEmpty() ? "names neither a file nor a generator" : "names both a file and a generator", fix);
        }
        if (!generator.isEmpty() && !generators.containsKey(generator)) {
            p.add("data.generator", "no generator '" + generator + "' is registered", "use one of " + generators.keySet());
        }
        JsonNode params = node.get("params");
        if (params != null && !params.isObject()) {
            p.add("data.params", "must be a mapping", "write the generator's parameters as 'params: {count: 40}'");
        }
        Integer limit = node.has("limit") ? p.integer(node, "data.limit", "limit", 0, 1, Integer.MAX_VALUE) : null;
        return new TaskSpec.DataSpec(file.isEmpty() ? null : file, generator.isEmpty() ? null : generator,
                params == null ? JSON.createObjectNode() : params, limit);
    }

    private static TaskSpec.FewShot fewshot(JsonNode node, Problems p) {
        if (node == null) {
            return TaskSpec.FewShot.none();
        }
        if (!node.isObject()) {
            p.add("fewshot", "must be a mapping", "write 'fewshot: {count: 3, seed: 1234}'");
            return TaskSpec.FewShot.none();
        }
        p.unknown(node, "fewshot", Set.of("count", "seed", "separator"));
        return new TaskSpec.FewShot(p.integer(node, "fewshot.count", "count", 0, 0, 64),
                p.integer(node, "fewshot.seed", "seed", 1234, Integer.MIN_VALUE, Integer.MAX_VALUE),
                p.text(node, "fewshot.separator", "separator", "\n\n", null));
    }

    private static TaskSpec.Generation generation(JsonNode node, OutputType type, Problems p) {
        if (node == null) {
            return TaskSpec.Generation.greedy(List.of(), 64);
        }
        if (type != null && type != OutputType.GENERATE_UNTIL) {
            p.add("generation", "only generate_until tasks generate", "remove generation, or set output_type: generate_until");
        }
        if (!node.isObject()) {
            p.add("generation", "must be a mapping", "write 'generation: {until: [\"\\n\\n\"], max_tokens: 32}'");
            return TaskSpec.Generation.greedy(List.of(), 64);
        }
        p.unknown(node, "generation", Set.of("until", "max_tokens", "temperature", "top_p", "samples", "seed"));
        List<String> until = new ArrayList<>();
        JsonNode stops = node.get("until");
        if (stops != null) {
            if (stops.isTextual()) {
                until.add(stops.asText());
            } else if (stops.isArray()) {
                stops.forEach(s -> until.add(s.asText()));
            } else {
                p.add("generation.until", "must be a string or a list of strings", "write 'until: [\"\\n\\n\"]'");
            }
        }
        if (until.stream().anyMatch(String::isEmpty)) {
            p.add("generation.until", "has an empty stop string, which would stop before the first token", "remove it");
        }
        double temperature = p.real(node, "generation.temperature", "temperature", 0, 0, 100);
        double topP = p.real(node, "generation.top_p", "top_p", 1, 1e-6, 1);
        return new TaskSpec.Generation(until, p.integer(node, "generation.max_tokens", "max_tokens", 64, 1, 1 << 16),
                temperature, topP, p.integer(node, "generation.samples", "samples", 1, 1, 1000),
                p.integer(node, "generation.seed", "seed", 0, 0, Integer.MAX_VALUE));
    }

    private static Extraction extraction(JsonNode node, Problems p) {
        if (node == null) {
            return Extraction.none();
        }
        String kind = node.isTextual() ? node.asText() : p.text(node, "extract.kind", "kind", "none", null);
        if (!Extraction.KINDS.contains(kind)) {
            p.add("extract", "'" + kind + "' is not an extraction", "use one of " + Extraction.KINDS);
            return Extraction.none();
        }
        String pattern = node.isObject() ? p.text(node, "extract.pattern", "pattern", "", null) : "";
        if (kind.equals("regex")) {
            try {
                java.util.regex.Pattern.compile(pattern);
                if (pattern.isEmpty()) {
                    p.add("extract.pattern", "is missing", "give the regular expression, its group 1 the answer");
                }
            } catch (java.util.regex.PatternSyntaxException e) {
                p.add("extract.pattern", "is not a regular expression: " + e.getDescription(),
                        "fix it (Java syntax); remember YAML single quotes keep backslashes as they are");
            }
        }
        return new Extraction(kind, pattern.isEmpty() ? null : pattern);
    }

    private static List<Normalization> normalize(JsonNode node, Problems p) {
        List<Normalization> steps = new ArrayList<>();
        if (node == null) {
            return steps;
        }
        List<String> known = java.util.Arrays.stream(Normalization.values()).map(Normalization::yaml).toList();
        if (!node.isArray()) {
            p.add("normalize", "must be a list", "write 'normalize: [strip, lowercase]' using " + known);
            return steps;
        }
        for (int i = 0; i < node.size(); i++) {
            String text = node.get(i).asText();
            Normalization.parse(text).ifPresentOrElse(steps::add,
                    () -> p.add("normalize[" + steps.size() + "]", "'" + text + "' is not a normalisation", "use one of " + known));
        }
        return steps;
    }

    private List<TaskSpec.MetricSpec> metrics(JsonNode node, OutputType type, Problems p) {
        List<TaskSpec.MetricSpec> specs = new ArrayList<>();
        String fix = "list metrics, e.g. 'metrics: [exact_match]'; known: " + metrics.names();
        if (node == null || !node.isArray() || node.isEmpty()) {
            p.add("metrics", node == null ? "is missing" : "must be a non-empty list", fix);
            return specs;
        }
        for (int i = 0; i < node.size(); i++) {
            JsonNode entry = node.get(i);
            String path = "metrics[" + i + "]";
            String name = entry.isTextual() ? entry.asText() : entry.path("name").asText("");
            Metric metric = metrics.find(name).orElse(null);
            if (metric == null) {
                p.add(path, "'" + name + "' is not a registered metric", "use one of " + metrics.names() + closest(name, metrics.names()));
                continue;
            }
            if (type != null && !metric.accepts().contains(type)) {
                p.add(path, name + " does not apply to output_type " + type.yaml(), "use it with one of "
                        + metric.accepts().stream().map(OutputType::yaml).sorted().toList());
            }
            Map<String, Object> params = new LinkedHashMap<>();
            if (entry.isObject()) {
                for (Iterator<Map.Entry<String, JsonNode>> it = entry.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> field = it.next();
                    if (field.getKey().equals("name")) {
                        continue;
                    }
                    if (!metric.parameters().contains(field.getKey())) {
                        p.add(path + "." + field.getKey(), "is not a parameter of " + name,
                                metric.parameters().isEmpty() ? "remove it" : "use one of " + metric.parameters());
                        continue;
                    }
                    params.put(field.getKey(), JSON.convertValue(field.getValue(), Object.class));
                }
            }
            specs.add(new TaskSpec.MetricSpec(name, params));
        }
        return specs;
    }

    private static TaskSpec.CodeCheck check(JsonNode node, Problems p) {
        if (node == null) {
            return null;
        }
        if (!node.isObject()) {
            p.add("check", "must be a mapping", "write 'check: {language: java, program: \"{{code}}{{completion}}\", tests: tests}'");
            return null;
        }
        p.unknown(node, "check", Set.of("language", "program", "tests", "timeout_ms", "memory_mb"));
        String language = p.text(node, "check.language", "language", "java", null);
        if (!language.equals("java")) {
            p.add("check.language", "'" + language + "' is not supported", "use java");
        }
        String program = p.text(node, "check.program", "program", null, "give the program template, e.g. \"{{code}}{{completion}}\"");
        if (program != null && !program.contains("{{completion}}")) {
            p.add("check.program", "does not contain {{completion}}", "put {{completion}} where the model's output goes");
        }
        return new TaskSpec.CodeCheck(language, program == null ? null : new PromptTemplate(program),
                p.text(node, "check.tests", "tests", "tests", null),
                p.integer(node, "check.timeout_ms", "timeout_ms", 20_000, 100, 600_000),
                p.integer(node, "check.memory_mb", "memory_mb", 64, 16, 4096));
    }

    private List<JsonNode> docs(Path yaml, TaskSpec spec, Problems p) {
        List<JsonNode> docs = new ArrayList<>();
        if (spec.data().generator() != null) {
            docs.addAll(generators.get(spec.data().generator()).generate(spec.data().params()));
        } else {
            Path file = yaml.toAbsolutePath().getParent().resolve(spec.data().file());
            if (!Files.isRegularFile(file)) {
                p.add("data.file", file + " does not exist", "create it, or give a path relative to " + yaml.getParent());
                return docs;
            }
            try {
                int lineNumber = 0;
                for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                    lineNumber++;
                    if (line.isBlank()) {
                        continue;
                    }
                    try {
                        JsonNode doc = JSON.readTree(line);
                        if (!doc.isObject()) {
                            p.add("data.file", file + ":" + lineNumber + ": is not a JSON object", "write one {\"field\": …} object a line");
                        }
                        docs.add(doc);
                    } catch (JsonProcessingException e) {
                        p.add("data.file", file + ":" + lineNumber + ": not JSON: " + e.getOriginalMessage(), "write one JSON object a line");
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + file, e);
            }
        }
        if (docs.isEmpty() && p.isEmpty()) {
            p.add("data", "yields no documents", "add documents to the file or raise the generator's count");
        }
        Integer limit = spec.data().limit();
        return limit != null && limit < docs.size() ? List.copyOf(docs.subList(0, limit)) : List.copyOf(docs);
    }

    /** Every field a template or the choices read must be in every document. */
    private static void checkFields(TaskSpec spec, List<JsonNode> docs, Problems p) {
        Map<String, String> needs = new LinkedHashMap<>();
        spec.prompt().fields().forEach(f -> needs.putIfAbsent(f, "prompt"));
        spec.target().fields().forEach(f -> needs.putIfAbsent(f, "target"));
        if (spec.outputType() == OutputType.MULTIPLE_CHOICE) {
            needs.putIfAbsent(spec.choices(), "choices");
            needs.putIfAbsent(spec.gold(), "gold");
        }
        if (spec.check() != null) {
            spec.check().program().fields().stream().filter(f -> !f.equals("completion")).forEach(f -> needs.putIfAbsent(f, "check.program"));
            needs.putIfAbsent(spec.check().tests(), "check.tests");
        }
        for (Map.Entry<String, String> need : needs.entrySet()) {
            for (int i = 0; i < docs.size(); i++) {
                JsonNode doc = docs.get(i);
                if (!doc.has(need.getKey())) {
                    List<String> present = new ArrayList<>();
                    doc.fieldNames().forEachRemaining(present::add);
                    p.add(need.getValue(), "reads field '" + need.getKey() + "', which document " + (i + 1) + " lacks",
                            "use one of the document's fields " + present + closest(need.getKey(), present));
                    break;
                }
            }
        }
        if (spec.outputType() == OutputType.MULTIPLE_CHOICE && p.isEmpty()) {
            for (int i = 0; i < docs.size(); i++) {
                JsonNode choices = docs.get(i).get(spec.choices());
                JsonNode gold = docs.get(i).get(spec.gold());
                if (!choices.isArray() || choices.size() < 2 || !gold.canConvertToInt()
                        || gold.asInt() < 0 || gold.asInt() >= choices.size()) {
                    p.add("gold", "document " + (i + 1) + " has no list of ≥ 2 choices with a gold index inside it",
                            "give '" + spec.choices() + "' as a list and '" + spec.gold() + "' as a 0-based index into it");
                    break;
                }
            }
        }
    }

    /** "; did you mean 'x'?" for a near miss, else nothing. */
    static String closest(String name, java.util.Collection<String> options) {
        String best = null;
        int bestDistance = 3;
        for (String option : options) {
            int d = distance(name, option);
            if (d < bestDistance) {
                bestDistance = d;
                best = option;
            }
        }
        return best == null ? "" : "; did you mean '" + best + "'?";
    }

    private static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                current[j] = Math.min(Math.min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }

    /** Problems found so far, and typed readers that add one when a field is wrong. */
    static final class Problems {
        final List<SpecProblem> list = new ArrayList<>();

        boolean isEmpty() {
            return list.isEmpty();
        }

        void add(String path, String message, String fix) {
            list.add(new SpecProblem(path, message, fix));
        }

        void unknown(JsonNode node, String path, Set<String> known) {
            node.fieldNames().forEachRemaining(name -> {
                if (!known.contains(name)) {
                    add(path + "." + name, "is not a field of " + path, "use one of " + new java.util.TreeSet<>(known) + closest(name, known));
                }
            });
        }

        String text(JsonNode node, String field, String fallback, String fixIfMissing) {
            return text(node, field, field, fallback, fixIfMissing);
        }

        String text(JsonNode node, String path, String field, String fallback, String fixIfMissing) {
            JsonNode value = node.get(field);
            if (value == null || value.isNull()) {
                if (fallback == null) {
                    add(path, "is missing", fixIfMissing);
                }
                return fallback;
            }
            if (!value.isValueNode()) {
                add(path, "must be a string", "write it as a (quoted) string");
                return fallback;
            }
            return value.asText();
        }

        int integer(JsonNode node, String field, int fallback, int min, int max) {
            return integer(node, field, field, fallback, min, max);
        }

        int integer(JsonNode node, String path, String field, int fallback, int min, int max) {
            JsonNode value = node.get(field);
            if (value == null) {
                return fallback;
            }
            if (!value.canConvertToInt() || !value.isIntegralNumber() || value.asInt() < min || value.asInt() > max) {
                add(path, "'" + value.asText() + "' is not a whole number in [" + min + ", " + max + "]",
                        "give a whole number from " + min + " to " + max);
                return fallback;
            }
            return value.asInt();
        }

        double real(JsonNode node, String path, String field, double fallback, double min, double max) {
            JsonNode value = node.get(field);
            if (value == null) {
                return fallback;
            }
            if (!value.isNumber() || value.asDouble() < min || value.asDouble() > max) {
                add(path, "'" + value.asText() + "' is not a number in [" + min + ", " + max + "]",
                        "give a number from " + min + " to " + max);
                return fallback;
            }
            return value.asDouble();
        }
    }
}
