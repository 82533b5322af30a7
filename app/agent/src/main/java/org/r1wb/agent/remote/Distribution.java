package org.r1wb.agent.remote;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The agent's jars as they go to a node ({@code lib/<jar>} each), named by their content digest so a node
 * receives one distribution once, however often runs start.
 */
public record Distribution(Map<String, Path> files, String digest) {

    /** A distribution of {@code jars}; their file names must differ. */
    public static Distribution of(List<Path> jars) throws IOException {
        Map<String, Path> files = new LinkedHashMap<>();
        for (Path jar : jars) {
            Path previous = files.put("lib/" + jar.getFileName(), jar);
            if (previous != null) {
                throw new IllegalArgumentException("two jars named " + jar.getFileName() + ": " + previous + " and " + jar);
            }
        }
        return new Distribution(Map.copyOf(files), ContentDigest.of(files));
    }

    /** The agent build in {@code app/agent/target}: {@code r1wb-agent.jar} and the jars of {@code lib/}. */
    public static Distribution ofBuild(Path target) throws IOException {
        Path agentJar = target.resolve("r1wb-agent.jar");
        if (!Files.isRegularFile(agentJar) || !Files.isDirectory(target.resolve("lib"))) {
            throw new IOException("no agent build in " + target + " (r1wb-agent.jar and lib/): run ./mvnw -pl app/agent package");
        }
        try (Stream<Path> libs = Files.list(target.resolve("lib"))) {
            List<Path> jars = Stream.concat(Stream.of(agentJar), libs.filter(p -> p.toString().endsWith(".jar")).sorted()).toList();
            return of(jars);
        }
    }
}
