package org.r1wb.views.attention;

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
 * The latest captured {@link AttentionMap} of every (layer, head): what the head and model views draw.
 * A new capture of a head replaces the old one. Change it on the FX thread; {@link #putAll} notifies once.
 */
public final class AttentionSet implements Observable {

    private final Map<Integer, Map<Integer, AttentionMap>> byLayer = new TreeMap<>();
    private final List<InvalidationListener> listeners = new ArrayList<>();

    /** Stores a batch of captures and notifies listeners once. */
    public void putAll(Collection<AttentionMap> maps) {
        if (maps.isEmpty()) {
            return;
        }
        for (AttentionMap map : maps) {
            byLayer.computeIfAbsent(map.layer(), l -> new TreeMap<>()).put(map.head(), map);
        }
        for (InvalidationListener listener : List.copyOf(listeners)) {
            listener.invalidated(this);
        }
    }

    /** Stores one capture. */
    public void put(AttentionMap map) {
        putAll(List.of(map));
    }

    /** The layers with a capture, ascending. */
    public SortedSet<Integer> layers() {
        return new TreeSet<>(byLayer.keySet());
    }

    /** The heads of {@code layer} with a capture, ascending. */
    public SortedSet<Integer> heads(int layer) {
        return new TreeSet<>(byLayer.getOrDefault(layer, Map.of()).keySet());
    }

    /** The capture of one head, or {@code null}. */
    public AttentionMap get(int layer, int head) {
        return byLayer.getOrDefault(layer, Map.of()).get(head);
    }

    /** The largest head count over the layers. */
    public int maxHeads() {
        return byLayer.values().stream().mapToInt(Map::size).max().orElse(0);
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
