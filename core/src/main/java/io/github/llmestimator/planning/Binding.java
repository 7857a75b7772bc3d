package io.github.llmestimator.planning;

/**
 * What bound a plan's answer: why the step beyond it (one more context token, the next better scheme, one more layer
 * on the GPU, one more sequence, the next cheaper configuration) is not taken, or, when nothing fits, why the closest
 * option fails. The device whose memory binds, if any, is {@link Plan#limitingDevice()}.
 *
 * <p>This enum is immutable and thread-safe.
 */
public enum Binding {
    /** Nothing bound the answer: it is the best option there is (the first candidate, every layer on the GPU). */
    NONE,
    /** The model's trained context ({@link io.github.llmestimator.model.ModelSpec#maxContextTokens()}) caps it. */
    TRAINED_CONTEXT,
    /**
     * The weights: a device cannot hold its weights with the buffers and the runtime allowance, even before any KV
     * cache or recurrent state.
     */
    WEIGHTS,
    /**
     * The memory that grows with the context or the sequences: the KV cache, and with it the recurrent state and the
     * compute buffer. The weights fit; the cache does not.
     */
    KV_CACHE,
    /** The decode-speed target: the option fits in memory but decodes too slowly. */
    SPEED_TARGET,
    /**
     * A limit of the search or the runtime rather than of memory: llama.cpp's 256 parallel sequences
     * ({@code LLAMA_MAX_SEQ}), a context beyond {@code int} range, or the largest device count tried.
     */
    SEARCH_LIMIT
}
