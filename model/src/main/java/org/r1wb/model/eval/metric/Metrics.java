package org.r1wb.model.eval.metric;

import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.TreeMap;

/** The metrics on the class path (built-ins and plugins), by name. */
public final class Metrics {

    private final Map<String, Metric> byName;

    private Metrics(Map<String, Metric> byName) {
        this.byName = byName;
    }

    /** Every {@link Metric} that {@link ServiceLoader} finds through {@code loader}. */
    public static Metrics load(ClassLoader loader) {
        Map<String, Metric> byName = new TreeMap<>();
        for (Metric metric : ServiceLoader.load(Metric.class, loader)) {
            byName.putIfAbsent(metric.name(), metric);
        }
        return new Metrics(byName);
    }

    /**
     * These metrics and {@code more} (a plugin's); a name already taken is refused, since a task naming it must get
     * one metric, not whichever registered first.
     */
    public Metrics plus(Collection<? extends Metric> more) {
        Map<String, Metric> all = new TreeMap<>(byName);
        for (Metric metric : more) {
            if (all.putIfAbsent(metric.name(), metric) != null) {
                throw new IllegalArgumentException("metric '" + metric.name() + "' is registered twice");
            }
        }
        return new Metrics(all);
    }

    /** The built-ins and whatever the class path adds. */
    public static Metrics builtIn() {
        return load(Metrics.class.getClassLoader());
    }

    public Optional<Metric> find(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    /** Names known, sorted (for error messages that list the choices). */
    public java.util.Set<String> names() {
        return byName.keySet();
    }
}
