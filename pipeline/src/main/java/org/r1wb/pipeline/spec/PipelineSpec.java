package org.r1wb.pipeline.spec;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.Collectors;
import org.r1wb.pipeline.InvalidPipelineException;
import org.r1wb.pipeline.Problem;
import org.r1wb.pipeline.io.AtomicFiles;
import org.r1wb.pipeline.io.Json;

/**
 * A {@code *.pipeline.json} file: a DAG of stage nodes. Unknown top-level fields are ignored so files written by
 * newer versions still open; {@link PipelineValidator} checks everything else.
 *
 * @param format file format version, {@value #FORMAT}
 * @param name   display name
 * @param nodes  the nodes, in file order (the run order among independent nodes)
 * @param edges  the edges, in file order (the order in which several inputs of one port arrive)
 */
public record PipelineSpec(int format, String name, List<NodeSpec> nodes, List<EdgeSpec> edges) {

    /** The format version this code reads and writes. */
    public static final int FORMAT = 1;

    public PipelineSpec {
        nodes = nodes == null ? List.of() : Collections.unmodifiableList(new ArrayList<>(nodes));
        edges = edges == null ? List.of() : Collections.unmodifiableList(new ArrayList<>(edges));
    }

    /** Reads a pipeline file; JSON that does not parse or map is an {@link InvalidPipelineException} with line:column. */
    public static PipelineSpec read(Path file) throws IOException {
        return parse(Files.readString(file), file.toString());
    }

    /** Parses pipeline JSON; {@code source} names it in error messages. */
    public static PipelineSpec parse(String json, String source) {
        try {
            return Json.mapper().readValue(json, PipelineSpec.class);
        } catch (JsonMappingException e) {
            String path = e.getPath().stream()
                    .map(ref -> ref.getFieldName() != null ? "." + ref.getFieldName() : "[" + ref.getIndex() + "]")
                    .collect(Collectors.joining()).replaceFirst("^\\.", "");
            throw new InvalidPipelineException(source, List.of(new Problem(path,
                    at(e.getLocation()) + e.getOriginalMessage(), "give this field a value of the expected type")));
        } catch (JsonProcessingException e) {
            throw new InvalidPipelineException(source, List.of(new Problem("",
                    at(e.getLocation()) + e.getOriginalMessage(), "fix the JSON syntax at that position")));
        }
    }

    private static String at(JsonLocation location) {
        return location == null ? "" : "line " + location.getLineNr() + ", column " + location.getColumnNr() + ": ";
    }

    /** Writes the file atomically, indented. */
    public void write(Path file) throws IOException {
        AtomicFiles.write(file, out -> Json.mapper().writeValue(out, this));
    }
}
