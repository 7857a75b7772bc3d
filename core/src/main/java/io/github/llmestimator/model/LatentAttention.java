package io.github.llmestimator.model;

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
        implements AttentionBlock {

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
        Checks.tensorArguments(layer, hiddenSize);
        List<Tensor> tensors = new ArrayList<>(10);
        TensorRole role = TensorRole.ATTENTION;
        long queryHeadDim = (long) nopeDim + ropeDim;
        tensors.add(Tensor.vector(Checks.blk(layer, "attn_norm.weight"), role, layer, hiddenSize));
        if (qLoraRank > 0) {
            tensors.add(Tensor.matrix(Checks.blk(layer, "attn_q_a.weight"), role, layer, hiddenSize, qLoraRank));
            tensors.add(Tensor.vector(Checks.blk(layer, "attn_q_a_norm.weight"), role, layer, qLoraRank));
            tensors.add(Tensor.matrix(Checks.blk(layer, "attn_q_b.weight"), role, layer, qLoraRank, heads * queryHeadDim));
        } else {
            tensors.add(Tensor.matrix(Checks.blk(layer, "attn_q.weight"), role, layer, hiddenSize, heads * queryHeadDim));
        }
        tensors.add(Tensor.matrix(Checks.blk(layer, "attn_kv_a_mqa.weight"), role, layer, hiddenSize,
                (long) kvLoraRank + ropeDim));
        tensors.add(Tensor.vector(Checks.blk(layer, "attn_kv_a_norm.weight"), role, layer, kvLoraRank));
        tensors.add(Tensor.stacked(Checks.blk(layer, "attn_k_b.weight"), role, layer, nopeDim, kvLoraRank, heads));
        tensors.add(Tensor.stacked(Checks.blk(layer, "attn_v_b.weight"), role, layer, kvLoraRank, valueDim, heads));
        tensors.add(Tensor.matrix(Checks.blk(layer, "attn_output.weight"), role, layer, (long) heads * valueDim, hiddenSize));
        return List.copyOf(tensors);
    }
}
