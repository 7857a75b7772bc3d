package io.github.llmestimator.model;

import static io.github.llmestimator.internal.TensorNames.ATTN_K;
import static io.github.llmestimator.internal.TensorNames.ATTN_K_BIAS;
import static io.github.llmestimator.internal.TensorNames.ATTN_K_NORM;
import static io.github.llmestimator.internal.TensorNames.ATTN_NORM;
import static io.github.llmestimator.internal.TensorNames.ATTN_OUTPUT;
import static io.github.llmestimator.internal.TensorNames.ATTN_Q;
import static io.github.llmestimator.internal.TensorNames.ATTN_Q_BIAS;
import static io.github.llmestimator.internal.TensorNames.ATTN_Q_NORM;
import static io.github.llmestimator.internal.TensorNames.ATTN_V;
import static io.github.llmestimator.internal.TensorNames.ATTN_V_BIAS;
import static io.github.llmestimator.internal.TensorNames.blk;

import io.github.llmestimator.internal.Checks;
import java.util.ArrayList;
import java.util.List;

/**
 * Attention over the whole context: multi-head (kvHeads == heads), grouped-query or multi-query (kvHeads == 1).
 *
 * <p>The KV cache holds {@code kvHeads * keyLength} K elements and {@code kvHeads * valueLength} V elements per token.
 * With {@code outputGate} (Qwen3-Next, Qwen3.5) the query projection also produces a per-head gate, doubling its width
 * as llama.cpp stores it ({@code attn_q} of {@code [n_embd, 2 * heads * keyLength]}).
 *
 * @param heads query heads ({@code num_attention_heads}), at least 1
 * @param kvHeads KV heads ({@code num_key_value_heads}), 1 to {@code heads}, dividing {@code heads}
 * @param keyLength elements per K head ({@code head_dim}), at least 1
 * @param valueLength elements per V head, at least 1 (equal to {@code keyLength} for most models)
 * @param outputGate whether a sigmoid output gate is computed from the query projection
 * @param qkNorm whether per-head RMS norms are applied to Q and K (Qwen3, Gemma 3)
 * @param qkvBias whether the Q, K and V projections have biases (Qwen2, gpt-oss)
 */
public record FullAttention(int heads, int kvHeads, int keyLength, int valueLength, boolean outputGate, boolean qkNorm,
        boolean qkvBias) implements MixerBlock {

    /**
     * Validates the components.
     *
     * @param heads query heads ({@code num_attention_heads}), at least 1
     * @param kvHeads KV heads ({@code num_key_value_heads}), 1 to {@code heads}, dividing {@code heads}
     * @param keyLength elements per K head ({@code head_dim}), at least 1
     * @param valueLength elements per V head, at least 1 (equal to {@code keyLength} for most models)
     * @param outputGate whether a sigmoid output gate is computed from the query projection
     * @param qkNorm whether per-head RMS norms are applied to Q and K (Qwen3, Gemma 3)
     * @param qkvBias whether the Q, K and V projections have biases (Qwen2, gpt-oss)
     * @throws IllegalArgumentException if a count is not positive or {@code kvHeads} does not divide {@code heads}
     */
    public FullAttention {
        validateHeads(heads, kvHeads, keyLength, valueLength);
    }

    static void validateHeads(int heads, int kvHeads, int keyLength, int valueLength) {
        Checks.positive("heads", heads);
        Checks.positive("kvHeads", kvHeads);
        Checks.positive("keyLength", keyLength);
        Checks.positive("valueLength", valueLength);
        if (kvHeads > heads || heads % kvHeads != 0) {
            throw new IllegalArgumentException(
                    "kvHeads: " + kvHeads + " (expected: a divisor of heads = " + heads + ")");
        }
    }

    /**
     * Returns grouped-query attention without gate or QK norm, with equal K and V head sizes (Llama, Mistral, Qwen2).
     *
     * @param heads query heads
     * @param kvHeads KV heads
     * @param headDim elements per head
     * @return the block
     * @throws IllegalArgumentException as the canonical constructor
     */
    public static FullAttention of(int heads, int kvHeads, int headDim) {
        Checks.positive("headDim", headDim);
        return new FullAttention(heads, kvHeads, headDim, headDim, false, false, false);
    }

    /**
     * Returns this block with per-head Q and K norms.
     *
     * @return a copy with {@code qkNorm} set; this instance is immutable and unaffected by this method call
     */
    public FullAttention withQkNorm() {
        return new FullAttention(heads, kvHeads, keyLength, valueLength, outputGate, true, qkvBias);
    }

    /**
     * Returns this block with a sigmoid output gate computed from the query projection.
     *
     * @return a copy with {@code outputGate} set; this instance is immutable and unaffected by this method call
     */
    public FullAttention withOutputGate() {
        return new FullAttention(heads, kvHeads, keyLength, valueLength, true, qkNorm, qkvBias);
    }

    /**
     * Returns this block with biases on the Q, K and V projections.
     *
     * @return a copy with {@code qkvBias} set; this instance is immutable and unaffected by this method call
     */
    public FullAttention withQkvBias() {
        return new FullAttention(heads, kvHeads, keyLength, valueLength, outputGate, qkNorm, true);
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
    public List<Tensor> tensors(int layer, int hiddenSize) {
        ModelSpec.checkTensorArguments(layer, hiddenSize);
        return attentionTensors(layer, hiddenSize, heads, kvHeads, keyLength, valueLength, outputGate, qkNorm, qkvBias);
    }

    static List<Tensor> attentionTensors(int layer, int hiddenSize, int heads, int kvHeads, int keyLength,
            int valueLength, boolean outputGate, boolean qkNorm, boolean qkvBias) {
        List<Tensor> tensors = new ArrayList<>(10);
        TensorRole role = TensorRole.ATTENTION;
        tensors.add(Tensor.vector(blk(layer, ATTN_NORM), role, layer, hiddenSize));
        long queryWidth = (long) heads * keyLength * (outputGate ? 2 : 1);
        tensors.add(Tensor.matrix(blk(layer, ATTN_Q), role, layer, hiddenSize, queryWidth));
        tensors.add(Tensor.matrix(blk(layer, ATTN_K), role, layer, hiddenSize, (long) kvHeads * keyLength));
        tensors.add(Tensor.matrix(blk(layer, ATTN_V), role, layer, hiddenSize, (long) kvHeads * valueLength));
        tensors.add(Tensor.matrix(blk(layer, ATTN_OUTPUT), role, layer, (long) heads * valueLength, hiddenSize));
        if (qkNorm) {
            tensors.add(Tensor.vector(blk(layer, ATTN_Q_NORM), role, layer, keyLength));
            tensors.add(Tensor.vector(blk(layer, ATTN_K_NORM), role, layer, keyLength));
        }
        if (qkvBias) {
            tensors.add(Tensor.vector(blk(layer, ATTN_Q_BIAS), role, layer, queryWidth));
            tensors.add(Tensor.vector(blk(layer, ATTN_K_BIAS), role, layer, (long) kvHeads * keyLength));
            tensors.add(Tensor.vector(blk(layer, ATTN_V_BIAS), role, layer, (long) kvHeads * valueLength));
        }
        return List.copyOf(tensors);
    }
}
