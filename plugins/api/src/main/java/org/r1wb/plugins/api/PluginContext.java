package org.r1wb.plugins.api;

/** What a plugin may contribute to. Grows as SPIs are added; each addition bumps {@link SpiVersion#CURRENT}'s minor. */
public interface PluginContext {

    /** Registers an extension object (a pipeline {@code Stage}, a metric, a reward) under its SPI type. */
    <T> void contribute(Class<T> spi, T extension);
}
