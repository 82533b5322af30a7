package org.r1wb.pipeline.stage;

import java.util.Collection;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.TreeMap;

/** The stage types known to a run, found through {@link ServiceLoader}; the first stage for an id wins. */
public final class StageRegistry {

    private final Map<String, Stage> stages = new TreeMap<>();

    private StageRegistry(Iterable<Stage> found) {
        for (Stage stage : found) {
            stages.putIfAbsent(stage.id(), stage);
        }
    }

    /** The built-in stages (and any others on this module's class path). */
    public static StageRegistry builtIn() {
        return load(StageRegistry.class.getClassLoader());
    }

    /** Stages visible to {@code loader}, e.g. a plugin class loader whose parent sees the built-ins. */
    public static StageRegistry load(ClassLoader loader) {
        return new StageRegistry(ServiceLoader.load(Stage.class, loader));
    }

    /** A registry of exactly these stages (tests, embedding). */
    public static StageRegistry of(Iterable<Stage> stages) {
        return new StageRegistry(stages);
    }

    /**
     * This registry plus {@code added} (a plugin's stages); this one is left as it is.
     *
     * @throws IllegalArgumentException naming the id, when a stage with that id is already registered
     */
    public StageRegistry plus(Collection<? extends Stage> added) {
        Map<String, Stage> merged = new TreeMap<>(stages);
        for (Stage stage : added) {
            if (merged.putIfAbsent(stage.id(), stage) != null) {
                throw new IllegalArgumentException("stage id '" + stage.id() + "' is already taken");
            }
        }
        return new StageRegistry(merged.values());
    }

    /** The stage with this id, if registered. */
    public Optional<Stage> find(String id) {
        return Optional.ofNullable(stages.get(id));
    }

    /** All stages, sorted by id. */
    public Collection<Stage> all() {
        return Collections.unmodifiableCollection(stages.values());
    }
}
