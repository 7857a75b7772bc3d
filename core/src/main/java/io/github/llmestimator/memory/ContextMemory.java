package io.github.llmestimator.memory;

import io.github.llmestimator.internal.memory.KvLayout;
import io.github.llmestimator.model.ModelSpec;
import java.util.Objects;

/**
 * The memory a llama.cpp context allocates besides the weights: KV cache, recurrent state, output buffer and compute
 * buffer, for one model and one set of {@link ContextSettings}.
 *
 * <p>Formulas (llama.cpp {@code src/llama-context.cpp}, {@code llama-kv-cache.cpp}, {@code llama-kv-cache-iswa.cpp},
 * {@code llama-memory-recurrent.cpp}, 2026):
 * <ul>
 *   <li>KV cache = sum over layers with a KV cache of {@code cells * (rowBytes(typeK, n_embd_k_gqa) +
 *       rowBytes(typeV, n_embd_v_gqa))}, where cells = {@code n_ctx_seq * streams} for full-context layers and
 *       {@code PAD(min(n_ctx_seq, window * (unified ? sequences : 1) + n_ubatch), 256) * streams} for sliding-window
 *       layers (or the full count with {@code --swa-full}). Without flash attention V is stored transposed and every
 *       layer's V row is the model-wide maximum. MLA layers cache only the latent as K.</li>
 *   <li>Recurrent state = {@code 4 * max(1, sequences) * sum over recurrent layers of (n_embd_r + n_embd_s)} (F32).</li>
 *   <li>Output buffer = {@code 4 * n_vocab * sequences} (logits, F32).</li>
 *   <li>Compute buffer = what ggml's graph allocator ({@code ggml/src/ggml-alloc.c}) reserves for llama.cpp's
 *       worst-case graphs ({@code llama_context::sched_reserve}: {@code min(n_ctx, n_ubatch)} tokens, all of them
 *       outputs, and one token per sequence, over a full cache), replayed tensor by tensor for the architectures whose
 *       graph builders are mirrored (see the README for the list and the oracle's figures); for any other
 *       architecture, a heuristic of the largest live set: the KQ mask beside the larger of the unfused attention and
 *       the feed-forward block, or the output stage.</li>
 * </ul>
 *
 * @param settings the settings these sizes are for, not null
 * @param fullAttentionCells cells of a full-context layer's cache, all streams together
 * @param slidingWindowCells cells of a sliding-window layer's cache, all streams together (0 without such layers)
 * @param fullAttentionKvBytes KV bytes of full-context and latent layers
 * @param slidingWindowKvBytes KV bytes of sliding-window layers
 * @param recurrentStateBytes recurrent state bytes (convolution and SSM state)
 * @param outputBufferBytes logits buffer bytes
 * @param computeBufferBytes compute buffer bytes
 */
public record ContextMemory(ContextSettings settings, long fullAttentionCells, long slidingWindowCells,
        long fullAttentionKvBytes, long slidingWindowKvBytes, long recurrentStateBytes, long outputBufferBytes,
        long computeBufferBytes) {

    /**
     * Validates the components.
     *
     * @param settings the settings these sizes are for, not null
     * @param fullAttentionCells cells of a full-context layer's cache, all streams together
     * @param slidingWindowCells cells of a sliding-window layer's cache, all streams together (0 without such
     *     layers)
     * @param fullAttentionKvBytes KV bytes of full-context and latent layers
     * @param slidingWindowKvBytes KV bytes of sliding-window layers
     * @param recurrentStateBytes recurrent state bytes (convolution and SSM state)
     * @param outputBufferBytes logits buffer bytes
     * @param computeBufferBytes compute buffer bytes
     * @throws NullPointerException if {@code settings} is null
     * @throws IllegalArgumentException if a count is negative, or the sizes add up to more than a {@code long} holds;
     *     the message names the component
     */
    public ContextMemory {
        Objects.requireNonNull(settings, "settings");
        requireNonNegative("fullAttentionCells", fullAttentionCells);
        requireNonNegative("slidingWindowCells", slidingWindowCells);
        requireNonNegative("fullAttentionKvBytes", fullAttentionKvBytes);
        requireNonNegative("slidingWindowKvBytes", slidingWindowKvBytes);
        requireNonNegative("recurrentStateBytes", recurrentStateBytes);
        requireNonNegative("outputBufferBytes", outputBufferBytes);
        requireNonNegative("computeBufferBytes", computeBufferBytes);
        // checked here, once, so that kvCacheBytes() and totalBytes() are plain sums that cannot overflow
        long room = Long.MAX_VALUE - fullAttentionKvBytes;
        if (slidingWindowKvBytes > room || recurrentStateBytes > (room -= slidingWindowKvBytes)
                || outputBufferBytes > (room -= recurrentStateBytes) || computeBufferBytes > room - outputBufferBytes) {
            throw new IllegalArgumentException("fullAttentionKvBytes + slidingWindowKvBytes + recurrentStateBytes"
                    + " + outputBufferBytes + computeBufferBytes: " + fullAttentionKvBytes + " + " + slidingWindowKvBytes
                    + " + " + recurrentStateBytes + " + " + outputBufferBytes + " + " + computeBufferBytes
                    + " (expected: a total of at most " + Long.MAX_VALUE + " bytes)");
        }
    }

    private static void requireNonNegative(String name, long value) {
        if (value < 0) {
            throw new IllegalArgumentException(name + ": " + value + " (expected: >= 0)");
        }
    }

    /**
     * Computes the context memory of a model under the given settings.
     *
     * @param model the model, not null
     * @param settings the settings, not null
     * @return the context memory
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if llama.cpp refuses the settings for this model: different K and V cache
     *     types on a latent-attention (MLA) model, a quantized V cache without flash attention, or a cache row that a
     *     quantized cache type's block of 32 does not divide
     * @throws ArithmeticException if a size overflows a {@code long}
     */
    public static ContextMemory of(ModelSpec model, ContextSettings settings) {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(settings, "settings");
        return KvLayout.of(model, settings).memory(settings);
    }

    /**
     * Returns the whole KV cache, defined as {@code fullAttentionKvBytes + slidingWindowKvBytes}.
     *
     * @return bytes
     */
    public long kvCacheBytes() {
        return fullAttentionKvBytes + slidingWindowKvBytes;
    }

    /**
     * Returns everything this context allocates, defined as KV cache + recurrent state + output buffer + compute buffer.
     *
     * @return bytes
     */
    public long totalBytes() {
        return kvCacheBytes() + recurrentStateBytes + outputBufferBytes + computeBufferBytes;
    }
}
