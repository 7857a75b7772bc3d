package io.github.llmestimator.model;

import io.github.llmestimator.internal.Checks;
import java.util.List;

/**
 * Attention over the last {@code window} tokens only (Gemma 2/3 local layers, gpt-oss, Mistral's early models, and
 * Llama 4's chunked layers with the chunk as window). llama.cpp sizes these layers' cache to about the window plus a
 * micro-batch rather than the whole context (see the memory package).
 *
 * @param heads query heads, at least 1
 * @param kvHeads KV heads, a divisor of {@code heads}
 * @param keyLength elements per K head, at least 1
 * @param valueLength elements per V head, at least 1
 * @param window tokens each query attends to ({@code sliding_window}), at least 1
 * @param qkNorm whether per-head RMS norms are applied to Q and K
 * @param qkvBias whether the Q, K and V projections have biases (gpt-oss)
 */
public record SlidingWindowAttention(int heads, int kvHeads, int keyLength, int valueLength, int window, boolean qkNorm,
        boolean qkvBias) implements MixerBlock {

    /**
     * Validates the components.
     *
     * @param heads query heads, at least 1
     * @param kvHeads KV heads, a divisor of {@code heads}
     * @param keyLength elements per K head, at least 1
     * @param valueLength elements per V head, at least 1
     * @param window tokens each query attends to ({@code sliding_window}), at least 1
     * @param qkNorm whether per-head RMS norms are applied to Q and K
     * @param qkvBias whether the Q, K and V projections have biases (gpt-oss)
     * @throws IllegalArgumentException if a count is not positive or {@code kvHeads} does not divide {@code heads}
     */
    public SlidingWindowAttention {
        FullAttention.validateHeads(heads, kvHeads, keyLength, valueLength);
        Checks.positive("window", window);
    }

    /**
     * Returns sliding-window attention with equal K and V head sizes and no QK norm.
     *
     * @param heads query heads
     * @param kvHeads KV heads
     * @param headDim elements per head
     * @param window window in tokens
     * @return the block
     * @throws IllegalArgumentException as the canonical constructor
     */
    public static SlidingWindowAttention of(int heads, int kvHeads, int headDim, int window) {
        Checks.positive("headDim", headDim);
        return new SlidingWindowAttention(heads, kvHeads, headDim, headDim, window, false, false);
    }

    /**
     * Returns this block with per-head Q and K norms.
     *
     * @return a copy with {@code qkNorm} set; this instance is immutable and unaffected by this method call
     */
    public SlidingWindowAttention withQkNorm() {
        return new SlidingWindowAttention(heads, kvHeads, keyLength, valueLength, window, true, qkvBias);
    }

    /**
     * Returns this block with biases on the Q, K and V projections.
     *
     * @return a copy with {@code qkvBias} set; this instance is immutable and unaffected by this method call
     */
    public SlidingWindowAttention withQkvBias() {
        return new SlidingWindowAttention(heads, kvHeads, keyLength, valueLength, window, qkNorm, true);
    }

    @Override
    public int queryHeads() {
        return heads;
    }

    @Override
    public int keyValueHeads() {
        return kvHeads;
    }

    @Override
    public long keyCacheElementsPerToken() {
        return (long) kvHeads * keyLength;
    }

    @Override
    public long valueCacheElementsPerToken() {
        return (long) kvHeads * valueLength;
    }

    @Override
    public int slidingWindowTokens() {
        return window;
    }

    @Override
    public List<Tensor> tensors(int layer, int hiddenSize) {
        ModelSpec.checkTensorArguments(layer, hiddenSize);
        return FullAttention.attentionTensors(layer, hiddenSize, heads, kvHeads, keyLength, valueLength, false, qkNorm,
                qkvBias);
    }
}
