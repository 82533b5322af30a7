package org.r1wb.views.attention;

import javafx.scene.paint.Color;

/** One distinct colour per attention head (the Tableau-10 palette, as BertViz uses), cycling past ten. */
public final class HeadColors {

    private static final Color[] PALETTE = {
        Color.web("#1f77b4"), Color.web("#ff7f0e"), Color.web("#2ca02c"), Color.web("#d62728"), Color.web("#9467bd"),
        Color.web("#8c564b"), Color.web("#e377c2"), Color.web("#7f7f7f"), Color.web("#bcbd22"), Color.web("#17becf")
    };

    private HeadColors() {
    }

    /** The colour of head {@code head}. */
    public static Color of(int head) {
        return PALETTE[Math.floorMod(head, PALETTE.length)];
    }
}
