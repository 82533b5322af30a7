package org.r1wb.plugins.api;

import java.util.jar.Attributes;
import java.util.jar.Manifest;

/** A plugin's identity, read from its jar manifest ({@code R1wb-Plugin-Id}, {@code -Version}, {@code R1wb-Spi-Version}). */
public record PluginDescriptor(String id, String version, SpiVersion spiVersion, String description) {

    public static final String ID = "R1wb-Plugin-Id";
    public static final String VERSION = "R1wb-Plugin-Version";
    public static final String SPI_VERSION = "R1wb-Spi-Version";
    public static final String DESCRIPTION = "R1wb-Plugin-Description";

    /** Reads the descriptor; every missing or malformed attribute is named in the exception's message. */
    public static PluginDescriptor fromManifest(Manifest manifest) {
        Attributes main = manifest == null ? new Attributes() : manifest.getMainAttributes();
        StringBuilder problems = new StringBuilder();
        String id = main.getValue(ID);
        String version = main.getValue(VERSION);
        String spi = main.getValue(SPI_VERSION);
        if (id == null || id.isBlank()) {
            problems.append("manifest lacks ").append(ID).append("; ");
        }
        if (version == null || version.isBlank()) {
            problems.append("manifest lacks ").append(VERSION).append("; ");
        }
        SpiVersion spiVersion = null;
        try {
            spiVersion = SpiVersion.parse(spi);
        } catch (IllegalArgumentException e) {
            problems.append(SPI_VERSION).append(": ").append(e.getMessage()).append("; ");
        }
        if (problems.length() > 0) {
            throw new IllegalArgumentException(problems.substring(0, problems.length() - 2));
        }
        String description = main.getValue(DESCRIPTION);
        return new PluginDescriptor(id, version, spiVersion, description == null ? "" : description);
    }
}
