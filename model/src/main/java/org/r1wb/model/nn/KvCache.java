package org.r1wb.model.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;

import java.util.ArrayList;
import java.util.List;

/**
 * The keys and values every attention layer has computed so far, so that decoding one more token attends to the
 * past without recomputing it. Keys are stored already rotated, one entry per key/value head (before the
 * grouped-query sharing), so the cache is {@code H / KV} times smaller than the attention it feeds.
 * Owns native memory: close it.
 *
 * <table>
 *   <caption>Shapes</caption>
 *   <tr><td>B, KV, T, hd</td><td>batch, key/value heads, cached positions, head width</td></tr>
 *   <tr><td>each layer's keys and values</td><td>(B, KV, T, hd)</td></tr>
 * </table>
 */
public final class KvCache implements AutoCloseable {

    private final NDManager manager;
    private final List<Layer> layers = new ArrayList<>();
    private final int capacity;
    private int length;

    /** An empty cache for {@code layers} layers and at most {@code capacity} positions; memory in a sub-manager of {@code parent}. */
    public KvCache(NDManager parent, int layers, int capacity) {
        this.manager = parent.newSubManager();
        this.capacity = capacity;
        for (int i = 0; i < layers; i++) {
            this.layers.add(new Layer());
        }
    }

    /** Positions cached so far; the next token's position. */
    public int length() {
        return length;
    }

    /** The most positions the cache (and the model's rotary tables) can hold. */
    public int capacity() {
        return capacity;
    }

    /** The cache of decoder layer {@code index}. */
    public Layer layer(int index) {
        return layers.get(index);
    }

    /** Records that a forward pass appended {@code positions} positions to every layer. */
    void advance(int positions) {
        length += positions;
    }

    /** Drops everything cached, keeping the memory manager. */
    public void clear() {
        for (Layer layer : layers) {
            layer.clear();
        }
        length = 0;
    }

    @Override
    public void close() {
        manager.close();
    }

    /** One layer's keys and values. */
    public final class Layer {
        private NDArray keys;   // (B, KV, T, hd)
        private NDArray values; // (B, KV, T, hd)

        private Layer() {
        }

        /** Appends new keys and values (B, KV, t, hd) along time; returns all of them, past and new. */
        NDArray[] append(NDArray newKeys, NDArray newValues) {
            NDArray k = keys == null ? newKeys : keys.concat(newKeys, 2);
            NDArray v = values == null ? newValues : values.concat(newValues, 2);
            clear();
            keys = keep(k);
            values = keep(v);
            return new NDArray[] {keys, values};
        }

        /** Positions this layer already holds, before the current pass appends. */
        int length() {
            return keys == null ? 0 : Math.toIntExact(keys.getShape().get(2));
        }

        private NDArray keep(NDArray array) {
            // outlive the caller's per-step manager and any scope it opened
            NDScope.unregister(array);
            array.attach(manager);
            return array;
        }

        private void clear() {
            if (keys != null) {
                keys.close();
                values.close();
                keys = null;
                values = null;
            }
        }
    }
}
