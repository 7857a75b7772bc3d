package io.github.llmestimator.throughput;

import java.util.Objects;

/**
 * The estimated prompt-processing speed for a prompt of one sequence, processed from an empty cache in micro-batches.
 *
 * @param promptTokens the prompt's tokens, at least 1
 * @param tokensPerSecond the expected speed, finite and positive
 * @param lowTokensPerSecond the speed with the lower efficiencies, at most {@code tokensPerSecond}
 * @param highTokensPerSecond the speed with the higher efficiencies, at least {@code tokensPerSecond}
 * @param bound what limits the expected speed, not null
 */
public record PrefillSpeed(int promptTokens, double tokensPerSecond, double lowTokensPerSecond,
        double highTokensPerSecond, Bound bound) {

    /**
     * Validates the components.
     *
     * @param promptTokens the prompt's tokens, at least 1
     * @param tokensPerSecond the expected speed, finite and positive
     * @param lowTokensPerSecond the speed with the lower efficiencies, at most {@code tokensPerSecond}
     * @param highTokensPerSecond the speed with the higher efficiencies, at least {@code tokensPerSecond}
     * @param bound what limits the expected speed, not null
     * @throws NullPointerException if {@code bound} is null
     * @throws IllegalArgumentException if {@code promptTokens} is not positive, a speed is not finite and positive, or
     *     the speeds are not ordered {@code low <= expected <= high}
     */
    public PrefillSpeed {
        Objects.requireNonNull(bound, "bound");
        if (promptTokens < 1) {
            throw new IllegalArgumentException("promptTokens: " + promptTokens + " (expected: >= 1)");
        }
        checkSpeeds(tokensPerSecond, lowTokensPerSecond, highTokensPerSecond);
    }

    static void checkSpeeds(double expected, double low, double high) {
        check("tokensPerSecond", expected);
        check("lowTokensPerSecond", low);
        check("highTokensPerSecond", high);
        if (low > expected || expected > high) {
            throw new IllegalArgumentException("tokensPerSecond: " + expected
                    + " (expected: between lowTokensPerSecond = " + low + " and highTokensPerSecond = " + high + ")");
        }
    }

    private static void check(String name, double value) {
        if (!(value > 0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException(name + ": " + value + " (expected: a finite number > 0)");
        }
    }

    /**
     * Returns the expected time to the first token, defined as {@code promptTokens / tokensPerSecond}: the last prompt
     * micro-batch yields the first token's logits.
     *
     * @return seconds
     */
    public double timeToFirstTokenSeconds() {
        return promptTokens / tokensPerSecond;
    }

    /**
     * Returns the longest time to the first token within the fit error, defined as
     * {@code promptTokens / lowTokensPerSecond}.
     *
     * @return seconds
     */
    public double maxTimeToFirstTokenSeconds() {
        return promptTokens / lowTokensPerSecond;
    }

    /**
     * Returns the shortest time to the first token within the fit error, defined as
     * {@code promptTokens / highTokensPerSecond}.
     *
     * @return seconds
     */
    public double minTimeToFirstTokenSeconds() {
        return promptTokens / highTokensPerSecond;
    }

    @Override
    public String toString() {
        return String.format(java.util.Locale.ROOT, "%.0f tok/s (%.0f-%.0f, %s) for %d prompt tokens",
                tokensPerSecond, lowTokensPerSecond, highTokensPerSecond, bound, promptTokens);
    }
}
