package io.github.llmestimator.memory;

import io.github.llmestimator.internal.Checks;

/**
 * The settings of a context that only llama.cpp has: the cache streams, the batch sizes, flash attention and the
 * sliding-window cache mode. Defaults are llama-server's ({@code common/common.h},
 * {@code llama_context_default_params}). vLLM, SGLang and MLX size their caches from the runtime-neutral part of {@link ContextSettings} and their own
 * settings ({@code io.github.llmestimator.runtime}).
 *
 * @param unifiedKvCache whether all sequences share one cache stream ({@code -kvu}); llama.cpp's default is false, but
 *     llama-server switches to 4 slots with a unified cache when left at {@code -np 1}
 * @param batchTokens logical batch ({@code -b}, default 2048), at least 1
 * @param microBatchTokens physical micro-batch ({@code -ub}, default 512), at least 1
 * @param flashAttention whether flash attention is on; llama.cpp's default "auto" turns it on wherever the backend
 *     supports it, so the default here is true
 * @param fullSlidingWindowCache whether sliding-window layers get a full-context cache ({@code --swa-full}); true in
 *     llama.cpp's library defaults, false in llama-server and llama-cli, whose default this follows
 */
public record LlamaCppContext(boolean unifiedKvCache, int batchTokens, int microBatchTokens, boolean flashAttention,
        boolean fullSlidingWindowCache) {

    /** llama-server's defaults: one stream per sequence, {@code -b 2048}, {@code -ub 512}, flash attention on. */
    public static final LlamaCppContext DEFAULTS = new LlamaCppContext(false, 2048, 512, true, false);

    /**
     * Validates the settings.
     *
     * @param unifiedKvCache whether all sequences share one cache stream
     * @param batchTokens logical batch, at least 1
     * @param microBatchTokens physical micro-batch, at least 1
     * @param flashAttention whether flash attention is on
     * @param fullSlidingWindowCache whether sliding-window layers get a full-context cache
     * @throws IllegalArgumentException if a batch size is not positive
     */
    public LlamaCppContext {
        Checks.positive("batchTokens", batchTokens);
        Checks.positive("microBatchTokens", microBatchTokens);
    }

    /**
     * Returns a copy with the unified-cache mode set.
     *
     * @param unified whether all sequences share one cache stream
     * @return the copy; this instance is immutable and unaffected by this method call
     */
    public LlamaCppContext withUnifiedKvCache(boolean unified) {
        return new LlamaCppContext(unified, batchTokens, microBatchTokens, flashAttention, fullSlidingWindowCache);
    }

    /**
     * Returns a copy with other batch sizes.
     *
     * @param batchTokens logical batch, at least 1
     * @param microBatchTokens physical micro-batch, at least 1
     * @return the copy; this instance is immutable and unaffected by this method call
     * @throws IllegalArgumentException if a size is not positive
     */
    public LlamaCppContext withBatchTokens(int batchTokens, int microBatchTokens) {
        return new LlamaCppContext(unifiedKvCache, batchTokens, microBatchTokens, flashAttention,
                fullSlidingWindowCache);
    }

    /**
     * Returns a copy with flash attention on or off.
     *
     * @param enabled whether flash attention is on
     * @return the copy; this instance is immutable and unaffected by this method call
     */
    public LlamaCppContext withFlashAttention(boolean enabled) {
        return new LlamaCppContext(unifiedKvCache, batchTokens, microBatchTokens, enabled, fullSlidingWindowCache);
    }

    /**
     * Returns a copy with the full sliding-window cache mode set.
     *
     * @param full whether sliding-window layers get a full-context cache
     * @return the copy; this instance is immutable and unaffected by this method call
     */
    public LlamaCppContext withFullSlidingWindowCache(boolean full) {
        return new LlamaCppContext(unifiedKvCache, batchTokens, microBatchTokens, flashAttention, full);
    }
}
