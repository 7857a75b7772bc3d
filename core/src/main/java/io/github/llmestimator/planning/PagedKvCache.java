package io.github.llmestimator.planning;

import io.github.llmestimator.Estimator;
import io.github.llmestimator.internal.Checks;

/**
 * The settings of vLLM's paged KV cache that size its concurrency ({@link ConcurrencyPlan#of(Estimator, int, PagedKvCache)}):
 * the share of each GPU's memory vLLM may take, the tokens per cache block, the tokens of one scheduler step (which
 * bound a sliding-window layer's cache), and the bytes per cached element.
 *
 * <p>vLLM ({@code vllm/config/cache.py}, {@code vllm/v1/core/kv_cache_utils.py}, {@code vllm/v1/worker/gpu_worker.py}) takes
 * {@code gpuMemoryUtilization} of each GPU's total memory, subtracts the weights and the activation peak, and divides
 * the rest into blocks of {@code blockSizeTokens} cells. A request of {@code n} tokens needs
 * {@code cdiv(n, blockSize)} blocks in every full-attention (and MLA) layer, {@code cdiv(min(window - 1 +
 * maxBatchedTokens, n), blockSize) + 1} in a sliding-window layer, and one state per recurrent layer.
 *
 * @param gpuMemoryUtilization the share of each device's memory vLLM may use ({@code --gpu-memory-utilization}), in
 *     (0, 1]
 * @param blockSizeTokens tokens per cache block ({@code --block-size}), at least 1
 * @param maxBatchedTokens tokens of one scheduler step ({@code --max-num-batched-tokens}), at least 1
 * @param cacheBytesPerElement bytes per cached element and per recurrent-state element: 2 for {@code auto} on a
 *     16-bit model, 1 for {@code --kv-cache-dtype fp8}, 4 for float32; 1 to 4
 */
public record PagedKvCache(double gpuMemoryUtilization, int blockSizeTokens, int maxBatchedTokens,
        int cacheBytesPerElement) {

    /**
     * vLLM's defaults: utilization 0.92 ({@code CacheConfig.gpu_memory_utilization} in the 2026 snapshot; it was 0.9
     * for years), blocks of 16 tokens ({@code DEFAULT_BLOCK_SIZE}), 2048 tokens per step (the V1 engine's default for
     * {@code vllm serve}), and a 16-bit cache ({@code --kv-cache-dtype auto} on a BF16 model).
     */
    public static final PagedKvCache VLLM_DEFAULTS = new PagedKvCache(0.92, 16, 2048, 2);

    /**
     * Validates the settings.
     *
     * @param gpuMemoryUtilization the share of each device's memory vLLM may use ({@code --gpu-memory-utilization}),
     *     in (0, 1]
     * @param blockSizeTokens tokens per cache block ({@code --block-size}), at least 1
     * @param maxBatchedTokens tokens of one scheduler step ({@code --max-num-batched-tokens}), at least 1
     * @param cacheBytesPerElement bytes per cached element and per recurrent-state element: 2 for {@code auto} on a
     *     16-bit model, 1 for {@code --kv-cache-dtype fp8}, 4 for float32; 1 to 4
     * @throws IllegalArgumentException if a setting is out of range
     */
    public PagedKvCache {
        if (!(gpuMemoryUtilization > 0 && gpuMemoryUtilization <= 1)) {
            throw new IllegalArgumentException(
                    "gpuMemoryUtilization: " + gpuMemoryUtilization + " (expected: > 0 and <= 1)");
        }
        Checks.positive("blockSizeTokens", blockSizeTokens);
        Checks.positive("maxBatchedTokens", maxBatchedTokens);
        if (cacheBytesPerElement < 1 || cacheBytesPerElement > 4) {
            throw new IllegalArgumentException(
                    "cacheBytesPerElement: " + cacheBytesPerElement + " (expected: 1 to 4)");
        }
    }

    /**
     * Returns a copy with another memory share.
     *
     * @param gpuMemoryUtilization the share of each device's memory, in (0, 1]
     * @return the copy; this instance is immutable and unaffected by this method call
     * @throws IllegalArgumentException if the share is not in (0, 1]
     */
    public PagedKvCache withGpuMemoryUtilization(double gpuMemoryUtilization) {
        return new PagedKvCache(gpuMemoryUtilization, blockSizeTokens, maxBatchedTokens, cacheBytesPerElement);
    }

    /**
     * Returns a copy with another cache element size.
     *
     * @param cacheBytesPerElement bytes per element, 1 to 4
     * @return the copy; this instance is immutable and unaffected by this method call
     * @throws IllegalArgumentException if {@code cacheBytesPerElement} is out of range
     */
    public PagedKvCache withCacheBytesPerElement(int cacheBytesPerElement) {
        return new PagedKvCache(gpuMemoryUtilization, blockSizeTokens, maxBatchedTokens, cacheBytesPerElement);
    }
}
