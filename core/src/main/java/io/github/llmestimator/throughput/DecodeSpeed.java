package io.github.llmestimator.throughput;

import java.util.Objects;

/**
 * The estimated decode speed at one position in the context: one step produces one token for each parallel sequence.
 *
 * @param positionTokens tokens already in each sequence's cache before the step, at least 0
 * @param sequences sequences decoded together (llama.cpp {@code -np}), at least 1
 * @param bytesPerStep bytes one step reads from memory on all devices together: weights touched, KV cache,
 *     recurrent state (read and written); at least 0
 * @param tokensPerSecond the expected speed, all sequences together; finite and positive
 * @param lowTokensPerSecond the speed with the lower efficiencies of the fit, at most {@code tokensPerSecond}
 * @param highTokensPerSecond the speed with the higher efficiencies of the fit, at least {@code tokensPerSecond}
 * @param bound what limits the expected speed, not null
 */
public record DecodeSpeed(int positionTokens, int sequences, long bytesPerStep, double tokensPerSecond,
        double lowTokensPerSecond, double highTokensPerSecond, Bound bound) {

    /**
     * Validates the components.
     *
     * @param positionTokens tokens already in each sequence's cache before the step, at least 0
     * @param sequences sequences decoded together (llama.cpp {@code -np}), at least 1
     * @param bytesPerStep bytes one step reads from memory on all devices together: weights touched, KV cache,
     *     recurrent state (read and written); at least 0
     * @param tokensPerSecond the expected speed, all sequences together; finite and positive
     * @param lowTokensPerSecond the speed with the lower efficiencies of the fit, at most {@code tokensPerSecond}
     * @param highTokensPerSecond the speed with the higher efficiencies of the fit, at least {@code tokensPerSecond}
     * @param bound what limits the expected speed, not null
     * @throws NullPointerException if {@code bound} is null
     * @throws IllegalArgumentException if a count is out of range, a speed is not finite and positive, or the speeds
     *     are not ordered {@code low <= expected <= high}
     */
    public DecodeSpeed {
        Objects.requireNonNull(bound, "bound");
        if (positionTokens < 0) {
            throw new IllegalArgumentException("positionTokens: " + positionTokens + " (expected: >= 0)");
        }
        if (sequences < 1) {
            throw new IllegalArgumentException("sequences: " + sequences + " (expected: >= 1)");
        }
        if (bytesPerStep < 0) {
            throw new IllegalArgumentException("bytesPerStep: " + bytesPerStep + " (expected: >= 0)");
        }
        PrefillSpeed.checkSpeeds(tokensPerSecond, lowTokensPerSecond, highTokensPerSecond);
    }

    /**
     * Returns the time of one step, defined as {@code sequences / tokensPerSecond}.
     *
     * @return seconds
     */
    public double secondsPerStep() {
        return sequences / tokensPerSecond;
    }

    /**
     * Returns the speed one sequence sees, defined as {@code tokensPerSecond / sequences}.
     *
     * @return tokens per second
     */
    public double tokensPerSecondPerSequence() {
        return tokensPerSecond / sequences;
    }

    @Override
    public String toString() {
        return String.format(java.util.Locale.ROOT, "%.1f tok/s (%.1f-%.1f, %s) at position %d", tokensPerSecond,
                lowTokensPerSecond, highTokensPerSecond, bound, positionTokens);
    }
}
