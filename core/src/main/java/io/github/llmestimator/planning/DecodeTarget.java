package io.github.llmestimator.planning;

/**
 * A minimum decode speed a plan must reach: tokens per second seen by each sequence
 * ({@link io.github.llmestimator.throughput.DecodeSpeed#tokensPerSecondPerSequence()}) at the end of a full context,
 * the slowest token of all, since every token reads the KV cache before it. A target met there is met at every
 * position.
 *
 * @param tokensPerSecond the minimum speed per sequence, finite and positive
 */
public record DecodeTarget(double tokensPerSecond) {

    /**
     * Validates the speed.
     *
     * @param tokensPerSecond the minimum speed per sequence, finite and positive
     * @throws IllegalArgumentException if the speed is zero, negative, infinite or NaN
     */
    public DecodeTarget {
        if (!(tokensPerSecond > 0) || Double.isInfinite(tokensPerSecond)) {
            throw new IllegalArgumentException(
                    "tokensPerSecond: " + tokensPerSecond + " (expected: a finite number > 0)");
        }
    }

    /**
     * Returns a target of at least {@code tokensPerSecond} per sequence.
     *
     * @param tokensPerSecond the minimum speed per sequence, finite and positive
     * @return the target
     * @throws IllegalArgumentException if the speed is zero, negative, infinite or NaN
     */
    public static DecodeTarget of(double tokensPerSecond) {
        return new DecodeTarget(tokensPerSecond);
    }
}
