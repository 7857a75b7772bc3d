package io.github.llmestimator.model;

import static io.github.llmestimator.internal.TensorNames.ATTN_KV_A_MQA;
import static io.github.llmestimator.internal.TensorNames.ATTN_KV_A_NORM;
import static io.github.llmestimator.internal.TensorNames.ATTN_K_B;
import static io.github.llmestimator.internal.TensorNames.ATTN_NORM;
import static io.github.llmestimator.internal.TensorNames.ATTN_OUTPUT;
import static io.github.llmestimator.internal.TensorNames.ATTN_Q;
import static io.github.llmestimator.internal.TensorNames.ATTN_Q_A;
import static io.github.llmestimator.internal.TensorNames.ATTN_Q_A_NORM;
import static io.github.llmestimator.internal.TensorNames.ATTN_Q_B;
import static io.github.llmestimator.internal.TensorNames.ATTN_V_B;
import static io.github.llmestimator.internal.TensorNames.blk;

import io.github.llmestimator.internal.Checks;
import java.util.ArrayList;
import java.util.List;

/**
 * Multi-head latent attention (MLA, DeepSeek-V2/V3/R1, Kimi K2): K and V are expanded from a shared low-rank latent of
 * {@code kvLoraRank} elements plus a decoupled RoPE key of {@code ropeDim} elements, and only that latent is cached.
 *
 * <p>Since llama.cpp PR #19067 (January 2026) the cache holds only the latent as K ({@code kvLoraRank + ropeDim}
 * elements per token, 576 for DeepSeek-V3) and V is a view into it. Tensors follow the current converter: separate
 * {@code attn_k_b} {@code [nopeDim, kvLoraRank, heads]} and {@code attn_v_b} {@code [kvLoraRank, valueDim, heads]}.
 *
 * @param heads query heads, at least 1
 * @param qLoraRank rank of the query compression ({@code q_lora_rank}), or 0 when queries are projected directly
 * @param kvLoraRank rank of the KV latent ({@code kv_lora_rank}), at least 1
 * @param ropeDim decoupled RoPE key elements per head ({@code qk_rope_head_dim}), at least 1
 * @param nopeDim non-RoPE key elements per head ({@code qk_nope_head_dim}), at least 1
 * @param valueDim value elements per head ({@code v_head_dim}), at least 1
 */
public record LatentAttention(int heads, int qLoraRank, int kvLoraRank, int ropeDim, int nopeDim, int valueDim)
        implements MixerBlock {

    /**
     * Validates the components.
     *
     * @param heads query heads, at least 1
     * @param qLoraRank rank of the query compression ({@code q_lora_rank}), or 0 when queries are projected directly
     * @param kvLoraRank rank of the KV latent ({@code kv_lora_rank}), at least 1
     * @param ropeDim decoupled RoPE key elements per head ({@code qk_rope_head_dim}), at least 1
     * @param nopeDim non-RoPE key elements per head ({@code qk_nope_head_dim}), at least 1
     * @param valueDim value elements per head ({@code v_head_dim}), at least 1
     * @throws IllegalArgumentException if a count is not positive ({@code qLoraRank} may be 0)
     */
    public LatentAttention {
        Checks.positive("heads", heads);
        Checks.nonNegative("qLoraRank", qLoraRank);
        Checks.positive("kvLoraRank", kvLoraRank);
        Checks.positive("ropeDim", ropeDim);
        Checks.positive("nopeDim", nopeDim);
        Checks.positive("valueDim", valueDim);
    }

    @Override
    public int queryHeads() {
        return heads;
    }

    @Override
    public int keyValueHeads() {
        return 1;
    }

    @Override
    public long keyCacheElementsPerToken() {
        return (long) kvLoraRank + ropeDim;
    }

    @Override
    public long valueCacheElementsPerToken() {
        return 0;
    }

    @Override
    public List<Tensor> tensors(int layer, int hiddenSize) {
        ModelSpec.checkTensorArguments(layer, hiddenSize);
        List<Tensor> tensors = new ArrayList<>(10);
        TensorRole role = TensorRole.ATTENTION;
        long queryHeadDim = (long) nopeDim + ropeDim;
        tensors.add(Tensor.vector(blk(layer, ATTN_NORM), role, layer, hiddenSize));
        if (qLoraRank > 0) {
            tensors.add(Tensor.matrix(blk(layer, ATTN_Q_A), role, layer, hiddenSize, qLoraRank));
            tensors.add(Tensor.vector(blk(layer, ATTN_Q_A_NORM), role, layer, qLoraRank));
            tensors.add(Tensor.matrix(blk(layer, ATTN_Q_B), role, layer, qLoraRank, heads * queryHeadDim));
        } else {
            tensors.add(Tensor.matrix(blk(layer, ATTN_Q), role, layer, hiddenSize, heads * queryHeadDim));
        }
        tensors.add(Tensor.matrix(blk(layer, ATTN_KV_A_MQA), role, layer, hiddenSize,
                (long) kvLoraRank + ropeDim));
        tensors.add(Tensor.vector(blk(layer, ATTN_KV_A_NORM), role, layer, kvLoraRank));
        tensors.add(Tensor.stacked(blk(layer, ATTN_K_B), role, layer, nopeDim, kvLoraRank, heads));
        tensors.add(Tensor.stacked(blk(layer, ATTN_V_B), role, layer, kvLoraRank, valueDim, heads));
        tensors.add(Tensor.matrix(blk(layer, ATTN_OUTPUT), role, layer, (long) heads * valueDim, hiddenSize));
        return List.copyOf(tensors);
    }
}
