package org.r1wb.agent;

import java.time.Duration;

/** Human-readable numbers for progress lines and summaries. */
final class Format {

    private Format() {
    }

    static String bytes(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double value = bytes;
        int unit = -1;
        while (value >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        return String.format("%.1f %s", value, units[unit]);
    }

    static String duration(Duration duration) {
        long seconds = duration.toSeconds();
        if (seconds < 60) {
            return String.format("%.1f s", duration.toMillis() / 1000.0);
        }
        return String.format("%d min %02d s", seconds / 60, seconds % 60);
    }
}
