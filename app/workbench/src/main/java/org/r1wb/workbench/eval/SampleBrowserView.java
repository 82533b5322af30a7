package org.r1wb.workbench.eval;

import atlantafx.base.theme.Styles;
import javafx.beans.binding.Bindings;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.collections.ListChangeListener;
import javafx.geometry.Insets;
import javafx.geometry.Orientation;
import javafx.geometry.Pos;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressIndicator;
import javafx.scene.control.SplitPane;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.TextArea;
import javafx.scene.control.TextField;
import javafx.scene.control.ToggleButton;
import javafx.scene.control.ToggleGroup;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import javafx.util.StringConverter;
import org.r1wb.model.eval.SampleRecord;

import java.util.Locale;
import java.util.function.Function;

/**
 * The per-sample browser: choose a task and a checkpoint, filter (all / correct / wrong) and search, read
 * each document's prompt, target, the model's output, the extracted answer and whether it counts as right;
 * the selected one's full prompt and output below. Bound to a {@link SampleBrowserModel}.
 */
public final class SampleBrowserView extends BorderPane {

    /** Style class of the view. */
    public static final String STYLE_CLASS = "eval-samples";

    private final SampleBrowserModel model;
    private final TableView<SampleRecord> table = new TableView<>();

    public SampleBrowserView(SampleBrowserModel model) {
        this.model = model;
        getStyleClass().add(STYLE_CLASS);
        setTop(toolbar());
        SplitPane split = new SplitPane(tablePane(), detail());
        split.setOrientation(Orientation.VERTICAL);
        split.setDividerPositions(0.56);
        setCenter(split);
    }

    /** The table of samples the filter keeps. */
    public TableView<SampleRecord> table() {
        return table;
    }

    private HBox toolbar() {
        ComboBox<String> task = new ComboBox<>(model.taskChoices());
        task.setId("eval-sample-task");
        task.valueProperty().bindBidirectional(model.taskProperty());
        task.setPrefWidth(160);
        ComboBox<EvaluatedCheckpoint> checkpoint = new ComboBox<>(model.checkpointChoices());
        checkpoint.setId("eval-sample-checkpoint");
        checkpoint.valueProperty().bindBidirectional(model.checkpointProperty());
        checkpoint.setConverter(new StringConverter<>() {
            @Override
            public String toString(EvaluatedCheckpoint value) {
                return value == null ? "" : value.label();
            }

            @Override
            public EvaluatedCheckpoint fromString(String text) {
                return null;
            }
        });
        checkpoint.setPrefWidth(130);

        ToggleGroup filters = new ToggleGroup();
        HBox pills = new HBox();
        for (SampleFilter filter : SampleFilter.values()) {
            ToggleButton button = new ToggleButton(filter.label());
            button.setId("eval-filter-" + filter.name().toLowerCase(Locale.ROOT));
            button.setUserData(filter);
            button.setToggleGroup(filters);
            button.setSelected(filter == model.filterProperty().get());
            button.getStyleClass().add(filter.ordinal() == 0 ? Styles.LEFT_PILL
                    : filter.ordinal() == SampleFilter.values().length - 1 ? Styles.RIGHT_PILL : Styles.CENTER_PILL);
            pills.getChildren().add(button);
        }
        filters.selectedToggleProperty().addListener((obs, old, now) -> {
            if (now == null) {
                // a pill group always has one filter chosen
                old.setSelected(true);
            } else {
                model.filterProperty().set((SampleFilter) now.getUserData());
            }
        });
        model.filterProperty().addListener((obs, old, now) -> filters.getToggles().stream()
                .filter(t -> t.getUserData() == now).findFirst().ifPresent(filters::selectToggle));

        TextField search = new TextField();
        search.setId("eval-sample-search");
        search.setPromptText("Search the texts…");
        search.setMinWidth(120);
        search.textProperty().bindBidirectional(model.searchProperty());
        HBox.setHgrow(search, Priority.ALWAYS);
        search.setMaxWidth(340);

        Label count = new Label();
        count.setId("eval-sample-count");
        count.getStyleClass().add("eval-count");
        count.textProperty().bind(Bindings.createStringBinding(() -> {
            int all = model.samples().size();
            long correct = model.correctCount();
            boolean scored = model.samples().stream().anyMatch(s -> s.correct() != null);
            return model.visibleSamples().size() + " of " + all + " shown"
                    + (scored && all > 0 ? String.format(Locale.ROOT, "  ·  %d correct (%.0f %%)", correct,
                    100.0 * correct / all) : "");
        }, model.samples(), model.visibleSamples()));

        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.SOMETIMES);
        HBox bar = new HBox(8, caption("Task"), task, caption("Checkpoint"), checkpoint, pills, search, spacer, count);
        bar.setAlignment(Pos.CENTER_LEFT);
        bar.getStyleClass().add("eval-toolbar");
        return bar;
    }

    private StackPane tablePane() {
        table.setId("eval-samples-table");
        table.setItems(model.visibleSamples());
        table.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        table.getColumns().add(column("#", 46, s -> Integer.toString(s.doc())));
        table.getColumns().add(column("Prompt", 320, s -> lastLine(s.prompt())));
        table.getColumns().add(column("Target", 130, s -> oneLine(s.target())));
        table.getColumns().add(column("Model output", 260, s -> shown(s.output())));
        table.getColumns().add(column("Extracted", 110, s -> s.extracted() == null ? "—" : shown(s.extracted())));
        TableColumn<SampleRecord, Boolean> correct = new TableColumn<>("Correct");
        correct.setCellValueFactory(row -> new ReadOnlyObjectWrapper<>(row.getValue().correct()));
        correct.setCellFactory(col -> new VerdictCell());
        correct.setPrefWidth(70);
        correct.setMaxWidth(90);
        table.getColumns().add(correct);
        table.getColumns().get(0).setMaxWidth(60);
        table.getColumns().get(0).getStyleClass().add("eval-doc-column");
        table.getSelectionModel().selectedItemProperty().addListener((obs, old, now) -> model.selectedProperty().set(now));
        model.selectedProperty().addListener((obs, old, now) -> {
            if (now != table.getSelectionModel().getSelectedItem()) {
                table.getSelectionModel().select(now);
            }
        });
        // a new task or checkpoint starts with its first sample in the detail pane
        model.visibleSamples().addListener((ListChangeListener<SampleRecord>) change -> {
            if (model.selectedProperty().get() == null && !model.visibleSamples().isEmpty()) {
                table.getSelectionModel().select(0);
            }
        });

        Label problem = new Label();
        problem.getStyleClass().add("eval-problem");
        problem.setWrapText(true);
        problem.textProperty().bind(model.problemProperty());
        table.setPlaceholder(problem);
        ProgressIndicator busy = new ProgressIndicator();
        busy.setMaxSize(36, 36);
        busy.visibleProperty().bind(model.loadingProperty());
        return new StackPane(table, busy);
    }

    private VBox detail() {
        TextArea prompt = area("eval-sample-prompt");
        TextArea output = area("eval-sample-output");
        prompt.textProperty().bind(text(SampleRecord::prompt));
        output.textProperty().bind(text(SampleRecord::output));
        output.setPromptText("(the model's output is empty: it stopped at once)");
        Label target = value(text(SampleRecord::target));
        Label extracted = value(text(s -> s.extracted() == null ? "—" : shown(s.extracted())));
        Label verdict = new Label();
        verdict.getStyleClass().add("eval-verdict");
        verdict.textProperty().bind(text(s -> s.correct() == null ? "not scored" : s.correct() ? "✓ correct" : "✗ wrong"));
        model.selectedProperty().addListener((obs, old, now) -> styleVerdict(verdict, now == null ? null : now.correct()));

        VBox left = new VBox(4, caption("Prompt (few-shot context included)"), prompt);
        VBox.setVgrow(prompt, Priority.ALWAYS);
        HBox facts = new HBox(18, new VBox(2, caption("Target"), target), new VBox(2, caption("Extracted"), extracted),
                new VBox(2, caption("Verdict"), verdict));
        VBox right = new VBox(4, facts, caption("Model output"), output);
        VBox.setVgrow(output, Priority.ALWAYS);
        HBox.setHgrow(left, Priority.ALWAYS);
        HBox.setHgrow(right, Priority.ALWAYS);
        left.setPrefWidth(1);
        right.setPrefWidth(1);
        HBox panes = new HBox(14, left, right);
        VBox.setVgrow(panes, Priority.ALWAYS);
        VBox detail = new VBox(panes);
        detail.getStyleClass().add("eval-detail");
        detail.setPadding(new Insets(10, 12, 10, 12));
        return detail;
    }

    private javafx.beans.binding.StringBinding text(Function<SampleRecord, String> field) {
        return Bindings.createStringBinding(() -> {
            SampleRecord sample = model.selectedProperty().get();
            return sample == null ? "" : field.apply(sample);
        }, model.selectedProperty());
    }

    private static TextArea area(String id) {
        TextArea area = new TextArea();
        area.setId(id);
        area.setEditable(false);
        area.setWrapText(true);
        area.getStyleClass().add("eval-text");
        return area;
    }

    private static Label value(javafx.beans.binding.StringBinding text) {
        Label label = new Label();
        label.getStyleClass().add("eval-fact");
        label.textProperty().bind(text);
        return label;
    }

    private static Label caption(String text) {
        Label label = new Label(text.toUpperCase(Locale.ROOT));
        label.getStyleClass().add("stat-caption");
        label.setMinWidth(Region.USE_PREF_SIZE);
        return label;
    }

    private static TableColumn<SampleRecord, String> column(String name, double width, Function<SampleRecord, String> value) {
        TableColumn<SampleRecord, String> column = new TableColumn<>(name);
        column.setCellValueFactory(row -> new ReadOnlyObjectWrapper<>(value.apply(row.getValue())));
        column.setPrefWidth(width);
        return column;
    }

    /** The question ends the prompt; few-shot examples come before it. */
    static String lastLine(String prompt) {
        String[] lines = prompt.strip().split("\n");
        return lines.length == 0 ? "" : lines[lines.length - 1];
    }

    /** An empty answer is a finding (the model stopped at once), so it is shown as such rather than as a blank. */
    private static String shown(String text) {
        return text == null || text.isBlank() ? "∅" : oneLine(text);
    }

    private static String oneLine(String text) {
        return text == null ? "" : text.strip().replace("\n", " ⏎ ");
    }

    private static void styleVerdict(Label label, Boolean correct) {
        label.getStyleClass().removeAll("eval-right", "eval-wrong");
        if (correct != null) {
            label.getStyleClass().add(correct ? "eval-right" : "eval-wrong");
        }
    }

    /** ✓ in green for right, ✗ in red for wrong, nothing where the task has no notion of right. */
    private static final class VerdictCell extends TableCell<SampleRecord, Boolean> {
        VerdictCell() {
            setAlignment(Pos.CENTER);
        }

        @Override
        protected void updateItem(Boolean correct, boolean empty) {
            super.updateItem(correct, empty);
            getStyleClass().removeAll("eval-right", "eval-wrong");
            if (empty || correct == null) {
                setText(empty ? null : "·");
                return;
            }
            setText(correct ? "✓" : "✗");
            getStyleClass().add(correct ? "eval-right" : "eval-wrong");
        }
    }
}
