package org.r1wb.plugins.api;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * One plugin's contributions, kept apart until the plugin has registered without failing, so a plugin that throws
 * half-way through {@code register} leaves nothing behind. Only the SPI types the host offers are accepted.
 */
public final class Contributions implements PluginContext {

    private final Set<Class<?>> offered;
    private final List<Object> extensions = new ArrayList<>();
    private final List<Class<?>> types = new ArrayList<>();

    /** A context that accepts extensions of exactly these SPI types. */
    public Contributions(Set<Class<?>> offered) {
        this.offered = Set.copyOf(offered);
    }

    @Override
    public <T> void contribute(Class<T> spi, T extension) {
        if (!offered.contains(spi)) {
            throw new IllegalArgumentException("this agent takes no " + spi.getName() + " contributions; it offers "
                    + offered.stream().map(Class::getSimpleName).sorted().toList());
        }
        extensions.add(spi.cast(extension));
        types.add(spi);
    }

    /** The extensions contributed under {@code spi}, in contribution order. */
    public <T> List<T> of(Class<T> spi) {
        List<T> found = new ArrayList<>();
        for (int i = 0; i < extensions.size(); i++) {
            if (types.get(i) == spi) {
                found.add(spi.cast(extensions.get(i)));
            }
        }
        return found;
    }
}
