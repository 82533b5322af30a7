package org.r1wb.plugins.api;

import java.util.Set;
import java.util.function.Function;

/**
 * An SPI type whose extensions runs look up by name (a metric, a reward): a plugin may not reuse a name the host or
 * an earlier plugin already has, or a task or recipe naming it would get someone else's code.
 *
 * @param type    the SPI type
 * @param kind    what the user calls one ({@code "metric"}), for messages
 * @param nameOf  the name runs use for an extension
 * @param builtIn the names the host provides itself
 * @param <T>     the SPI type
 */
public record NamedSpi<T>(Class<T> type, String kind, Function<? super T, String> nameOf, Set<String> builtIn) {

    public NamedSpi {
        builtIn = Set.copyOf(builtIn);
    }
}
