package io.github.llmestimator.catalog;

import io.github.llmestimator.Estimate;
import io.github.llmestimator.Estimator;
import io.github.llmestimator.hardware.Device;
import io.github.llmestimator.quant.QuantScheme;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * One measured llama-bench test of a catalog model on one device, as a calibration keeps it: which model and scheme,
 * the test, the measured speed, and whether the fit used it.
 *
 * @param modelId the catalog model id
 * @param scheme the file type
 * @param promptTokens {@code n_prompt} of a {@code ppN} test, else 0
 * @param generatedTokens {@code n_gen} of a {@code tgN} test, else 0; exactly one of the two is positive
 * @param depthTokens tokens in the context before the test, at least 0
 * @param microBatchTokens llama-bench's {@code n_ubatch}, at least 1
 * @param measuredTokensPerSecond the measured speed, finite and positive
 * @param fitted whether the calibration was fitted on this run (decode runs, and prompt runs from an empty context)
 */
public record CalibrationRun(String modelId, QuantScheme scheme, int promptTokens, int generatedTokens,
        int depthTokens, int microBatchTokens, double measuredTokensPerSecond, boolean fitted) {

    /**
     * Validates the components.
     *
     * @param modelId the catalog model id
     * @param scheme the file type
     * @param promptTokens {@code n_prompt}
     * @param generatedTokens {@code n_gen}
     * @param depthTokens tokens in the context before the test
     * @param microBatchTokens {@code n_ubatch}
     * @param measuredTokensPerSecond the measured speed
     * @param fitted whether the calibration was fitted on this run
     * @throws NullPointerException if {@code modelId} or {@code scheme} is null
     * @throws IllegalArgumentException if a count is out of range or the speed is not finite and positive
     */
    public CalibrationRun {
        Objects.requireNonNull(modelId, "modelId");
        Objects.requireNonNull(scheme, "scheme");
        if (promptTokens < 0 || generatedTokens < 0 || depthTokens < 0 || microBatchTokens < 1
                || (promptTokens > 0) == (generatedTokens > 0)) {
            throw new IllegalArgumentException("run of " + modelId + ": n_prompt " + promptTokens + ", n_gen "
                    + generatedTokens + ", n_depth " + depthTokens + ", n_ubatch " + microBatchTokens
                    + " (expected: counts >= 0, n_ubatch >= 1, exactly one of n_prompt and n_gen positive)");
        }
        if (!(measuredTokensPerSecond > 0) || Double.isInfinite(measuredTokensPerSecond)) {
            throw new IllegalArgumentException("measuredTokensPerSecond: " + measuredTokensPerSecond
                    + " (expected: a finite number > 0)");
        }
    }

    /**
     * Returns whether this is a decode test ({@code tgN}).
     *
     * @return true for {@code tgN}
     */
    public boolean isDecode() {
        return generatedTokens > 0;
    }

    /**
     * Returns the test as llama-bench prints it: {@code tg32}, {@code pp2048 @ d4096}.
     *
     * @return the test, not null
     */
    public String test() {
        return LlamaBenchRun.testName(promptTokens, generatedTokens, depthTokens);
    }

    /**
     * Estimates this test on a device holding the whole model: decode at the middle of the generated tokens
     * ({@code depth + n_gen / 2}), prefill of {@code n_prompt} tokens from an empty context, with the run's
     * {@code n_ubatch} and flash attention on.
     *
     * @param device the device, not null
     * @return the estimated speeds (expected, low, high), or empty for a prompt test after a filled context (the speed
     *     model starts a prompt from an empty one) or a device that states no compute throughput
     * @throws NullPointerException if {@code device} is null
     */
    public Optional<Speeds> estimate(Device device) {
        Objects.requireNonNull(device, "device");
        if (!isDecode() && depthTokens > 0) {
            return Optional.empty();
        }
        int tokens = Math.max(promptTokens, generatedTokens);
        Estimate estimate = Estimator.of(Catalog.model(modelId).spec()).quant(scheme)
                .context(depthTokens + tokens).batch(Math.max(2048, microBatchTokens), microBatchTokens)
                .on(device).estimate();
        if (isDecode()) {
            var decode = estimate.decode(depthTokens + generatedTokens / 2);
            return Optional.of(new Speeds(decode.tokensPerSecond(), decode.lowTokensPerSecond(),
                    decode.highTokensPerSecond(), decode.bytesPerStep()));
        }
        return estimate.prefill(promptTokens).map(p -> new Speeds(p.tokensPerSecond(), p.lowTokensPerSecond(),
                p.highTokensPerSecond(), 0));
    }

    /**
     * An estimate of one run: the expected speed with its band, and for decode the bytes one token reads.
     *
     * @param tokensPerSecond the expected speed
     * @param lowTokensPerSecond the low end of the band
     * @param highTokensPerSecond the high end of the band
     * @param bytesPerToken bytes one decoded token reads (0 for a prompt test)
     */
    public record Speeds(double tokensPerSecond, double lowTokensPerSecond, double highTokensPerSecond,
            long bytesPerToken) {
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%s %s %s: %.2f t/s", modelId, scheme, test(), measuredTokensPerSecond);
    }
}
