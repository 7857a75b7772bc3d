package io.github.llmestimator.hardware;

import io.github.llmestimator.internal.Checks;
import java.util.Objects;
import java.util.OptionalDouble;

/**
 * A device's published power figures: the most it draws under load and, where its maker states it, what it draws idle.
 * What the figure covers differs by maker, so it says so ({@link Scope}): NVIDIA and AMD publish a card's total board
 * power, Apple publishes the whole computer's draw at the wall, a system-on-chip's maker its package power.
 *
 * @param maxWatts the most the device draws under load, as published, finite and positive
 * @param idle the draw at idle in watts as published, finite, at least 0 and at most {@code maxWatts}; empty when not
 *     published
 * @param scope what the figures cover, not null
 */
public record Power(double maxWatts, OptionalDouble idle, Scope scope) {

    /** What a power figure covers. */
    public enum Scope {
        /** A discrete card's total board power (NVIDIA's "total graphics power", AMD's "typical board power"). */
        BOARD,
        /** One chip package (a system-on-chip's or a CPU's thermal design power). */
        PACKAGE,
        /** The whole computer measured at the wall, power-supply losses included (Apple's published figures). */
        SYSTEM
    }

    /**
     * Validates the components.
     *
     * @param maxWatts the most the device draws under load, as published, finite and positive
     * @param idle the draw at idle in watts as published, finite, at least 0 and at most {@code maxWatts}; empty when
     *     not published
     * @param scope what the figures cover, not null
     * @throws NullPointerException if {@code idle} or {@code scope} is null
     * @throws IllegalArgumentException if {@code maxWatts} is not finite and positive, or the idle draw is negative,
     *     not finite or above {@code maxWatts}
     */
    public Power {
        Objects.requireNonNull(idle, "idle");
        Objects.requireNonNull(scope, "scope");
        Checks.positiveFinite("maxWatts", maxWatts, " W");
        if (idle.isPresent() && !(idle.getAsDouble() >= 0 && idle.getAsDouble() <= maxWatts)) {
            throw new IllegalArgumentException("idle: " + idle.getAsDouble() + " W (expected: a finite number from 0"
                    + " up to maxWatts = " + maxWatts + " W)");
        }
    }

    /**
     * Creates the figures of a device whose maker publishes its idle draw.
     *
     * @param maxWatts the most the device draws under load, finite and positive
     * @param idleWatts the draw at idle, finite, at least 0 and at most {@code maxWatts}
     * @param scope what the figures cover, not null
     * @throws NullPointerException if {@code scope} is null
     * @throws IllegalArgumentException if a figure is out of range
     */
    public Power(double maxWatts, double idleWatts, Scope scope) {
        this(maxWatts, published(maxWatts, idleWatts), scope);
    }

    private static OptionalDouble published(double maxWatts, double idleWatts) {
        Checks.positiveFinite("maxWatts", maxWatts, " W");
        if (!(idleWatts >= 0 && idleWatts <= maxWatts)) {
            throw new IllegalArgumentException("idleWatts: " + idleWatts + " W (expected: a finite number from 0 up to"
                    + " maxWatts = " + maxWatts + " W)");
        }
        return OptionalDouble.of(idleWatts);
    }

    /**
     * Creates the figures of a device whose maker publishes no idle draw.
     *
     * @param maxWatts the most the device draws under load, finite and positive
     * @param scope what the figures cover, not null
     * @throws NullPointerException if {@code scope} is null
     * @throws IllegalArgumentException if {@code maxWatts} is not finite and positive
     */
    public Power(double maxWatts, Scope scope) {
        this(maxWatts, OptionalDouble.empty(), scope);
    }
}
