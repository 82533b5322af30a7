package org.r1wb.views.attention;

import javafx.beans.InvalidationListener;
import javafx.beans.value.ChangeListener;
import javafx.event.EventHandler;
import javafx.geometry.VPos;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.image.WritableImage;
import javafx.scene.input.MouseEvent;
import javafx.scene.paint.Color;
import javafx.scene.text.TextAlignment;
import org.r1wb.views.routing.CanvasSkin;
import org.r1wb.views.routing.HeatmapPainter;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Paints an {@link AttentionModelView}: each head's T × T matrix as one small image (one pixel per cell),
 * laid out layers × heads on the left; the selected head enlarged on the right.
 */
public class AttentionModelViewSkin extends CanvasSkin<AttentionModelView> {

    private static final double TOP = 48;
    private static final double LEFT = 40;
    private static final double GAP = 6;

    private final InvalidationListener dataChanged = o -> refresh();
    private final InvalidationListener selectionChanged = o -> markDirty();
    private final ChangeListener<AttentionSet> attentionChanged = (o, old, now) -> {
        if (old != null) {
            old.removeListener(dataChanged);
        }
        if (now != null) {
            now.addListener(dataChanged);
        }
        refresh();
    };
    private final EventHandler<MouseEvent> clicked = this::clicked;

    private final Map<AttentionModelView.HeadRef, WritableImage> thumbnails = new HashMap<>();
    private List<Integer> layers = List.of();
    private int heads;
    private double cell;

    public AttentionModelViewSkin(AttentionModelView control) {
        super(control);
        control.attentionProperty().addListener(attentionChanged);
        if (control.attentionProperty().get() != null) {
            control.attentionProperty().get().addListener(dataChanged);
        }
        control.selectedProperty().addListener(selectionChanged);
        canvas().addEventHandler(MouseEvent.MOUSE_CLICKED, clicked);
        refresh();
    }

    @Override
    public void dispose() {
        AttentionModelView control = getSkinnable();
        if (control == null) {
            return;
        }
        control.attentionProperty().removeListener(attentionChanged);
        if (control.attentionProperty().get() != null) {
            control.attentionProperty().get().removeListener(dataChanged);
        }
        control.selectedProperty().removeListener(selectionChanged);
        canvas().removeEventHandler(MouseEvent.MOUSE_CLICKED, clicked);
        super.dispose();
    }

    /** The colour of cell (q, k) in the thumbnail of {@code layer}, {@code head} (ARGB). */
    public int thumbnailArgb(int layer, int head, int q, int k) {
        return thumbnails.get(new AttentionModelView.HeadRef(layer, head)).getPixelReader().getArgb(k, q);
    }

    /** The centre of a thumbnail in the control's coordinates, as of the last paint. */
    public double[] thumbnailCentre(int layer, int head) {
        int row = layers.indexOf(layer);
        return new double[] {LEFT + head * (cell + GAP) + cell / 2, TOP + row * (cell + GAP) + cell / 2};
    }

    private void refresh() {
        thumbnails.clear();
        AttentionSet set = getSkinnable().attentionProperty().get();
        layers = set == null ? List.of() : List.copyOf(set.layers());
        heads = set == null ? 0 : set.maxHeads();
        if (set != null) {
            for (int layer : layers) {
                for (int head : set.heads(layer)) {
                    AttentionMap map = set.get(layer, head);
                    int t = map.tokens().size();
                    if (t > 0) {
                        thumbnails.put(new AttentionModelView.HeadRef(layer, head),
                                HeatmapPainter.fill(null, t, t, (k, q) -> map.weight(q, k), 1));
                    }
                }
            }
        }
        markDirty();
    }

    @Override
    protected void paint(GraphicsContext gc, double width, double height) {
        gc.setFill(HeatmapPainter.BACKGROUND);
        gc.fillRect(0, 0, width, height);
        HeatmapPainter.title(gc, "Attention · all layers × heads", 8, 6);
        if (layers.isEmpty() || heads == 0) {
            gc.setFill(HeatmapPainter.MUTED);
            gc.setTextAlign(TextAlignment.CENTER);
            gc.setTextBaseline(VPos.CENTER);
            gc.fillText("No attention captured", width / 2, height / 2);
            return;
        }
        AttentionModelView.HeadRef selected = getSkinnable().selectedProperty().get();
        double gridW = selected == null ? width - LEFT - 70 : width * 0.5 - LEFT;
        cell = Math.max(12, Math.min((gridW - GAP * heads) / heads, (height - TOP - 16 - GAP * layers.size()) / layers.size()));
        gc.setFill(HeatmapPainter.TEXT);
        gc.setTextAlign(TextAlignment.CENTER);
        gc.setTextBaseline(VPos.BOTTOM);
        for (int h = 0; h < heads; h++) {
            gc.fillText("H" + h, LEFT + h * (cell + GAP) + cell / 2, TOP - 4);
        }
        gc.setTextAlign(TextAlignment.RIGHT);
        gc.setTextBaseline(VPos.CENTER);
        for (int row = 0; row < layers.size(); row++) {
            double y = TOP + row * (cell + GAP);
            gc.setFill(HeatmapPainter.TEXT);
            gc.fillText("L" + layers.get(row), LEFT - 6, y + cell / 2);
            for (int h = 0; h < heads; h++) {
                WritableImage image = thumbnails.get(new AttentionModelView.HeadRef(layers.get(row), h));
                if (image != null) {
                    HeatmapPainter.drawCells(gc, image, LEFT + h * (cell + GAP), y, cell, cell);
                }
            }
        }
        if (selected != null && thumbnails.containsKey(selected) && layers.contains(selected.layer())) {
            double[] centre = thumbnailCentre(selected.layer(), selected.head());
            gc.setStroke(Color.web("#d62728"));
            gc.setLineWidth(2.5);
            gc.strokeRect(centre[0] - cell / 2 - 2, centre[1] - cell / 2 - 2, cell + 4, cell + 4);
            paintEnlarged(gc, selected, width * 0.5 + 60, width, height);
        } else {
            HeatmapPainter.colorBar(gc, LEFT + heads * (cell + GAP) + 8, TOP, 12,
                    Math.min(220, layers.size() * (cell + GAP) - GAP), 1, false, 0, "");
        }
    }

    private void paintEnlarged(GraphicsContext gc, AttentionModelView.HeadRef ref, double x, double width, double height) {
        AttentionMap map = getSkinnable().attentionProperty().get().get(ref.layer(), ref.head());
        int t = map.tokens().size();
        double size = Math.min(width - x - 60, height - TOP - 90);
        double y = TOP + 4;
        gc.setFill(HeatmapPainter.TEXT);
        gc.setTextAlign(TextAlignment.LEFT);
        gc.setTextBaseline(VPos.BOTTOM);
        gc.fillText("layer " + ref.layer() + " · head " + ref.head() + "  (rows: query, columns: key)", x, y - 6);
        HeatmapPainter.drawCells(gc, thumbnails.get(ref), x, y, size, size);
        double pitch = size / t;
        int stride = HeatmapPainter.labelStride(pitch, 12);
        gc.setTextAlign(TextAlignment.RIGHT);
        gc.setTextBaseline(VPos.CENTER);
        for (int i = 0; i < t; i += stride) {
            String text = map.tokens().get(i).replace(' ', '·').replace("\n", "↵");
            gc.fillText(text, x - 4, y + (i + 0.5) * pitch);
            gc.save();
            gc.translate(x + (i + 0.5) * pitch, y + size + 4);
            gc.rotate(-90);
            gc.fillText(text, 0, 0);
            gc.restore();
        }
        HeatmapPainter.colorBar(gc, x + size + 10, y, 12, size, 1, false, 0, "");
    }

    private void clicked(MouseEvent event) {
        if (layers.isEmpty() || cell <= 0) {
            return;
        }
        int h = (int) Math.floor((event.getX() - LEFT) / (cell + GAP));
        int row = (int) Math.floor((event.getY() - TOP) / (cell + GAP));
        if (h < 0 || h >= heads || row < 0 || row >= layers.size()) {
            return;
        }
        AttentionModelView.HeadRef ref = new AttentionModelView.HeadRef(layers.get(row), h);
        if (thumbnails.containsKey(ref)) {
            getSkinnable().selectedProperty().set(ref.equals(getSkinnable().selectedProperty().get()) ? null : ref);
        }
    }
}
