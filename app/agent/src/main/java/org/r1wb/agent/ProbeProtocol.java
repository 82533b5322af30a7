package org.r1wb.agent;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.Optional;
import org.r1wb.plugins.api.LoadedPlugin;
import org.r1wb.plugins.api.PluginDescriptor;
import org.r1wb.plugins.api.SpiVersion;

/**
 * The lines {@code r1wb plugin check --json} prints for {@link PluginProbe}: one JSON object a line, each with a
 * {@code probe} field ({@code loading}, {@code loaded}, {@code done}); anything else on the output (a plugin's own
 * printing) is not protocol and is ignored.
 */
final class ProbeProtocol {

    static final String FIELD = "probe";
    static final String LOADING = "loading";
    static final String LOADED = "loaded";
    static final String DONE = "done";

    private static final ObjectMapper JSON = new ObjectMapper();

    private ProbeProtocol() {
    }

    static String loading(Path jar) {
        return JSON.createObjectNode().put(FIELD, LOADING).put("jar", jar.toString()).toString();
    }

    static String loaded(LoadedPlugin plugin) {
        ObjectNode line = JSON.createObjectNode().put(FIELD, LOADED).put("jar", plugin.jar().toString())
                .put("state", plugin.state().name()).put("error", plugin.error());
        PluginDescriptor d = plugin.descriptor();
        if (d != null) {
            line.put("id", d.id()).put("version", d.version()).put("spi", d.spiVersion().toString())
                    .put("description", d.description());
        }
        return line.toString();
    }

    static String done() {
        return JSON.createObjectNode().put(FIELD, DONE).toString();
    }

    /** The protocol object on {@code line}, or empty when the line is not one. */
    static Optional<JsonNode> parse(String line) {
        if (!line.startsWith("{")) {
            return Optional.empty();
        }
        try {
            JsonNode node = JSON.readTree(line);
            return node.hasNonNull(FIELD) ? Optional.of(node) : Optional.empty();
        } catch (JsonProcessingException notProtocol) {
            return Optional.empty();
        }
    }

    static Path jar(JsonNode line) {
        return Path.of(line.path("jar").asText());
    }

    /** The plugin a {@code loaded} line describes. */
    static LoadedPlugin plugin(JsonNode line) {
        PluginDescriptor descriptor = line.hasNonNull("id") ? new PluginDescriptor(line.get("id").asText(),
                line.path("version").asText(), SpiVersion.parse(line.path("spi").asText()),
                line.path("description").asText()) : null;
        return new LoadedPlugin(jar(line), descriptor, LoadedPlugin.State.valueOf(line.path("state").asText()),
                line.hasNonNull("error") ? line.get("error").asText() : null);
    }
}
