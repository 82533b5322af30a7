package org.r1wb.plugins.api;

/**
 * The plugin SPI's version, {@code major.minor}. A plugin built for major M and minor m loads when the
 * host's major equals M and its minor is at least m: minors only add, majors break.
 */
public record SpiVersion(int major, int minor) {

    /** The SPI version this build of the agent offers. */
    public static final SpiVersion CURRENT = new SpiVersion(1, 0);

    /** Parses {@code "1.0"}; throws {@link IllegalArgumentException} with the bad text otherwise. */
    public static SpiVersion parse(String text) {
        String[] parts = text == null ? new String[0] : text.strip().split("\\.");
        try {
            if (parts.length == 2) {
                return new SpiVersion(Integer.parseInt(parts[0]), Integer.parseInt(parts[1]));
            }
        } catch (NumberFormatException e) {
            // fall through to the message below
        }
        throw new IllegalArgumentException("SPI version must look like 1.0, got '" + text + "'");
    }

    /** True when a plugin that needs {@code required} runs on this host version. */
    public boolean satisfies(SpiVersion required) {
        return major == required.major && minor >= required.minor;
    }

    @Override
    public String toString() {
        return major + "." + minor;
    }
}
