package org.r1wb.agent;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.List;

/**
 * The inspector's pictures drawn headless with java.awt (no JavaFX in the agent), for papers and CI artifacts:
 * the routing figure (expert load over the steps beside the probe's token × expert gates) and the attention
 * figure (one heatmap per head). Colour map viridis, one pixel per cell stretched without smoothing, as the
 * workbench's views draw them.
 */
final class InspectFigures {

    /** Size of the routing figure. */
    static final int ROUTING_WIDTH = 1200;
    static final int ROUTING_HEIGHT = 600;
    /** One head's panel in the attention figure; at most {@link #HEADS_PER_ROW} panels a row. */
    static final int HEAD_PANEL = 320;
    static final int HEADS_PER_ROW = 4;
    static final int TITLE_HEIGHT = 50;
    static final int MARGIN = 20;

    private static final Font TITLE = new Font(Font.SANS_SERIF, Font.BOLD, 16);
    private static final Font LABEL = new Font(Font.SANS_SERIF, Font.PLAIN, 11);
    private static final Color INK = new Color(0x22, 0x22, 0x22);
    private static final Color FAINT = new Color(0x77, 0x77, 0x77);
    /** Cells with no value: the keys after a query, which causal attention never sees. */
    private static final Color MISSING = new Color(0xee, 0xee, 0xee);
    /** Viridis at 0, 1/8, …, 1 (matplotlib's table), interpolated linearly between. */
    private static final int[] VIRIDIS = {0x440154, 0x472d7b, 0x3b528b, 0x2c728e, 0x21918c, 0x28ae80, 0x5ec962,
        0xaddc30, 0xfde725};

    private InspectFigures() {
    }

    /** The load of one layer's experts at each routing step: {@code load[s][e]}, steps ascending. */
    record LoadHistory(long[] steps, double[][] load) {
    }

    /** A probe's matrix with its row labels: token × expert gates, or one head's query × key weights. */
    record Matrix(long step, List<String> tokens, double[][] values) {
    }

    /** Width and height of the attention figure of {@code heads} heads. */
    static int[] attentionSize(int heads) {
        int columns = Math.min(heads, HEADS_PER_ROW);
        int rows = (heads + HEADS_PER_ROW - 1) / HEADS_PER_ROW;
        return new int[] {2 * MARGIN + columns * HEAD_PANEL, TITLE_HEIGHT + rows * HEAD_PANEL + MARGIN};
    }

    /**
     * Left: experts × steps, colour = share of routed slots (0 … the largest share); right: probe tokens ×
     * experts, colour = gate weight (0 … 1), the chosen experts framed. Either may be {@code null}: its panel
     * then says how to get it.
     */
    static BufferedImage routing(String title, LoadHistory load, Matrix tokens, int[][] chosen) {
        BufferedImage image = new BufferedImage(ROUTING_WIDTH, ROUTING_HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = canvas(image);
        try {
            g.setFont(TITLE);
            g.drawString(title, MARGIN, 30);
            int top = TITLE_HEIGHT + 20;
            int height = ROUTING_HEIGHT - top - 60;
            if (load == null || load.steps().length == 0) {
                note(g, "no routing events for this layer in the journal", MARGIN + 50, top + height / 2);
            } else {
                loadPanel(g, load, MARGIN + 50, top, 470, height);
            }
            if (tokens == null) {
                note(g, "no probe captured for this layer: r1wb inspect RUN --probe TEXT", 640, top + height / 2);
            } else {
                tokenPanel(g, tokens, chosen, 700, top, 380, height);
            }
        } finally {
            g.dispose();
        }
        return image;
    }

    /** One query × key heatmap per head on a fixed 0 … 1 scale, query tokens labelled on the left. */
    static BufferedImage attention(String title, List<Matrix> heads) {
        int[] size = attentionSize(heads.size());
        BufferedImage image = new BufferedImage(size[0], size[1], BufferedImage.TYPE_INT_RGB);
        Graphics2D g = canvas(image);
        try {
            g.setFont(TITLE);
            g.drawString(title, MARGIN, 30);
            for (int h = 0; h < heads.size(); h++) {
                int x = MARGIN + (h % HEADS_PER_ROW) * HEAD_PANEL;
                int y = TITLE_HEIGHT + (h / HEADS_PER_ROW) * HEAD_PANEL;
                headPanel(g, "head " + h, heads.get(h), x, y);
            }
        } finally {
            g.dispose();
        }
        return image;
    }

    private static void loadPanel(Graphics2D g, LoadHistory load, int x, int y, int width, int height) {
        int steps = load.steps().length;
        int experts = load.load()[0].length;
        double max = 0;
        for (double[] row : load.load()) {
            for (double share : row) {
                max = Math.max(max, share);
            }
        }
        double[][] cells = new double[experts][steps]; // rows = experts, columns = steps
        for (int s = 0; s < steps; s++) {
            for (int e = 0; e < experts && e < load.load()[s].length; e++) {
                cells[e][s] = max == 0 ? 0 : load.load()[s][e] / max;
            }
        }
        g.setFont(TITLE.deriveFont(13f));
        g.drawString("expert load (share of routed slots)", x, y - 8);
        drawCells(g, cells, x, y, width, height);
        g.setFont(LABEL);
        g.setColor(FAINT);
        for (int e = 0; e < experts; e++) {
            if (experts <= 32 || e % (experts / 16) == 0) {
                int row = y + (int) ((e + 0.5) * height / experts) + 4;
                rightAligned(g, Integer.toString(e), x - 6, row);
            }
        }
        g.drawString("step " + load.steps()[0], x, y + height + 16);
        rightAligned(g, "step " + load.steps()[steps - 1], x + width, y + height + 16);
        Graphics2D vertical = (Graphics2D) g.create();
        try {
            vertical.translate(x - 30, y + height / 2);
            vertical.rotate(-Math.PI / 2);
            centred(vertical, "expert", 0, 0);
        } finally {
            vertical.dispose();
        }
        colourBar(g, x, y + height + 28, width, "0", String.format("%.3f", max));
    }

    private static void tokenPanel(Graphics2D g, Matrix tokens, int[][] chosen, int x, int y, int width, int height) {
        double[][] values = tokens.values();
        int rows = values.length;
        int experts = 0;
        for (double[] row : values) {
            experts = Math.max(experts, row.length);
        }
        g.setFont(TITLE.deriveFont(13f));
        g.drawString("probe tokens × experts, gate weight (step " + tokens.step() + ")", x - 80, y - 8);
        drawCells(g, values, x, y, width, height);
        g.setFont(LABEL);
        tokenLabels(g, tokens.tokens(), x - 6, y, height);
        g.setColor(FAINT);
        for (int e = 0; e < experts; e++) {
            if (experts <= 32 || e % (experts / 16) == 0) {
                int column = x + (int) ((e + 0.5) * width / experts);
                centred(g, Integer.toString(e), column, y + height + 16);
            }
        }
        g.drawString("expert", x + width + 8, y + height + 16);
        if (chosen != null) {
            g.setColor(Color.WHITE);
            g.setStroke(new BasicStroke(1.5f));
            for (int t = 0; t < Math.min(rows, chosen.length); t++) {
                for (int e : chosen[t]) {
                    int x0 = x + e * width / experts;
                    int y0 = y + t * height / rows;
                    g.drawRect(x0 + 1, y0 + 1, (e + 1) * width / experts - e * width / experts - 3,
                            (t + 1) * height / rows - t * height / rows - 3);
                }
            }
        }
        colourBar(g, x, y + height + 28, width, "0", "1   (framed: the chosen top-k)");
    }

    private static void headPanel(Graphics2D g, String title, Matrix head, int x, int y) {
        int labels = 70;
        int side = HEAD_PANEL - labels - 20;
        int left = x + labels;
        int top = y + 24;
        g.setFont(TITLE.deriveFont(13f));
        g.setColor(INK);
        g.drawString(title, left, y + 16);
        drawCells(g, head.values(), left, top, side, side);
        g.setFont(LABEL);
        tokenLabels(g, head.tokens(), left - 6, top, side);
        Graphics2D rotated = (Graphics2D) g.create();
        try {
            // key labels run down from the heatmap's bottom edge, one per column
            rotated.translate(left, top + side + 6);
            rotated.rotate(Math.PI / 2);
            tokenLabels(rotated, head.tokens(), 0, -side, side, true);
        } finally {
            rotated.dispose();
        }
    }

    /** Row labels centred on each row, right-aligned at {@code right}; thinned when rows are too short for text. */
    private static void tokenLabels(Graphics2D g, List<String> tokens, int right, int top, int height) {
        tokenLabels(g, tokens, right, top, height, false);
    }

    /**
     * As above; {@code keyAxis}: left-aligned at {@code right}, counted from the far end, for a graphics turned a
     * quarter clockwise so that the labels run down under the heatmap's columns.
     */
    private static void tokenLabels(Graphics2D g, List<String> tokens, int right, int top, int height, boolean keyAxis) {
        g.setColor(INK);
        int rows = tokens.size();
        int every = Math.max(1, (int) Math.ceil(12.0 * rows / height));
        for (int t = 0; t < rows; t += every) {
            String label = printable(tokens.get(t));
            if (keyAxis) {
                int baseline = top + height - (int) ((t + 0.5) * height / rows) + 4;
                g.drawString(label, right, baseline);
            } else {
                int baseline = top + (int) ((t + 0.5) * height / rows) + 4;
                rightAligned(g, label, right, baseline);
            }
        }
    }

    /** Values in 0 … 1, one pixel per cell, scaled up without smoothing; cells past a short row's end in grey. */
    private static void drawCells(Graphics2D g, double[][] values, int x, int y, int width, int height) {
        int rows = values.length;
        int columns = 0;
        for (double[] row : values) {
            columns = Math.max(columns, row.length);
        }
        BufferedImage cells = new BufferedImage(Math.max(1, columns), Math.max(1, rows), BufferedImage.TYPE_INT_RGB);
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < columns; c++) {
                cells.setRGB(c, r, c < values[r].length ? viridis(values[r][c]) : MISSING.getRGB());
            }
        }
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_NEAREST_NEIGHBOR);
        g.drawImage(cells, x, y, width, height, null);
        g.setColor(FAINT);
        g.drawRect(x - 1, y - 1, width + 1, height + 1);
    }

    private static void colourBar(Graphics2D g, int x, int y, int width, String low, String high) {
        for (int i = 0; i < width; i++) {
            g.setColor(new Color(viridis((double) i / (width - 1))));
            g.drawLine(x + i, y, x + i, y + 8);
        }
        g.setFont(LABEL);
        g.setColor(FAINT);
        g.drawString(low, x, y + 22);
        rightAligned(g, high, x + width, y + 22);
    }

    /** Viridis RGB of {@code value} clamped to 0 … 1. */
    static int viridis(double value) {
        double v = Double.isNaN(value) ? 0 : Math.max(0, Math.min(1, value)) * (VIRIDIS.length - 1);
        int i = Math.min((int) v, VIRIDIS.length - 2);
        double f = v - i;
        int a = VIRIDIS[i];
        int b = VIRIDIS[i + 1];
        int red = (int) Math.round(((a >> 16) & 0xff) * (1 - f) + ((b >> 16) & 0xff) * f);
        int green = (int) Math.round(((a >> 8) & 0xff) * (1 - f) + ((b >> 8) & 0xff) * f);
        int blue = (int) Math.round((a & 0xff) * (1 - f) + (b & 0xff) * f);
        return (red << 16) | (green << 8) | blue;
    }

    /** A token as a label: line breaks and tabs shown as escapes, a leading space as '·' so it stays visible. */
    static String printable(String token) {
        String shown = token.replace("\n", "\\n").replace("\t", "\\t").replace("\r", "\\r");
        if (shown.startsWith(" ")) {
            shown = "·" + shown.substring(1);
        }
        return shown.length() > 10 ? shown.substring(0, 9) + "…" : shown;
    }

    private static Graphics2D canvas(BufferedImage image) {
        Graphics2D g = image.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, image.getWidth(), image.getHeight());
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(INK);
        return g;
    }

    private static void note(Graphics2D g, String text, int x, int y) {
        g.setFont(LABEL.deriveFont(Font.ITALIC, 13f));
        g.setColor(FAINT);
        g.drawString(text, x, y);
    }

    private static void rightAligned(Graphics2D g, String text, int right, int baseline) {
        FontMetrics metrics = g.getFontMetrics();
        g.drawString(text, right - metrics.stringWidth(text), baseline);
    }

    private static void centred(Graphics2D g, String text, int centre, int baseline) {
        FontMetrics metrics = g.getFontMetrics();
        g.drawString(text, centre - metrics.stringWidth(text) / 2, baseline);
    }
}
