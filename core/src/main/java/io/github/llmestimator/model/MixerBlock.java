package io.github.llmestimator.model;

import java.util.List;

/**
 * The token mixer of a layer: an attention kind with a KV cache that grows with the context, a recurrent mixer with a
 * constant-size state, or none.
 *
 * <p>Cache sizes are stated in elements per token (attention) or per sequence (recurrent state); the memory package
 * turns them into bytes for a cache type. Element counts follow llama.cpp's {@code n_embd_k_gqa}, {@code n_embd_v_gqa},
 * {@code n_embd_r} and {@code n_embd_s} ({@code src/llama-hparams.cpp}).
 *
 * <p>Implementations are immutable and thread-safe.
 */
public sealed interface MixerBlock
        permits FullAttention, SlidingWindowAttention, LatentAttention, GatedDeltaNet, Mamba2, NoAttention {

    /**
     * Returns the number of query heads that score against the KV cache, or 0 for a mixer without a KV cache.
     *
     * @return query heads
     */
    int queryHeads();

    /**
     * Returns the number of KV heads as llama.cpp's {@code head_count_kv} states it: 1 for MLA's shared latent, 0 for a
     * mixer without a KV cache.
     *
     * @return KV heads
     */
    int keyValueHeads();

    /**
     * Returns the K-cache elements one token occupies in this layer ({@code n_embd_k_gqa}), or 0 without a KV cache.
     *
     * @return elements per token
     */
    long keyCacheElementsPerToken();

    /**
     * Returns the V-cache elements one token occupies in this layer ({@code n_embd_v_gqa}); 0 without a KV cache and
     * for MLA, whose V is a view into the cached latent.
     *
     * @return elements per token
     */
    long valueCacheElementsPerToken();

    /**
     * Returns the sliding-window size in tokens, or 0 when the cache covers the whole context.
     *
     * @return the window in tokens
     */
    default int slidingWindowTokens() {
        return 0;
    }

    /**
     * Returns the convolution (token-shift) state elements one sequence holds ({@code n_embd_r}), 0 unless recurrent.
     *
     * @return elements per sequence
     */
    default long convolutionStateElements() {
        return 0;
    }

    /**
     * Returns the recurrent state elements one sequence holds ({@code n_embd_s}), 0 unless recurrent.
     *
     * @return elements per sequence
     */
    default long recurrentStateElements() {
        return 0;
    }

    /**
     * Returns whether this mixer keeps a KV cache that grows with the context.
     *
     * @return true for full, sliding-window and latent attention
     */
    default boolean hasKvCache() {
        return keyCacheElementsPerToken() > 0;
    }

    /**
     * Returns whether this mixer keeps a constant-size recurrent state per sequence.
     *
     * @return true for gated DeltaNet and Mamba-2
     */
    default boolean isRecurrent() {
        return recurrentStateElements() > 0;
    }

    /**
     * Returns the weight tensors of this mixer in one layer, named as llama.cpp names them in a GGUF file.
     *
     * @param layer the layer index, 0 to {@code ModelSpec.MAX_LAYERS - 1}
     * @param hiddenSize the model's hidden size ({@code n_embd}), at least 1
     * @return the tensors, an immutable list, not null
     * @throws IllegalArgumentException if {@code layer} or {@code hiddenSize} is out of range
     */
    List<Tensor> tensors(int layer, int hiddenSize);
}
