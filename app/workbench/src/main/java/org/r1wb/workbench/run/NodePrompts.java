package org.r1wb.workbench.run;

import javafx.application.Platform;
import javafx.scene.control.Alert;
import javafx.scene.control.ButtonBar;
import javafx.scene.control.ButtonType;
import javafx.scene.control.Dialog;
import javafx.scene.control.Label;
import javafx.scene.control.PasswordField;
import javafx.scene.layout.VBox;
import javafx.stage.Window;
import org.r1wb.agent.remote.HostKeyPrompt;
import org.r1wb.agent.remote.Passphrases;

import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.Supplier;

/**
 * What connecting to a node asks of the user, as dialogs: an unknown host's key fingerprint to trust or refuse
 * (a changed key never gets here: it is refused outright), and an encrypted key's passphrase. The SSH work runs
 * on a worker thread; each question is shown on the FX thread while that worker waits for the answer.
 */
public final class NodePrompts implements HostKeyPrompt, Passphrases {

    /** The trust button's text (tests press it). */
    public static final String TRUST = "Trust and connect";

    private final Window owner;

    public NodePrompts(Window owner) {
        this.owner = owner;
    }

    @Override
    public boolean accept(String host, String keyType, String fingerprint) {
        return onFxThread(() -> {
            ButtonType trust = new ButtonType(TRUST, ButtonBar.ButtonData.OK_DONE);
            Alert alert = new Alert(Alert.AlertType.WARNING, "", trust, ButtonType.CANCEL);
            alert.initOwner(owner);
            alert.setTitle("Unknown host");
            alert.setHeaderText("The authenticity of " + host + " can't be established");
            Label key = new Label(keyType + " key fingerprint:\n" + fingerprint);
            key.getStyleClass().add("host-key-fingerprint");
            Label advice = new Label("Compare it with the node's own (ssh-keygen -lf /etc/ssh/ssh_host_"
                    + hostKeyFile(keyType) + "_key.pub on the node). "
                    + "Trusted keys are added to known_hosts; a key that later changes is refused.");
            advice.setWrapText(true);
            advice.setMaxWidth(460);
            alert.getDialogPane().setContent(new VBox(10, key, advice));
            alert.getDialogPane().getStyleClass().add("host-key-dialog");
            return alert.showAndWait().filter(trust::equals).isPresent();
        });
    }

    /** The name OpenSSH gives the host key file of a key type. */
    private static String hostKeyFile(String keyType) {
        if (keyType.startsWith("ecdsa")) {
            return "ecdsa";
        }
        if (keyType.contains("ed25519")) {
            return "ed25519";
        }
        return keyType.contains("rsa") ? "rsa" : keyType;
    }

    @Override
    public char[] passphrase(Path keyFile) {
        return onFxThread(() -> {
            Dialog<char[]> dialog = new Dialog<>();
            dialog.initOwner(owner);
            dialog.setTitle("Key passphrase");
            dialog.setHeaderText("Passphrase for " + keyFile);
            PasswordField field = new PasswordField();
            dialog.getDialogPane().setContent(new VBox(8, new Label("It is kept in memory for this run only."), field));
            dialog.getDialogPane().getButtonTypes().addAll(ButtonType.OK, ButtonType.CANCEL);
            dialog.setResultConverter(button -> button == ButtonType.OK ? field.getText().toCharArray() : null);
            Platform.runLater(field::requestFocus);
            char[] answer = dialog.showAndWait().orElse(null);
            field.clear();
            return answer;
        });
    }

    private static <T> T onFxThread(Supplier<T> question) {
        if (Platform.isFxApplicationThread()) {
            return question.get();
        }
        CompletableFuture<T> answer = new CompletableFuture<>();
        Platform.runLater(() -> {
            try {
                answer.complete(question.get());
            } catch (RuntimeException e) {
                answer.completeExceptionally(e);
            }
        });
        try {
            return answer.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the user's answer", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
    }
}
