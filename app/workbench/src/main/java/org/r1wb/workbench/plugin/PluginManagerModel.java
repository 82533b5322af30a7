package org.r1wb.workbench.plugin;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.concurrent.Task;
import org.r1wb.agent.DisabledPlugins;
import org.r1wb.agent.LocalRunLauncher;
import org.r1wb.agent.PluginFolders;
import org.r1wb.agent.PluginInstaller;
import org.r1wb.workbench.BackgroundTasks;

/**
 * What the plugin manager shows and does for a workspace: the plugins of its {@code plugins/} folder and of the user's
 * folder as the agent reports them, installing a jar into either folder, and turning a plugin on or off (written to
 * its folder's {@link DisabledPlugins#FILE}, which runs honour). Every step runs in a background task and ends with a
 * fresh listing from a child agent; the workbench never loads plugin code. Properties change on the FX thread only.
 */
public final class PluginManagerModel {

    /** The two folders plugins are installed into. */
    public enum Folder {
        /** The workspace's {@code plugins/}: this workspace only. */
        WORKSPACE("Workspace plugins/"),
        /** The user's plugin folder: every workspace. */
        USER("User plugin folder");

        private final String label;

        Folder(String label) {
            this.label = label;
        }

        @Override
        public String toString() {
            return label;
        }
    }

    /** A file operation done before the listing is read again. */
    @FunctionalInterface
    private interface Step {
        String run() throws IOException;
    }

    private final Path workspace;
    private final BackgroundTasks tasks;
    private final LocalRunLauncher launcher = new LocalRunLauncher(PluginCatalog.agentOptions());
    private final ObservableList<InstalledPlugin> plugins = FXCollections.observableArrayList();
    private final ReadOnlyBooleanWrapper busy = new ReadOnlyBooleanWrapper(this, "busy", false);
    private final ReadOnlyStringWrapper message = new ReadOnlyStringWrapper(this, "message", "");

    /** The manager of {@code workspace}'s plugins, working through {@code tasks}. */
    public PluginManagerModel(Path workspace, BackgroundTasks tasks) {
        this.workspace = workspace;
        this.tasks = tasks;
    }

    /** The workspace whose plugins this manages. */
    public Path workspace() {
        return workspace;
    }

    /** The installed plugins, both folders, in the agent's order (workspace folder first). */
    public ObservableList<InstalledPlugin> plugins() {
        return plugins;
    }

    /** True while a step or a listing runs. */
    public ReadOnlyBooleanProperty busyProperty() {
        return busy.getReadOnlyProperty();
    }

    /** What the last step did, or why it failed. */
    public ReadOnlyStringProperty messageProperty() {
        return message.getReadOnlyProperty();
    }

    /** Where {@code folder} is on disk. */
    public Path folder(Folder folder) {
        return folder == Folder.USER ? PluginFolders.user() : workspace.resolve(PluginFolders.WORKSPACE_DIR);
    }

    /** Lists the plugins again; call on the FX thread. */
    public Task<List<InstalledPlugin>> refresh() {
        return submit("Listing plugins", () -> "");
    }

    /** Copies {@code jar} into {@code folder} (temp file, then rename) and lists again; call on the FX thread. */
    public Task<List<InstalledPlugin>> install(Path jar, Folder folder) {
        return submit("Installing " + jar.getFileName(), () -> "installed " + PluginInstaller.install(jar, folder(folder)));
    }

    /** Turns {@code plugin} on or off for every later run, and lists again; call on the FX thread. */
    public Task<List<InstalledPlugin>> setEnabled(InstalledPlugin plugin, boolean enabled) {
        return submit((enabled ? "Enabling " : "Disabling ") + plugin.id(), () -> {
            DisabledPlugins.set(plugin.jar(), !enabled);
            return (enabled ? "enabled " : "disabled ") + plugin.id() + (enabled ? "" : ": runs no longer load it");
        });
    }

    private Task<List<InstalledPlugin>> submit(String title, Step step) {
        Task<List<InstalledPlugin>> task = new Task<>() {
            private String done;

            @Override
            protected List<InstalledPlugin> call() throws IOException {
                updateMessage(title);
                done = step.run();
                updateMessage("Listing plugins");
                return PluginCatalog.plugins(workspace, launcher);
            }

            @Override
            protected void succeeded() {
                plugins.setAll(getValue());
                message.set(done);
                busy.set(false);
            }

            @Override
            protected void failed() {
                message.set(title + " failed: " + getException().getMessage());
                busy.set(false);
            }
        };
        busy.set(true);
        tasks.submit(task);
        return task;
    }
}
