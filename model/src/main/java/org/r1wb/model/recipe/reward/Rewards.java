package org.r1wb.model.recipe.reward;

import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeMap;

/** The rewards on the class path (built-ins and plugins), by name. */
public final class Rewards {

    private final Map<String, Reward> byName;

    private Rewards(Map<String, Reward> byName) {
        this.byName = byName;
    }

    /** Every {@link Reward} that {@link ServiceLoader} finds through {@code loader}; the first of a name wins. */
    public static Rewards load(ClassLoader loader) {
        Map<String, Reward> byName = new TreeMap<>();
        for (Reward reward : ServiceLoader.load(Reward.class, loader)) {
            byName.putIfAbsent(reward.name(), reward);
        }
        return new Rewards(byName);
    }

    /**
     * These rewards and {@code more} (a plugin's); a name already taken is refused, since a recipe naming it must get
     * one reward, not whichever registered first.
     */
    public Rewards plus(Collection<? extends Reward> more) {
        Map<String, Reward> all = new TreeMap<>(byName);
        for (Reward reward : more) {
            if (all.putIfAbsent(reward.name(), reward) != null) {
                throw new IllegalArgumentException("reward '" + reward.name() + "' is registered twice");
            }
        }
        return new Rewards(all);
    }

    /** The built-ins and whatever the class path adds. */
    public static Rewards builtIn() {
        return load(Rewards.class.getClassLoader());
    }

    /** The reward called {@code name}, if any. */
    public Optional<Reward> find(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    /** Names known, sorted (for error messages that list the choices). */
    public Set<String> names() {
        return byName.keySet();
    }
}
