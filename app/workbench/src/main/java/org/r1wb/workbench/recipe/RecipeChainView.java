package org.r1wb.workbench.recipe;

import javafx.collections.ListChangeListener;
import javafx.css.PseudoClass;
import javafx.geometry.Pos;
import javafx.scene.Group;
import javafx.scene.control.Hyperlink;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Pane;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.scene.shape.CubicCurve;
import javafx.scene.shape.Line;
import javafx.scene.shape.Polygon;
import javafx.scene.shape.Shape;
import org.r1wb.model.recipe.Recipe;
import org.r1wb.model.recipe.RecipeStage;
import org.r1wb.model.recipe.StageKind;
import org.r1wb.model.spec.SpecProblem;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * The recipe drawn as a chain, left to right in the order the stages run: one card per stage (its kind's colour and
 * name, its name, steps and batch, its status from the run folder, its validation problems), an arrow into each stage
 * from the stage whose checkpoint it starts from — straight from the previous one, arched over the chain from an
 * earlier one its {@code input} names. Skipped stages are dimmed and their arrows dashed. Clicking a card selects
 * the stage; a card's "Curves" link (or a double-click on it) opens its live curves, and a grpo card with rollouts
 * links to its rollout browser.
 */
public final class RecipeChainView extends Pane {

    public static final String STYLE_CLASS = "recipe-chain";
    public static final PseudoClass SELECTED = PseudoClass.getPseudoClass("selected");
    public static final PseudoClass SKIPPED = PseudoClass.getPseudoClass("skipped");
    public static final PseudoClass INVALID = PseudoClass.getPseudoClass("invalid");
    static final double CARD_WIDTH = 168;
    static final double GAP = 44;
    static final double PAD = 24;
    /** Room above the cards for the arches of explicit inputs. */
    static final double TOP = 84;
    private static final double ARROW = 9;

    private final RecipeEditorModel model;
    private final Group links = new Group();
    private final List<Card> cards = new ArrayList<>();
    private final List<RecipeChain.Link> drawnLinks = new ArrayList<>();
    private Consumer<String> onOpenRollouts = name -> { };
    private Consumer<String> onOpenCurves = name -> { };

    public RecipeChainView(RecipeEditorModel model) {
        this.model = model;
        getStyleClass().add(STYLE_CLASS);
        // a layout root: redrawing the arrows during layout must not lay the chain out again
        links.setManaged(false);
        model.recipeProperty().addListener((o, was, is) -> rebuild());
        model.problems().addListener((ListChangeListener<SpecProblem>) c -> decorate());
        model.statusesProperty().addListener((o, was, is) -> decorate());
        model.withRolloutsProperty().addListener((o, was, is) -> decorate());
        model.selectedProperty().addListener((o, was, is) -> decorate());
        rebuild();
    }

    /** What a grpo card's "Rollouts" link does with the stage's name. */
    public void setOnOpenRollouts(Consumer<String> open) {
        onOpenRollouts = open;
    }

    /** What a card's "Curves" link, and a double-click on the card, do with the stage's name. */
    public void setOnOpenCurves(Consumer<String> open) {
        onOpenCurves = open;
    }

    /** The cards, in the order the stages run. */
    public List<Card> cards() {
        return List.copyOf(cards);
    }

    /** The arrows drawn, in the order of the stages they lead into. */
    public List<RecipeChain.Link> links() {
        return List.copyOf(drawnLinks);
    }

    private void rebuild() {
        getChildren().clear();
        cards.clear();
        drawnLinks.clear();
        links.getChildren().clear();
        Recipe recipe = model.recipe();
        if (recipe == null) {
            return;
        }
        getChildren().add(links);
        for (int i = 0; i < recipe.stages().size(); i++) {
            Card card = new Card(i, recipe);
            card.relocate(PAD + i * (CARD_WIDTH + GAP), TOP);
            cards.add(card);
            getChildren().add(card);
        }
        setPrefWidth(2 * PAD + recipe.stages().size() * (CARD_WIDTH + GAP) - GAP);
        drawnLinks.addAll(RecipeChain.links(recipe));
        decorate();
    }

    /** Problems, statuses, selection: what changes without the chain changing. */
    private void decorate() {
        Recipe recipe = model.recipe();
        if (recipe == null) {
            return;
        }
        for (Card card : cards) {
            card.decorate();
        }
        // the arrows follow the cards' heights, known once they are laid out
        requestLayout();
    }

    @Override
    protected void layoutChildren() {
        super.layoutChildren();
        links.getChildren().clear();
        Recipe recipe = model.recipe();
        if (recipe == null) {
            return;
        }
        double tallest = 0;
        for (RecipeChain.Link link : drawnLinks) {
            Card from = cards.get(link.from());
            Card to = cards.get(link.to());
            boolean dim = from.stage.skipped() || to.stage.skipped();
            double midY = TOP + 46;
            List<Shape> shapes = new ArrayList<>();
            if (link.to() == link.from() + 1) {
                double x1 = from.getLayoutX() + CARD_WIDTH;
                double x2 = to.getLayoutX();
                shapes.add(new Line(x1, midY, x2 - ARROW, midY));
                shapes.add(head(x2, midY, 0));
            } else {
                double x1 = from.getLayoutX() + CARD_WIDTH / 2;
                double x2 = to.getLayoutX() + CARD_WIDTH / 2;
                double rise = Math.min(TOP - 12, 28 + 14 * (link.to() - link.from()));
                CubicCurve arch = new CubicCurve(x1, TOP, x1, TOP - rise, x2, TOP - rise, x2, TOP - ARROW);
                shapes.add(arch);
                shapes.add(head(x2, TOP, Math.PI / 2));
                Label label = new Label("input: " + from.stage.name());
                label.getStyleClass().add("recipe-link-label");
                label.relocate((x1 + x2) / 2 - 50, TOP - rise * 0.75 - 18);
                links.getChildren().add(label);
            }
            for (Shape shape : shapes) {
                shape.getStyleClass().addAll("recipe-link", link.explicit() ? "recipe-link-explicit" : "recipe-link-next");
                if (dim) {
                    shape.getStyleClass().add("recipe-link-skipped");
                }
            }
            links.getChildren().addAll(0, shapes);
        }
        for (Card card : cards) {
            tallest = Math.max(tallest, card.getHeight());
        }
        setPrefHeight(TOP + tallest + PAD);
    }

    /** An arrow head with its tip at (x, y), pointing along {@code angle} (0: right, π/2: down). */
    private static Polygon head(double x, double y, double angle) {
        double cos = Math.cos(angle);
        double sin = Math.sin(angle);
        double backX = x - ARROW * cos;
        double backY = y - ARROW * sin;
        double half = ARROW * 0.55;
        Polygon head = new Polygon(x, y, backX - half * sin, backY + half * cos, backX + half * sin, backY - half * cos);
        head.getStyleClass().add("recipe-link-head");
        return head;
    }

    /** One stage: its kind, name, settings, input, status and problems. */
    public final class Card extends VBox {

        private final int index;
        private final RecipeStage stage;
        private final Label marker = new Label("!");
        private final Label status = new Label();
        private final ProgressBar progress = new ProgressBar(0);
        private final Label problem = new Label();
        private final Hyperlink rollouts = new Hyperlink("Rollouts ›");
        private final Hyperlink curves = new Hyperlink("Curves ›");
        private final HBox stageLinks = new HBox(6);

        Card(int index, Recipe recipe) {
            this.index = index;
            this.stage = recipe.stages().get(index);
            getStyleClass().addAll("graph-node", "recipe-stage");
            setPrefWidth(CARD_WIDTH);
            setMinWidth(CARD_WIDTH);
            setMaxWidth(CARD_WIDTH);
            String kind = StageKind.of(stage.kind()).map(StageKind::id).orElse("unknown");
            Label kindPill = new Label(kind.toUpperCase(Locale.ROOT));
            kindPill.getStyleClass().addAll("recipe-kind", "recipe-kind-" + kind);
            Label number = new Label(String.valueOf(index + 1));
            number.getStyleClass().add("recipe-stage-number");
            Region spacer = new Region();
            HBox.setHgrow(spacer, Priority.ALWAYS);
            marker.getStyleClass().add("graph-node-marker");
            HBox head = new HBox(6, kindPill, spacer, number, marker);
            head.setAlignment(Pos.CENTER_LEFT);
            Label name = new Label(stage.name());
            name.getStyleClass().add("graph-node-title");
            getChildren().addAll(head, name);
            for (String line : settings(stage)) {
                Label settings = new Label(line);
                settings.getStyleClass().add("graph-node-type");
                getChildren().add(settings);
            }
            RecipeChain.externalInput(recipe, index).ifPresent(input -> {
                Label from = new Label("from " + input);
                from.getStyleClass().add("recipe-stage-input");
                from.setTooltip(new Tooltip("starts from the checkpoint folder " + input));
                getChildren().add(from);
            });
            if (stage.skipped()) {
                Label skipped = new Label("skipped: hands on input");
                skipped.setTooltip(new Tooltip("skipped: the next stage starts from this stage's input"));
                skipped.getStyleClass().add("recipe-stage-skipped");
                getChildren().add(skipped);
            }
            status.getStyleClass().add("recipe-stage-status");
            progress.getStyleClass().add("graph-node-progress");
            progress.setMaxWidth(Double.MAX_VALUE);
            problem.getStyleClass().add("recipe-stage-problem");
            problem.setWrapText(true);
            rollouts.getStyleClass().add("recipe-stage-rollouts");
            rollouts.setOnAction(e -> onOpenRollouts.accept(stage.name()));
            getChildren().addAll(status, progress, problem);
            Optional<StageKind> stageKind = StageKind.of(stage.kind());
            boolean hasCurves = stageKind.map(StageCurvePanel::hasCurves).orElse(false);
            if (hasCurves) {
                curves.getStyleClass().add("recipe-stage-curves");
                curves.setTooltip(new Tooltip("The stage's metrics as live charts, from the recipe's journal"));
                curves.setOnAction(e -> onOpenCurves.accept(stage.name()));
                stageLinks.getChildren().add(curves);
            }
            if (stageKind.orElse(null) == StageKind.GRPO) {
                stageLinks.getChildren().add(rollouts);
            }
            if (!stageLinks.getChildren().isEmpty()) {
                getChildren().add(stageLinks);
            }
            setOnMouseClicked(e -> {
                model.selectedProperty().set(index);
                if (e.getClickCount() == 2 && hasCurves) {
                    onOpenCurves.accept(stage.name());
                }
            });
            pseudoClassStateChanged(SKIPPED, stage.skipped());
        }

        /** The stage drawn. */
        public RecipeStage stage() {
            return stage;
        }

        /** Whether the card is drawn dimmed (the stage is skipped). */
        public boolean dimmed() {
            return getPseudoClassStates().contains(SKIPPED);
        }

        /** The status line shown ("finished · 20 / 20"). */
        public String statusText() {
            return status.getText();
        }

        /** The problems the card lists (its marker's tooltip), "path: message — fix" each. */
        public List<String> problems() {
            return model.problemsOf(index).stream().map(Card::line).toList();
        }

        /** The first problem as the card shows it (its path within the stage), empty when none. */
        public String problemText() {
            return problem.getText();
        }

        /** The link to the stage's rollout browser (grpo stages), enabled once it has rollouts. */
        public Optional<Hyperlink> rolloutsLink() {
            return stageLinks.getChildren().contains(rollouts) ? Optional.of(rollouts) : Optional.empty();
        }

        /** The link to the stage's live curves (every kind but quantize). */
        public Optional<Hyperlink> curvesLink() {
            return stageLinks.getChildren().contains(curves) ? Optional.of(curves) : Optional.empty();
        }

        private void decorate() {
            List<String> problems = problems();
            boolean invalid = !problems.isEmpty();
            pseudoClassStateChanged(INVALID, invalid);
            pseudoClassStateChanged(SELECTED, model.selectedProperty().get() == index);
            marker.setVisible(invalid);
            marker.setManaged(invalid);
            marker.setTooltip(invalid ? new Tooltip(String.join("\n", problems)) : null);
            String prefix = "stages[" + index + "].";
            String first = !invalid ? "" : problems.get(0).startsWith(prefix) ? problems.get(0).substring(prefix.length())
                    : problems.get(0);
            problem.setText(invalid ? first + (problems.size() > 1 ? "  (+" + (problems.size() - 1)
                    + " more)" : "") : "");
            problem.setVisible(invalid);
            problem.setManaged(invalid);
            Map<String, StageStatus> statuses = model.statusesProperty().get();
            StageStatus now = statuses.getOrDefault(stage.name(), StageStatus.notRun(stage.steps() == null ? 0
                    : stage.steps()));
            status.setText(now.line());
            status.setTooltip(now.message().isEmpty() ? null : new Tooltip(now.message()));
            progress.setProgress(now.state() == StageStatus.State.RUNNING && now.steps() <= 0
                    ? ProgressBar.INDETERMINATE_PROGRESS : now.progress());
            for (StageStatus.State state : StageStatus.State.values()) {
                pseudoClassStateChanged(PseudoClass.getPseudoClass("state-" + state.name().toLowerCase(Locale.ROOT)
                        .replace('_', '-')), state == now.state());
            }
            Set<String> withRollouts = model.withRolloutsProperty().get();
            rollouts.setDisable(!withRollouts.contains(stage.name()));
        }

        private static String line(SpecProblem p) {
            return p.path() + ": " + p.message() + " — " + p.fix();
        }

        /** One or two lines: steps and batch, then learning rate and sequence length; a kind without steps its params. */
        private static List<String> settings(RecipeStage stage) {
            List<String> first = new ArrayList<>();
            List<String> second = new ArrayList<>();
            if (stage.steps() != null) {
                first.add(stage.steps() + " steps");
            }
            if (stage.batchSize() != null) {
                first.add("batch " + stage.batchSize());
            }
            if (stage.optimizer() != null) {
                second.add("lr " + String.format(Locale.ROOT, "%.0e", stage.optimizer().lr()).replace("e-0", "e-"));
            }
            if (stage.seqLen() != null) {
                second.add("seq " + stage.seqLen());
            }
            if (first.isEmpty()) {
                stage.params().entrySet().stream().filter(e -> !(e.getValue() instanceof Collection<?>)
                        && !(e.getValue() instanceof Map<?, ?>)).limit(2)
                        .forEach(e -> first.add(e.getKey() + " " + e.getValue()));
            }
            return Stream.of(first, second).filter(l -> !l.isEmpty())
                    .map(l -> String.join(" · ", l)).toList();
        }
    }
}
