package org.r1wb.agent.remote;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
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

    /**
     * The jars in {@code folder/lib} (or in {@code folder} itself when it has no {@code lib/}): an installed
     * r1wb's jar folder, or a build's. Sorted by name, so the digest does not depend on listing order.
     */
    public static Distribution ofFolder(Path folder) throws IOException {
        Path lib = Files.isDirectory(folder.resolve("lib")) ? folder.resolve("lib") : folder;
        try (Stream<Path> files = Files.list(lib)) {
            List<Path> jars = files.filter(p -> p.toString().endsWith(".jar")).sorted().toList();
            if (jars.isEmpty()) {
                throw new IOException("no jars in " + lib + ": point --distribution at the folder of the agent's jars");
            }
            return of(jars);
        }
    }

    /**
     * The jars this JVM runs from ({@code java.class.path}, and the {@code Class-Path} of a launcher jar's
     * manifest): what goes to a node when the workbench or the installed {@code r1wb} starts a remote run.
     */
    public static Distribution current() throws IOException {
        List<Path> jars = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Path path = Path.of(entry).toAbsolutePath();
            if (!entry.endsWith(".jar") || !Files.isRegularFile(path)) {
                throw new IOException("this agent runs from " + entry + ", not from jars: pass --distribution with "
                        + "the folder of the agent's jars (e.g. app/agent/target after ./mvnw -pl app/agent package)");
            }
            jars.add(path);
            try (JarFile jar = new JarFile(path.toFile())) {
                Manifest manifest = jar.getManifest();
                String classPath = manifest == null ? null : manifest.getMainAttributes().getValue(Attributes.Name.CLASS_PATH);
                if (classPath != null) {
                    for (String relative : classPath.trim().split("\\s+")) {
                        Path dependency = path.getParent().resolve(relative).normalize();
                        if (Files.isRegularFile(dependency) && !jars.contains(dependency)) {
                            jars.add(dependency);
                        }
                    }
                }
            }
        }
        return of(jars);
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
