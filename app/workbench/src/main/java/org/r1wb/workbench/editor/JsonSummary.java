package org.r1wb.workbench.editor;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Flattens a JSON document into {@code key → value} rows ({@code moe.topK → 2}) for a summary table,
 * so a model spec's key numbers read at a glance without the editor knowing the spec's fields.
 */
public final class JsonSummary {

    /** Arrays of scalars up to this length are shown inline; longer ones by their length. */
    private static final int INLINE_ARRAY = 8;

    /** One row: a dotted path and the value there. */
    public record Entry(String key, String value) { }

    private JsonSummary() {
    }

    /** The scalar leaves of {@code root}, in document order. */
    public static List<Entry> flatten(JsonNode root) {
        List<Entry> entries = new ArrayList<>();
        flatten("", root, entries);
        return entries;
    }

    private static void flatten(String path, JsonNode node, List<Entry> out) {
        if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                flatten(path.isEmpty() ? field.getKey() : path + "." + field.getKey(), field.getValue(), out);
            }
        } else if (node.isArray()) {
            out.add(new Entry(path, arrayText(node)));
        } else {
            out.add(new Entry(path, node.isTextual() ? node.textValue() : node.toString()));
        }
    }

    private static String arrayText(JsonNode array) {
        boolean scalars = true;
        for (JsonNode item : array) {
            scalars &= item.isValueNode();
        }
        if (scalars && array.size() <= INLINE_ARRAY) {
            List<String> items = new ArrayList<>();
            array.forEach(item -> items.add(item.isTextual() ? item.textValue() : item.toString()));
            return "[" + String.join(", ", items) + "]";
        }
        return array.size() + (array.size() == 1 ? " item" : " items");
    }
}
