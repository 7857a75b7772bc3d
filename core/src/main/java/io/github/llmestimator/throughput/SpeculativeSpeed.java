package io.github.llmestimator.throughput;

import java.util.Objects;

/**
 * The estimated decode speed with speculative decoding at one position in the context, beside the speed without it.
 *
 * <p>One step (per sequence) drafts {@code k} tokens with {@code k} single-token passes of the drafter, verifies the
 * last token and the {@code k} drafted ones in one target batch of {@code k + 1} tokens with their logits, and runs
 * the drafter once over that batch to bring its own cache up to date (llama.cpp's {@code common/speculative.cpp}:
 * {@code draft()} then {@code process()}, for a draft model and for MTP alike). The step yields
 * {@link Speculation#expectedTokensPerStep()} tokens per sequence. Each drafting pass and the catch-up also pay a
 * fixed host time per call (1.2 ms, fitted; see {@code io.github.llmestimator.SpeculativeDecoding}).
 *
 * @param positionTokens tokens already in each sequence's cache, at least 0
 * @param expectedTokensPerStep tokens one step yields per sequence, at least 1
 * @param draftSeconds the {@code k} drafting passes with their host time, at least 0
 * @param verifySeconds the target's verification batch, above 0
 * @param catchUpSeconds the drafter's pass over the verified batch with its host time, at least 0
 * @param tokensPerSecond the expected speed with speculation, all sequences together; finite and positive
 * @param lowTokensPerSecond the speed with the lower efficiencies of the speed model, at most {@code tokensPerSecond}
 * @param highTokensPerSecond the speed with the higher efficiencies, at least {@code tokensPerSecond}
 * @param baseline the speed without speculation at the same position, not null
 */
public record SpeculativeSpeed(int positionTokens, double expectedTokensPerStep, double draftSeconds,
        double verifySeconds, double catchUpSeconds, double tokensPerSecond, double lowTokensPerSecond,
        double highTokensPerSecond, DecodeSpeed baseline) {

    /**
     * Validates the components.
     *
     * @param positionTokens tokens already in each sequence's cache, at least 0
     * @param expectedTokensPerStep tokens one step yields per sequence, at least 1
     * @param draftSeconds the {@code k} drafting passes, at least 0
     * @param verifySeconds the target's verification batch, above 0
     * @param catchUpSeconds the drafter's pass over the verified batch, at least 0
     * @param tokensPerSecond the expected speed with speculation, finite and positive
     * @param lowTokensPerSecond the lower speed, at most {@code tokensPerSecond}
     * @param highTokensPerSecond the higher speed, at least {@code tokensPerSecond}
     * @param baseline the speed without speculation, not null
     * @throws NullPointerException if {@code baseline} is null
     * @throws IllegalArgumentException if a figure is out of range or not finite
     */
    public SpeculativeSpeed {
        Objects.requireNonNull(baseline, "baseline");
        if (positionTokens < 0) {
            throw new IllegalArgumentException("positionTokens: " + positionTokens + " (expected: >= 0)");
        }
        if (!(expectedTokensPerStep >= 1) || Double.isInfinite(expectedTokensPerStep)) {
            throw new IllegalArgumentException("expectedTokensPerStep: " + expectedTokensPerStep
                    + " (expected: a finite number >= 1)");
        }
        if (!(draftSeconds >= 0) || !(catchUpSeconds >= 0) || !(verifySeconds > 0) || Double.isInfinite(draftSeconds)
                || Double.isInfinite(catchUpSeconds) || Double.isInfinite(verifySeconds)) {
            throw new IllegalArgumentException("draftSeconds, verifySeconds, catchUpSeconds: " + draftSeconds + ", "
                    + verifySeconds + ", " + catchUpSeconds + " (expected: finite, at least 0, verification above 0)");
        }
        PrefillSpeed.checkSpeeds(tokensPerSecond, lowTokensPerSecond, highTokensPerSecond);
    }

    /**
     * Returns the time of one speculative step, defined as {@code draftSeconds + verifySeconds + catchUpSeconds}.
     *
     * @return seconds
     */
    public double secondsPerStep() {
        return draftSeconds + verifySeconds + catchUpSeconds;
    }

    /**
     * Returns the speed-up over decoding without speculation, defined as
     * {@code tokensPerSecond / baseline.tokensPerSecond}; below 1 when speculation costs more than it gains.
     *
     * @return the ratio
     */
    public double speedUp() {
        return tokensPerSecond / baseline.tokensPerSecond();
    }

    @Override
    public String toString() {
        return String.format(java.util.Locale.ROOT, "%.1f tok/s (%.1f-%.1f), %.2fx of %.1f tok/s, %.2f tokens per step"
                + " at position %d", tokensPerSecond, lowTokensPerSecond, highTokensPerSecond, speedUp(),
                baseline.tokensPerSecond(), expectedTokensPerStep, positionTokens);
    }
}
