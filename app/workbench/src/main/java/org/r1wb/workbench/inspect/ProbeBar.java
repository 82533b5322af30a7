package org.r1wb.workbench.inspect;

import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressIndicator;
import javafx.scene.control.TextField;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;

/**
 * The probe text of a run, editable, with Capture and Cancel: the controls of a {@link ProbeCapturer} above the
 * routing-tokens and attention views. Every bar of one capturer shows the same text and state.
 */
public final class ProbeBar extends HBox {

    /** Style class of the bar. */
    public static final String STYLE_CLASS = "probe-bar";

    private final TextField text = new TextField();
    private final Button capture = new Button("Capture");
    private final Button cancel = new Button("Cancel");

    public ProbeBar(ProbeCapturer capturer) {
        super(8);
        getStyleClass().add(STYLE_CLASS);
        setAlignment(Pos.CENTER_LEFT);
        text.setPromptText("Probe text, e.g. Tom has 3 apples and buys 4 more.");
        text.setPrefColumnCount(28);
        text.textProperty().bindBidirectional(capturer.probeTextProperty());
        text.disableProperty().bind(capturer.runningProperty());
        text.setOnAction(e -> capturer.capture());
        capture.disableProperty().bind(capturer.runningProperty().or(capturer.probeTextProperty().isEmpty()));
        capture.setOnAction(e -> capturer.capture());
        cancel.visibleProperty().bind(capturer.runningProperty());
        cancel.managedProperty().bind(cancel.visibleProperty());
        cancel.setOnAction(e -> capturer.cancel());
        ProgressIndicator progress = new ProgressIndicator(ProgressIndicator.INDETERMINATE_PROGRESS);
        progress.setPrefSize(18, 18);
        progress.visibleProperty().bind(capturer.runningProperty());
        progress.managedProperty().bind(progress.visibleProperty());
        Label message = new Label();
        message.textProperty().bind(capturer.messageProperty());
        message.setMaxWidth(Double.MAX_VALUE);
        HBox.setHgrow(message, Priority.ALWAYS);
        getChildren().addAll(new Label("Probe"), text, capture, progress, cancel, message);
    }

    /** The probe text field. */
    public TextField textField() {
        return text;
    }

    /** The Capture button. */
    public Button captureButton() {
        return capture;
    }

    /** The Cancel button, shown while a capture runs. */
    public Button cancelButton() {
        return cancel;
    }
}
