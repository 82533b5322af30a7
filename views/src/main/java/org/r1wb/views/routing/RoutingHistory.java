package org.r1wb.views.routing;

import javafx.beans.InvalidationListener;
import javafx.beans.Observable;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Every {@link RoutingSample} of a run, by layer, in the order received: what the load heatmap draws.
 *
 * <p>Keeps all samples (one per layer per routing interval, so a long run holds thousands, not millions).
 * Not thread-safe: change it on the FX thread, one batch per {@link #addAll}, which notifies once.
 */
public final class RoutingHistory implements Observable {

    private final Map<Integer, List<RoutingSample>> byLayer = new TreeMap<>();
    private final List<InvalidationListener> listeners = new ArrayList<>();

    /** Adds one sample and notifies listeners. */
    public void add(RoutingSample sample) {
        addAll(List.of(sample));
    }

    /** Adds a batch of samples and notifies listeners once. */
    public void addAll(Collection<RoutingSample> samples) {
        if (samples.isEmpty()) {
            return;
        }
        for (RoutingSample sample : samples) {
            byLayer.computeIfAbsent(sample.layer(), l -> new ArrayList<>()).add(Objects.requireNonNull(sample));
        }
        for (InvalidationListener listener : List.copyOf(listeners)) {
            listener.invalidated(this);
        }
    }

    /** The layers that reported routing, ascending. */
    public SortedSet<Integer> layers() {
        return new TreeSet<>(byLayer.keySet());
    }

    /** The samples of {@code layer} in arrival order (step order for a live run); empty for an unknown layer. */
    public List<RoutingSample> samples(int layer) {
        return List.copyOf(byLayer.getOrDefault(layer, List.of()));
    }

    /** The number of samples of {@code layer}. */
    public int size(int layer) {
        return byLayer.getOrDefault(layer, List.of()).size();
    }

    @Override
    public void addListener(InvalidationListener listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    @Override
    public void removeListener(InvalidationListener listener) {
        listeners.remove(listener);
    }
}
