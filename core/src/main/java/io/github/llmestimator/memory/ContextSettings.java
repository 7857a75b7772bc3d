package io.github.llmestimator.memory;

import io.github.llmestimator.internal.Checks;
import java.util.Objects;

/**
 * The settings that size a context: the runtime-neutral part (context length, parallel sequences, cache types), which
 * every runtime's accounting reads, and llama.cpp's own ({@link LlamaCppContext}: cache streams, batch sizes, flash
 * attention, the sliding-window cache mode), which sizes llama.cpp's cache and compute buffer. The cell counts below
 * ({@link #cellsPerStream()}, {@link #slidingWindowCells(int)}) are llama.cpp's, padded to 256.
 *
 * @param contextTokens the requested context ({@code -c}, {@code n_ctx}, vLLM's {@code --max-model-len} times the
 *     sequences): total cells shared by all sequences, before llama.cpp pads it to a multiple of 256; at least 1
 * @param parallelSequences sequences decoded together ({@code -np}, {@code n_seq_max}), 1 to
 *     {@value #MAX_PARALLEL_SEQUENCES}
 * @param keyCacheType K-cache type ({@code -ctk}, default f16), not null
 * @param valueCacheType V-cache type ({@code -ctv}, default f16), not null
 * @param llamaCpp llama.cpp's own settings, not null
 */
public record ContextSettings(int contextTokens, int parallelSequences, KvCacheType keyCacheType,
        KvCacheType valueCacheType, LlamaCppContext llamaCpp) {

    /** llama.cpp pads the context to a multiple of this ({@code src/llama-context.cpp}). */
    public static final int CONTEXT_PADDING = 256;

    /**
     * The most sequences llama.cpp decodes together ({@code LLAMA_MAX_SEQ} in {@code src/llama-cparams.h}); it refuses
     * a larger {@code n_seq_max}. Since the padded context is at least {@value #CONTEXT_PADDING} cells, this bound also
     * keeps every stream at least one padded block of cells.
     */
    public static final int MAX_PARALLEL_SEQUENCES = 256;

    /** The largest value {@link #pad(long)} accepts: padding it reaches the largest multiple of 256 in a long. */
    private static final long MAX_PADDABLE = Long.MAX_VALUE / CONTEXT_PADDING * CONTEXT_PADDING;

    /**
     * Validates the settings one by one; combinations are checked when memory is computed.
     *
     * @param contextTokens the requested context: total cells shared by all sequences, at least 1
     * @param parallelSequences sequences decoded together, 1 to {@value #MAX_PARALLEL_SEQUENCES}
     * @param keyCacheType K-cache type, not null
     * @param valueCacheType V-cache type, not null
     * @param llamaCpp llama.cpp's own settings, not null
     * @throws NullPointerException if a cache type or {@code llamaCpp} is null
     * @throws IllegalArgumentException if a count is not positive, the sequences exceed
     *     {@value #MAX_PARALLEL_SEQUENCES}, or the padded context exceeds {@link Integer#MAX_VALUE} cells
     */
    public ContextSettings {
        Checks.positive("contextTokens", contextTokens);
        if (parallelSequences < 1 || parallelSequences > MAX_PARALLEL_SEQUENCES) {
            throw new IllegalArgumentException("parallelSequences: " + parallelSequences + " (expected: 1 to "
                    + MAX_PARALLEL_SEQUENCES + ", llama.cpp's LLAMA_MAX_SEQ)");
        }
        Objects.requireNonNull(keyCacheType, "keyCacheType");
        Objects.requireNonNull(valueCacheType, "valueCacheType");
        Objects.requireNonNull(llamaCpp, "llamaCpp");
        long padded = pad(contextTokens);
        if (padded > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("contextTokens: " + contextTokens + " (expected: at most "
                    + (Integer.MAX_VALUE / CONTEXT_PADDING * CONTEXT_PADDING) + ", so that the padded context of "
                    + padded + " cells fits an int as in llama.cpp)");
        }
    }

    /**
     * Returns llama.cpp's defaults for a context of the given length.
     *
     * @param contextTokens the context, at least 1
     * @return the settings
     * @throws IllegalArgumentException if {@code contextTokens} is not positive or too large
     */
    public static ContextSettings defaults(int contextTokens) {
        return new ContextSettings(contextTokens, 1, KvCacheType.F16, KvCacheType.F16, LlamaCppContext.DEFAULTS);
    }

    /**
     * Rounds a cell count up to llama.cpp's padding, defined as the next multiple of {@value #CONTEXT_PADDING}.
     *
     * @param value cells, 0 to {@code Long.MAX_VALUE / 256 * 256}
     * @return the padded count
     * @throws IllegalArgumentException if {@code value} is negative or its padding overflows a {@code long}
     */
    public static long pad(long value) {
        if (value < 0 || value > MAX_PADDABLE) {
            throw new IllegalArgumentException("value: " + value + " (expected: 0 to " + MAX_PADDABLE
                    + ", so that the padded count fits a long)");
        }
        return (value + CONTEXT_PADDING - 1) / CONTEXT_PADDING * CONTEXT_PADDING;
    }

    /**
     * Returns a copy with another context length.
     *
     * @param contextTokens the context, at least 1
     * @return the copy; this instance is immutable and unaffected by this method call
     * @throws IllegalArgumentException if {@code contextTokens} is not positive or too large
     */
    public ContextSettings withContextTokens(int contextTokens) {
        return new ContextSettings(contextTokens, parallelSequences, keyCacheType, valueCacheType, llamaCpp);
    }

    /**
     * Returns a copy with another number of parallel sequences.
     *
     * @param parallelSequences sequences, 1 to {@value #MAX_PARALLEL_SEQUENCES}
     * @return the copy; this instance is immutable and unaffected by this method call
     * @throws IllegalArgumentException if {@code parallelSequences} is not 1 to {@value #MAX_PARALLEL_SEQUENCES}
     */
    public ContextSettings withParallelSequences(int parallelSequences) {
        return new ContextSettings(contextTokens, parallelSequences, keyCacheType, valueCacheType, llamaCpp);
    }

    /**
     * Returns a copy with llama.cpp's unified-cache mode set ({@link LlamaCppContext#withUnifiedKvCache}).
     *
     * @param unified whether all sequences share one cache stream
     * @return the copy; this instance is immutable and unaffected by this method call
     */
    public ContextSettings withUnifiedKvCache(boolean unified) {
        return withLlamaCpp(llamaCpp.withUnifiedKvCache(unified));
    }

    /**
     * Returns a copy with llama.cpp's other batch sizes ({@link LlamaCppContext#withBatchTokens}).
     *
     * @param batchTokens logical batch, at least 1
     * @param microBatchTokens physical micro-batch, at least 1
     * @return the copy; this instance is immutable and unaffected by this method call
     * @throws IllegalArgumentException if a size is not positive
     */
    public ContextSettings withBatchTokens(int batchTokens, int microBatchTokens) {
        return withLlamaCpp(llamaCpp.withBatchTokens(batchTokens, microBatchTokens));
    }

    /**
     * Returns a copy with other cache types.
     *
     * @param keyCacheType the K-cache type, not null
     * @param valueCacheType the V-cache type, not null
     * @return the copy; this instance is immutable and unaffected by this method call
     * @throws NullPointerException if a type is null
     */
    public ContextSettings withCacheTypes(KvCacheType keyCacheType, KvCacheType valueCacheType) {
        return new ContextSettings(contextTokens, parallelSequences, keyCacheType, valueCacheType, llamaCpp);
    }

    /**
     * Returns a copy with llama.cpp's flash attention on or off ({@link LlamaCppContext#withFlashAttention}).
     *
     * @param enabled whether flash attention is on
     * @return the copy; this instance is immutable and unaffected by this method call
     */
    public ContextSettings withFlashAttention(boolean enabled) {
        return withLlamaCpp(llamaCpp.withFlashAttention(enabled));
    }

    /**
     * Returns a copy with llama.cpp's full sliding-window cache mode set
     * ({@link LlamaCppContext#withFullSlidingWindowCache}).
     *
     * @param full whether sliding-window layers get a full-context cache
     * @return the copy; this instance is immutable and unaffected by this method call
     */
    public ContextSettings withFullSlidingWindowCache(boolean full) {
        return withLlamaCpp(llamaCpp.withFullSlidingWindowCache(full));
    }

    /**
     * Returns a copy with other llama.cpp settings.
     *
     * @param llamaCpp the settings, not null
     * @return the copy; this instance is immutable and unaffected by this method call
     * @throws NullPointerException if {@code llamaCpp} is null
     */
    public ContextSettings withLlamaCpp(LlamaCppContext llamaCpp) {
        return new ContextSettings(contextTokens, parallelSequences, keyCacheType, valueCacheType, llamaCpp);
    }

    /**
     * Returns llama.cpp's context after padding: {@code n_ctx = PAD(contextTokens, 256)}; without a unified cache,
     * {@code n_ctx = PAD(n_ctx / parallelSequences, 256) * parallelSequences}.
     *
     * @return cells in all streams together
     */
    public long paddedContextTokens() {
        return cellsPerStream() * streams();
    }

    /**
     * Returns the cells of one cache stream ({@code n_ctx_seq}).
     *
     * @return cells per stream
     */
    public long cellsPerStream() {
        long context = pad(contextTokens);
        // the estimate's hot path asks this several times: one stream needs no 64-bit division, the slowest
        // instruction on it
        return llamaCpp.unifiedKvCache() || parallelSequences == 1 ? context : pad(context / parallelSequences);
    }

    /**
     * Returns the number of cache streams: 1 with a unified cache, else one per sequence.
     *
     * @return streams
     */
    public int streams() {
        return llamaCpp.unifiedKvCache() ? 1 : parallelSequences;
    }

    /**
     * Returns the cells of a sliding-window layer's cache, all streams together, as llama.cpp's iSWA cache sizes it
     * ({@code src/llama-kv-cache-iswa.cpp}): per stream {@code PAD(min(n_ctx_seq, window * (unified ? sequences : 1)
     * + n_ubatch), 256)}, or {@code n_ctx_seq} with {@code --swa-full}.
     *
     * @param window the layer's window in tokens, at least 1
     * @return cells in all streams
     * @throws IllegalArgumentException if {@code window} is not positive
     */
    public long slidingWindowCells(int window) {
        Checks.positive("window", window);
        long cellsPerStream = cellsPerStream();
        if (llamaCpp.fullSlidingWindowCache()) {
            return cellsPerStream * streams();
        }
        long windowCells = (long) window * (llamaCpp.unifiedKvCache() ? parallelSequences : 1)
                + effectiveMicroBatchTokens();
        return pad(Math.min(cellsPerStream, windowCells)) * streams();
    }

    /**
     * Returns the micro-batch llama.cpp actually uses: {@code min(min(n_ctx, batchTokens), microBatchTokens)}.
     *
     * @return tokens per micro-batch
     */
    public int effectiveMicroBatchTokens() {
        long batch = Math.min(paddedContextTokens(), llamaCpp.batchTokens());
        return (int) Math.min(batch, llamaCpp.microBatchTokens());
    }
}
