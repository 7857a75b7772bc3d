package io.github.llmestimator.runtime;

import java.util.Objects;

/**
 * The KV cache a serving runtime (vLLM, SGLang) allocates on one GPU at start-up, and how it got there:
 * {@code kvCacheBytes = budgetBytes - weightBytes - activationBytes - otherBytes}, cut into
 * {@code tokens} cells of {@code bytesPerToken} (whole blocks of the runtime's block size).
 *
 * @param runtime the runtime's name, not null
 * @param deviceMemoryBytes the GPU memory the runtime sees (CUDA's total), at least 1
 * @param budgetBytes the runtime's share of it: {@code floor(gpu_memory_utilization * device)} for vLLM,
 *     {@code floor(mem_fraction_static * device)} for SGLang
 * @param weightBytes the weights on this GPU
 * @param activationBytes the profiled activation peak (vLLM), 0 for SGLang, whose reserve is outside its fraction
 * @param otherBytes memory outside torch's allocator: non-torch memory (vLLM); for SGLang the fraction's share of
 *     what the process held before loading (CUDA context, NCCL buffers), as its fraction applies to the rest
 * @param kvCacheBytes what is left for the cache; negative when the weights do not leave any
 * @param bytesPerToken the cache one token costs on this GPU, at least 1
 * @param tokens the cells of the pool: whole blocks, 0 when nothing is left
 * @param maxModelLen the length of one request ({@code --max-model-len}, SGLang's {@code context_len}), at least 1
 */
public record PagedPool(String runtime, long deviceMemoryBytes, long budgetBytes, long weightBytes,
        long activationBytes, long otherBytes, long kvCacheBytes, long bytesPerToken, long tokens, int maxModelLen) {

    /**
     * Validates the components.
     *
     * @param runtime the runtime's name, not null
     * @param deviceMemoryBytes the GPU memory the runtime sees, at least 1
     * @param budgetBytes the runtime's share, at least 0
     * @param weightBytes the weights, at least 0
     * @param activationBytes the activation peak, at least 0
     * @param otherBytes memory outside torch's allocator, at least 0
     * @param kvCacheBytes what is left for the cache
     * @param bytesPerToken the cache one token costs, at least 1
     * @param tokens the cells of the pool, at least 0
     * @param maxModelLen the length of one request, at least 1
     * @throws NullPointerException if {@code runtime} is null
     * @throws IllegalArgumentException if a component is out of range
     */
    public PagedPool {
        Objects.requireNonNull(runtime, "runtime");
        Checks.positive("deviceMemoryBytes", deviceMemoryBytes);
        Checks.positive("bytesPerToken", bytesPerToken);
        Checks.positive("maxModelLen", maxModelLen);
        Checks.nonNegative("budgetBytes", budgetBytes);
        Checks.nonNegative("weightBytes", weightBytes);
        Checks.nonNegative("activationBytes", activationBytes);
        Checks.nonNegative("otherBytes", otherBytes);
        Checks.nonNegative("tokens", tokens);
    }

    /**
     * Returns the concurrency vLLM prints at start-up ("Maximum concurrency for N tokens per request: Xx"), defined as
     * {@code tokens / maxModelLen}.
     *
     * @return requests of {@code maxModelLen} tokens the pool holds at once, fractional
     */
    public double maxConcurrency() {
        return (double) tokens / maxModelLen;
    }

    /**
     * Returns whether one request of {@code maxModelLen} tokens fits the pool, defined as
     * {@code tokens >= maxModelLen}; vLLM refuses to start otherwise.
     *
     * @return true when one full-length request fits
     */
    public boolean fits() {
        return tokens >= maxModelLen;
    }
}
