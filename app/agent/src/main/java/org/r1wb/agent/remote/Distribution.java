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

    private static final String AGENT_MAIN = "org/r1wb/agent/Main.class";

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
     * The agent's jars among those this JVM runs from: the jar that holds the agent's {@code Main} and the jars its
     * manifest's {@code Class-Path} names, found beside it or, by file name, on this JVM's class path (the
     * workbench's class path holds them all, JavaFX too, which a node does not need). Without such a manifest,
     * every jar of the class path, provided one of them holds the agent.
     */
    public static Distribution current() throws IOException {
        List<Path> classPath = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Path path = Path.of(entry).toAbsolutePath().normalize();
            // class folders (a build's, a test's) cannot go to a node; the agent must be found among the jars
            if (entry.endsWith(".jar") && Files.isRegularFile(path)) {
                classPath.addAll(expandManifestOnly(path));
            }
        }
        for (Path jar : classPath) {
            try (JarFile file = new JarFile(jar.toFile())) {
                Manifest manifest = file.getManifest();
                String dependencies = manifest == null ? null : manifest.getMainAttributes().getValue(Attributes.Name.CLASS_PATH);
                if (file.getEntry(AGENT_MAIN) == null || dependencies == null) {
                    continue;
                }
                List<Path> jars = new ArrayList<>(List.of(jar));
                for (String relative : dependencies.trim().split("\\s+")) {
                    jars.add(locate(jar, relative, classPath));
                }
                return of(jars);
            }
        }
        for (Path jar : classPath) {
            try (JarFile file = new JarFile(jar.toFile())) {
                if (file.getEntry(AGENT_MAIN) != null) {
                    return of(classPath);
                }
            }
        }
        throw new IOException("the agent's classes are not in a jar on this class path: pass --distribution with the "
                + "folder of the agent's jars (app/agent/target after ./mvnw -pl app/agent package)");
    }

    /**
     * A jar that holds nothing but a manifest (a launcher's, Maven Surefire's) stands for the jars its
     * {@code Class-Path} names, given as URLs relative to it.
     */
    private static List<Path> expandManifestOnly(Path jar) throws IOException {
        try (JarFile file = new JarFile(jar.toFile())) {
            Manifest manifest = file.getManifest();
            String named = manifest == null ? null : manifest.getMainAttributes().getValue(Attributes.Name.CLASS_PATH);
            boolean onlyManifest = file.stream().allMatch(e -> e.getName().startsWith("META-INF/"));
            if (named == null || !onlyManifest) {
                return List.of(jar);
            }
            List<Path> jars = new ArrayList<>();
            for (String url : named.trim().split("\\s+")) {
                Path path = Path.of(jar.getParent().toUri().resolve(url)).normalize();
                if (path.toString().endsWith(".jar") && Files.isRegularFile(path)) {
                    jars.add(path);
                }
            }
            return jars;
        }
    }

    private static Path locate(Path agentJar, String relative, List<Path> classPath) throws IOException {
        Path beside = agentJar.getParent().resolve(relative).normalize();
        if (Files.isRegularFile(beside)) {
            return beside;
        }
        String name = Path.of(relative).getFileName().toString();
        return classPath.stream().filter(p -> p.getFileName().toString().equals(name)).findFirst()
                .orElseThrow(() -> new IOException(agentJar.getFileName() + " needs " + name
                        + ", which is neither beside it nor on the class path"));
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
