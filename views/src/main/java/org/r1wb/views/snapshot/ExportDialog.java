package org.r1wb.views.snapshot;

import javafx.scene.control.Alert;
import javafx.stage.FileChooser;
import javafx.stage.Window;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;

/** The save dialog of a view's "Export CSV…" / "Export PNG…" buttons: asks for a file, writes it, says when it cannot. */
public final class ExportDialog {

    /** Writes the export to the chosen file. */
    @FunctionalInterface
    public interface Writer {
        void write(Path file) throws IOException;
    }

    private ExportDialog() {
    }

    /** Asks where to save a {@code kind} file ({@code pattern}, e.g. {@code *.csv}) and writes it there with {@code writer}. */
    public static void save(Window owner, String kind, String pattern, String defaultName, Writer writer) {
        FileChooser chooser = new FileChooser();
        chooser.setTitle("Export " + kind);
        chooser.setInitialFileName(defaultName);
        chooser.getExtensionFilters().add(new FileChooser.ExtensionFilter(kind, pattern));
        File file = chooser.showSaveDialog(owner);
        if (file == null) {
            return;
        }
        try {
            writer.write(file.toPath());
        } catch (IOException e) {
            new Alert(Alert.AlertType.ERROR, "Cannot write " + file + ": " + e.getMessage()).show();
        }
    }
}
