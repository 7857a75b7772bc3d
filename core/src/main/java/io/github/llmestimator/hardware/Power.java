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
 * @param idleWatts the draw at idle as published, finite and at most {@code maxWatts}; 0 when not published
 * @param scope what the figures cover, not null
 */
public record Power(double maxWatts, double idleWatts, Scope scope) {

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
     * @param idleWatts the draw at idle as published, finite and at most {@code maxWatts}; 0 when not published
     * @param scope what the figures cover, not null
     * @throws NullPointerException if {@code scope} is null
     * @throws IllegalArgumentException if {@code maxWatts} is not finite and positive, or {@code idleWatts} is
     *     negative, not finite or above {@code maxWatts}
     */
    public Power {
        Objects.requireNonNull(scope, "scope");
        Checks.positiveFinite("maxWatts", maxWatts, " W");
        if (!(idleWatts >= 0 && idleWatts <= maxWatts)) {
            throw new IllegalArgumentException("idleWatts: " + idleWatts + " W (expected: 0 when not published, else"
                    + " a finite number up to maxWatts = " + maxWatts + " W)");
        }
    }

    /**
     * Returns the published idle draw.
     *
     * @return watts, or empty when not published
     */
    public OptionalDouble idle() {
        return idleWatts > 0 ? OptionalDouble.of(idleWatts) : OptionalDouble.empty();
    }
}
