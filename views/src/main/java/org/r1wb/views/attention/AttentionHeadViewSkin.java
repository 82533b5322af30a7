package org.r1wb.views.attention;

import javafx.beans.InvalidationListener;
import javafx.beans.property.IntegerProperty;
import javafx.beans.value.ChangeListener;
import javafx.event.EventHandler;
import javafx.geometry.VPos;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.input.MouseEvent;
import javafx.scene.text.TextAlignment;
import org.r1wb.views.routing.CanvasSkin;
import org.r1wb.views.routing.HeatmapPainter;

import java.util.ArrayList;
import java.util.List;

/** Paints an {@link AttentionHeadView} on a canvas: head swatches on top, then the two token columns and the lines. */
public class AttentionHeadViewSkin extends CanvasSkin<AttentionHeadView> {

    /** Lines fainter than this are not drawn: invisible anyway, and T² of them per head. */
    private static final double MIN_OPACITY = 0.01;
    private static final double TOP = 58;
    private static final double SWATCH = 16;
    /** The most pixels between two token rows: beyond it the lines get too flat to follow. */
    private static final double MAX_PITCH = 30;

    /**
     * One line as painted.
     *
     * @param head    the head
     * @param query   the query token index (left column)
     * @param key     the key token index (right column)
     * @param opacity the line's opacity: the attention weight
     */
    public record DrawnLine(int head, int query, int key, double opacity) {
    }

    private final InvalidationListener changed = o -> markDirty();
    private final ChangeListener<AttentionSet> attentionChanged = (o, old, now) -> {
        if (old != null) {
            old.removeListener(changed);
        }
        if (now != null) {
            now.addListener(changed);
        }
        markDirty();
    };
    private final EventHandler<MouseEvent> moved = this::moved;
    private final EventHandler<MouseEvent> clicked = this::clicked;

    private final List<DrawnLine> drawn = new ArrayList<>();
    private int focusQuery = -1;
    private double leftX;
    private double rightX;
    private double rowsY;
    private double pitch;
    private int tokenCount;
    private List<Integer> swatchHeads = List.of();

    public AttentionHeadViewSkin(AttentionHeadView control) {
        super(control);
        control.attentionProperty().addListener(attentionChanged);
        if (control.attentionProperty().get() != null) {
            control.attentionProperty().get().addListener(changed);
        }
        control.layerProperty().addListener(changed);
        control.headProperty().addListener(changed);
        canvas().addEventHandler(MouseEvent.MOUSE_MOVED, moved);
        canvas().addEventHandler(MouseEvent.MOUSE_CLICKED, clicked);
    }

    @Override
    public void dispose() {
        AttentionHeadView control = getSkinnable();
        if (control == null) {
            return;
        }
        control.attentionProperty().removeListener(attentionChanged);
        if (control.attentionProperty().get() != null) {
            control.attentionProperty().get().removeListener(changed);
        }
        control.layerProperty().removeListener(changed);
        control.headProperty().removeListener(changed);
        canvas().removeEventHandler(MouseEvent.MOUSE_MOVED, moved);
        canvas().removeEventHandler(MouseEvent.MOUSE_CLICKED, clicked);
        super.dispose();
    }

    /** The lines of the last paint, in painting order. */
    public List<DrawnLine> drawnLines() {
        return List.copyOf(drawn);
    }

    @Override
    protected void paint(GraphicsContext gc, double width, double height) {
        drawn.clear();
        gc.setFill(HeatmapPainter.BACKGROUND);
        gc.fillRect(0, 0, width, height);
        AttentionSet set = getSkinnable().attentionProperty().get();
        int layer = getSkinnable().layerProperty().get();
        List<AttentionMap> maps = new ArrayList<>();
        if (set != null) {
            for (int head : set.heads(layer)) {
                maps.add(set.get(layer, head));
            }
        }
        String step = maps.isEmpty() ? "" : " · step " + maps.get(0).step();
        HeatmapPainter.title(gc, "Attention · layer " + layer + step, 8, 6);
        if (maps.isEmpty()) {
            gc.setFill(HeatmapPainter.MUTED);
            gc.setTextAlign(TextAlignment.CENTER);
            gc.setTextBaseline(VPos.CENTER);
            gc.fillText("No attention captured for layer " + layer, width / 2, height / 2);
            tokenCount = 0;
            return;
        }
        paintSwatches(gc, maps);
        List<String> tokens = maps.get(0).tokens();
        tokenCount = tokens.size();
        pitch = Math.max(4, Math.min(MAX_PITCH, (height - TOP - 10) / tokenCount));
        rowsY = TOP + pitch / 2;
        leftX = width * 0.5 - Math.min(220, width * 0.22);
        rightX = width * 0.5 + Math.min(220, width * 0.22);
        int selected = getSkinnable().headProperty().get();
        gc.setLineWidth(2);
        for (AttentionMap map : maps) {
            if (selected != AttentionHeadView.ALL_HEADS && map.head() != selected) {
                continue;
            }
            gc.setStroke(HeadColors.of(map.head()));
            for (int q = 0; q < tokenCount; q++) {
                if (focusQuery >= 0 && q != focusQuery) {
                    continue;
                }
                for (int k = 0; k < tokenCount; k++) {
                    double w = map.weight(q, k);
                    if (w < MIN_OPACITY) {
                        continue;
                    }
                    gc.setGlobalAlpha(Math.min(1, w));
                    gc.strokeLine(leftX + 6, rowsY + q * pitch, rightX - 6, rowsY + k * pitch);
                    drawn.add(new DrawnLine(map.head(), q, k, w));
                }
            }
        }
        gc.setGlobalAlpha(1);
        paintTokens(gc, tokens);
    }

    private void paintSwatches(GraphicsContext gc, List<AttentionMap> maps) {
        int selected = getSkinnable().headProperty().get();
        List<Integer> heads = new ArrayList<>();
        double x = 8;
        gc.setTextBaseline(VPos.CENTER);
        gc.setTextAlign(TextAlignment.LEFT);
        for (AttentionMap map : maps) {
            boolean on = selected == AttentionHeadView.ALL_HEADS || selected == map.head();
            gc.setGlobalAlpha(on ? 1 : 0.25);
            gc.setFill(HeadColors.of(map.head()));
            gc.fillRect(x, 30, SWATCH, SWATCH);
            gc.setFill(HeatmapPainter.TEXT);
            gc.fillText("H" + map.head(), x + SWATCH + 3, 30 + SWATCH / 2);
            heads.add(map.head());
            x += SWATCH + 34;
        }
        gc.setGlobalAlpha(1);
        swatchHeads = heads;
        gc.setFill(HeatmapPainter.MUTED);
        gc.fillText("click a head to show it alone · hover a query token", x + 10, 30 + SWATCH / 2);
    }

    private void paintTokens(GraphicsContext gc, List<String> tokens) {
        gc.setTextBaseline(VPos.CENTER);
        for (int i = 0; i < tokens.size(); i++) {
            String text = tokens.get(i).replace(' ', '·').replace("\n", "↵");
            double y = rowsY + i * pitch;
            gc.setFill(i == focusQuery ? HeatmapPainter.POSITIVE : HeatmapPainter.TEXT);
            gc.setTextAlign(TextAlignment.RIGHT);
            gc.fillText(text, leftX, y);
            gc.setFill(HeatmapPainter.TEXT);
            gc.setTextAlign(TextAlignment.LEFT);
            gc.fillText(text, rightX, y);
        }
        gc.setFill(HeatmapPainter.MUTED);
        gc.setTextAlign(TextAlignment.CENTER);
        gc.setTextBaseline(VPos.BOTTOM);
        gc.fillText("query", leftX - 30, TOP - 2);
        gc.fillText("key", rightX + 20, TOP - 2);
    }

    private void moved(MouseEvent event) {
        int query = -1;
        if (tokenCount > 0 && event.getX() < leftX + 8 && event.getX() > leftX - 160) {
            int row = (int) Math.floor((event.getY() - rowsY) / pitch + 0.5);
            query = row >= 0 && row < tokenCount ? row : -1;
        }
        if (query != focusQuery) {
            focusQuery = query;
            markDirty();
        }
    }

    private void clicked(MouseEvent event) {
        if (event.getY() < 30 || event.getY() > 30 + SWATCH) {
            return;
        }
        int index = (int) ((event.getX() - 8) / (SWATCH + 34));
        if (index >= 0 && index < swatchHeads.size()) {
            int head = swatchHeads.get(index);
            // clicking the head shown alone shows every head again
            IntegerProperty shown = getSkinnable().headProperty();
            shown.set(shown.get() == head ? AttentionHeadView.ALL_HEADS : head);
        }
    }
}
