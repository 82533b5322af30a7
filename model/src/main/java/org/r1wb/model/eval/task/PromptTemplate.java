package org.r1wb.model.eval.task;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A template with {@code {{field}}} placeholders filled from a document's JSON fields. */
public record PromptTemplate(String text) {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{\\s*([A-Za-z0-9_]+)\\s*}}");

    /** The field names the template reads. */
    public List<String> fields() {
        List<String> fields = new ArrayList<>();
        Matcher matcher = PLACEHOLDER.matcher(text);
        while (matcher.find()) {
            fields.add(matcher.group(1));
        }
        return fields;
    }

    /** The template filled from {@code doc}, with {@code extra} values taking precedence. */
    public String render(JsonNode doc, Map<String, String> extra) {
        Matcher matcher = PLACEHOLDER.matcher(text);
        StringBuilder out = new StringBuilder();
        while (matcher.find()) {
            String field = matcher.group(1);
            String value = extra.containsKey(field) ? extra.get(field) : text(doc.get(field));
            matcher.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        matcher.appendTail(out);
        return out.toString();
    }

    /** The document filled in. */
    public String render(JsonNode doc) {
        return render(doc, Map.of());
    }

    private static String text(JsonNode node) {
        if (node == null || node.isNull()) {
            return "";
        }
        return node.isValueNode() ? node.asText() : node.toString();
    }
}
