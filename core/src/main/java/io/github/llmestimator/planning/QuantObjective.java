package io.github.llmestimator.planning;

import java.util.Objects;

/**
 * How {@link QuantFrontier} picks among the schemes that fit: the best quality, the fastest decode within a quality
 * loss, or the smallest memory within a quality loss. Quality loss is the mean KL-divergence a
 * {@link io.github.llmestimator.quant.QualityModel} expects.
 *
 * @param kind what is optimised, not null
 * @param maxKld the largest acceptable mean KL-divergence: finite and positive for {@link Kind#FASTEST} and
 *     {@link Kind#SMALLEST}, {@code Double.POSITIVE_INFINITY} (no limit) for {@link Kind#BEST_QUALITY}
 */
public record QuantObjective(Kind kind, double maxKld) {

    /** What an objective optimises. */
    public enum Kind {
        /** The lowest expected mean KL-divergence; of equals, the fewest weight bytes. */
        BEST_QUALITY,
        /** The fastest decode at the end of the context within the KL-divergence limit; of equals, the best quality. */
        FASTEST,
        /** The fewest bytes in all (weights, caches, buffers) within the KL-divergence limit; of equals, the best
         * quality. */
        SMALLEST
    }

    /**
     * Validates the components.
     *
     * @param kind what is optimised, not null
     * @param maxKld the largest acceptable mean KL-divergence, finite and positive, or for
     *     {@link Kind#BEST_QUALITY} only {@code Double.POSITIVE_INFINITY}
     * @throws NullPointerException if {@code kind} is null
     * @throws IllegalArgumentException if {@code maxKld} is out of range for the kind
     */
    public QuantObjective {
        Objects.requireNonNull(kind, "kind");
        boolean limit = maxKld > 0 && !Double.isInfinite(maxKld);
        if (kind == Kind.BEST_QUALITY ? maxKld != Double.POSITIVE_INFINITY : !limit) {
            throw new IllegalArgumentException("maxKld: " + maxKld + " (expected: " + (kind == Kind.BEST_QUALITY
                    ? "Infinity, no limit, for BEST_QUALITY" : "a finite number > 0 for " + kind) + ")");
        }
    }

    /**
     * The best quality that fits.
     *
     * @return the objective
     */
    public static QuantObjective bestQuality() {
        return new QuantObjective(Kind.BEST_QUALITY, Double.POSITIVE_INFINITY);
    }

    /**
     * The fastest decode that fits with a mean KL-divergence of at most a limit (needs a deployment).
     *
     * @param maxKld the limit, finite and positive
     * @return the objective
     * @throws IllegalArgumentException if the limit is not finite and positive
     */
    public static QuantObjective fastestWithin(double maxKld) {
        return new QuantObjective(Kind.FASTEST, maxKld);
    }

    /**
     * The smallest memory that fits with a mean KL-divergence of at most a limit.
     *
     * @param maxKld the limit, finite and positive
     * @return the objective
     * @throws IllegalArgumentException if the limit is not finite and positive
     */
    public static QuantObjective smallestWithin(double maxKld) {
        return new QuantObjective(Kind.SMALLEST, maxKld);
    }
}
