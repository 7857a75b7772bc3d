package io.github.llmestimator.catalog;

import java.util.Locale;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * One row of llama.cpp's {@code llama-bench} output (tools/llama-bench/llama-bench.cpp, {@code test::get_fields}): a
 * prompt-processing test ({@code ppN}: {@code n_prompt} tokens, {@code n_gen} 0) or a decode test ({@code tgN}:
 * {@code n_gen} tokens, {@code n_prompt} 0), after {@code n_depth} tokens already in the context.
 *
 * @param modelType llama-bench's {@code model_type}, the model's description: architecture, size label and file
 *     type, such as {@code "gpt-oss 20B MXFP4 MoE"}
 * @param modelSizeBytes {@code model_size}: the bytes of the file's tensors (from the markdown table, its GiB or MiB
 *     figure rounded to two decimals), at least 1
 * @param modelParameters {@code model_n_params} (from the markdown table, rounded to its two decimals), at least 1
 * @param backends {@code backends} as printed, such as {@code CUDA} or {@code Metal,BLAS}; empty when not printed
 * @param gpuLayers {@code n_gpu_layers}, or empty when the output does not state it
 * @param microBatchTokens {@code n_ubatch}, or empty when the output does not state it
 * @param promptTokens {@code n_prompt}, at least 0
 * @param generatedTokens {@code n_gen}, at least 0; exactly one of the two is positive
 * @param depthTokens {@code n_depth}, at least 0
 * @param tokensPerSecond {@code avg_ts}, finite and positive
 * @param stddevTokensPerSecond {@code stddev_ts}, at least 0
 */
public record LlamaBenchRun(String modelType, long modelSizeBytes, long modelParameters, String backends,
        OptionalInt gpuLayers, OptionalInt microBatchTokens, int promptTokens, int generatedTokens, int depthTokens,
        double tokensPerSecond, double stddevTokensPerSecond) {

    /**
     * Validates the components.
     *
     * @param modelType the model's description
     * @param modelSizeBytes the bytes of the file's tensors
     * @param modelParameters the parameters
     * @param backends the backends as printed
     * @param gpuLayers {@code n_gpu_layers}, or empty
     * @param microBatchTokens {@code n_ubatch}, or empty
     * @param promptTokens {@code n_prompt}
     * @param generatedTokens {@code n_gen}
     * @param depthTokens {@code n_depth}
     * @param tokensPerSecond {@code avg_ts}
     * @param stddevTokensPerSecond {@code stddev_ts}
     * @throws NullPointerException if a component is null
     * @throws IllegalArgumentException if a count is out of range, the test is neither a prompt nor a decode test
     *     (both or neither of {@code n_prompt} and {@code n_gen} positive), or a speed is not finite and positive
     */
    public LlamaBenchRun {
        Objects.requireNonNull(modelType, "modelType");
        Objects.requireNonNull(backends, "backends");
        Objects.requireNonNull(gpuLayers, "gpuLayers");
        Objects.requireNonNull(microBatchTokens, "microBatchTokens");
        if (modelSizeBytes < 1 || modelParameters < 1) {
            throw new IllegalArgumentException("model_size " + modelSizeBytes + ", model_n_params " + modelParameters
                    + " (expected: both >= 1)");
        }
        if (promptTokens < 0 || generatedTokens < 0 || depthTokens < 0
                || (promptTokens > 0) == (generatedTokens > 0)) {
            throw new IllegalArgumentException("n_prompt " + promptTokens + ", n_gen " + generatedTokens + ", n_depth "
                    + depthTokens + " (expected: counts >= 0 and exactly one of n_prompt and n_gen positive: a ppN"
                    + " or a tgN test)");
        }
        if (!(tokensPerSecond > 0) || Double.isInfinite(tokensPerSecond)
                || !(stddevTokensPerSecond >= 0) || Double.isInfinite(stddevTokensPerSecond)) {
            throw new IllegalArgumentException("avg_ts " + tokensPerSecond + ", stddev_ts " + stddevTokensPerSecond
                    + " (expected: avg_ts finite and > 0, stddev_ts finite and >= 0)");
        }
    }

    /**
     * Returns whether this is a decode test ({@code tgN}).
     *
     * @return true for {@code tgN}, false for {@code ppN}
     */
    public boolean isDecode() {
        return generatedTokens > 0;
    }

    /**
     * Returns the test as llama-bench's markdown table prints it: {@code tg32}, {@code pp2048 @ d4096}.
     *
     * @return the test's name, not null
     */
    public String test() {
        return testName(promptTokens, generatedTokens, depthTokens);
    }

    /** The test's name as llama-bench's markdown table prints it, for a ppN or tgN test after a depth. */
    static String testName(int promptTokens, int generatedTokens, int depthTokens) {
        String test = generatedTokens > 0 ? "tg" + generatedTokens : "pp" + promptTokens;
        return depthTokens > 0 ? test + " @ d" + depthTokens : test;
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%s %s: %.2f t/s", modelType, test(), tokensPerSecond);
    }
}
