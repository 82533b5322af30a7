package org.r1wb.views.routing;

/**
 * The colour map of every heatmap in the inspection views: viridis (perceptually uniform, readable in
 * grey print and by colour-blind readers), as opaque ARGB ints so a whole image is written in one pass.
 *
 * <p>The agent's headless renderer ({@code org.r1wb.agent.inspect.HeatColors}) holds the same anchors, so the
 * CLI's PNGs and the workbench's pictures agree; views must not depend on the agent, hence the copy.
 */
public final class HeatColors {

    /** Viridis sampled at nine evenly spaced points, 0 to 1, as RGB. */
    private static final int[] ANCHORS = {
        0x440154, 0x472d7b, 0x3b528b, 0x2c728e, 0x21918c, 0x28ae80, 0x5ec962, 0xaddc30, 0xfde725
    };

    /** Colours per table: 1 024 levels are finer than any screen shows, and a lookup is all a cell costs. */
    private static final int LEVELS = 1024;
    private static final int[] TABLE = new int[LEVELS];

    static {
        for (int i = 0; i < LEVELS; i++) {
            TABLE[i] = interpolate(i / (double) (LEVELS - 1));
        }
    }

    private HeatColors() {
    }

    /** The opaque ARGB colour of {@code t}, clamped to [0, 1]; {@code NaN} maps to the lowest colour. */
    public static int argb(double t) {
        if (!(t > 0)) {
            return TABLE[0];
        }
        return t >= 1 ? TABLE[LEVELS - 1] : TABLE[(int) (t * (LEVELS - 1) + 0.5)];
    }

    private static int interpolate(double clamped) {
        double scaled = clamped * (ANCHORS.length - 1);
        int low = Math.min((int) scaled, ANCHORS.length - 2);
        double f = scaled - low;
        int a = ANCHORS[low];
        int b = ANCHORS[low + 1];
        int r = mix(a >> 16 & 0xff, b >> 16 & 0xff, f);
        int g = mix(a >> 8 & 0xff, b >> 8 & 0xff, f);
        int bl = mix(a & 0xff, b & 0xff, f);
        return 0xff000000 | r << 16 | g << 8 | bl;
    }

    /** Whether text drawn on {@code argb} should be dark rather than light, by its luminance. */
    public static boolean prefersDarkText(int argb) {
        double luminance = 0.2126 * (argb >> 16 & 0xff) + 0.7152 * (argb >> 8 & 0xff) + 0.0722 * (argb & 0xff);
        return luminance > 140;
    }

    private static int mix(int from, int to, double f) {
        return (int) Math.round(from + (to - from) * f);
    }
}
