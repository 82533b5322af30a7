package org.r1wb.agent;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code r1wb plugin new ID [--dir DIR] [--package PKG]}: writes a plugin project that builds and loads as it is. */
@Command(name = "new", description = "Write a ready-to-build plugin project (pom.xml, a Stage, the services file, a README).")
final class PluginNewCommand extends BaseCommand implements Callable<Integer> {

    @Parameters(paramLabel = "ID", description = "Plugin id: lower-case words joined by dashes, e.g. word-count.")
    private String id;

    @Option(names = "--dir", paramLabel = "DIR", description = "Project folder (default: ./ID); must not exist or be empty.")
    private Path dir;

    @Option(names = "--package", paramLabel = "PKG", description = "Java package (default: r1wb.plugin.<id without dashes>).")
    private String packageName;

    @Override
    public Integer call() {
        PluginProject project;
        try {
            project = packageName == null ? PluginProject.of(id) : new PluginProject(id, packageName);
        } catch (IllegalArgumentException e) {
            return badInput(e.getMessage());
        }
        Path target = dir != null ? dir : Path.of(id);
        try {
            project.write(target);
        } catch (IOException e) {
            return badInput(e.getMessage());
        }
        out().println("wrote plugin project " + target.toAbsolutePath().normalize() + " (stage '" + project.id()
                + "'); build it with: mvn -f " + target + "/pom.xml package");
        out().flush();
        return ExitCodes.OK;
    }
}
