package io.github.llmestimator.model;

import java.util.List;

/**
 * A gated DeltaNet linear-attention mixer (Qwen3-Next, Qwen3.5): a constant-size state per sequence instead of a KV
 * cache.
 *
 * <p>State per sequence, in llama.cpp's terms ({@code src/llama-hparams.cpp}, Mamba-2 formulas with
 * {@code d_inner = valueHeads * valueHeadDim}, {@code d_state = keyHeadDim}, {@code n_group = keyHeads}):
 * convolution {@code (convKernel - 1) * (2 * keyHeads * keyHeadDim + valueHeads * valueHeadDim)} elements and
 * recurrent state {@code keyHeadDim * valueHeads * valueHeadDim} elements, both F32.
 *
 * @param keyHeads Q/K heads ({@code linear_num_key_heads}), at least 1
 * @param valueHeads V heads ({@code linear_num_value_heads}), a multiple of {@code keyHeads}
 * @param keyHeadDim elements per Q/K head ({@code linear_key_head_dim}), at least 1
 * @param valueHeadDim elements per V head ({@code linear_value_head_dim}), at least 1
 * @param convKernel causal convolution width ({@code linear_conv_kernel_dim}), at least 1
 */
public record GatedDeltaNet(int keyHeads, int valueHeads, int keyHeadDim, int valueHeadDim, int convKernel)
        implements AttentionBlock {

    /**
     * Validates the components.
     *
     * @param keyHeads Q/K heads ({@code linear_num_key_heads}), at least 1
     * @param valueHeads V heads ({@code linear_num_value_heads}), a multiple of {@code keyHeads}
     * @param keyHeadDim elements per Q/K head ({@code linear_key_head_dim}), at least 1
     * @param valueHeadDim elements per V head ({@code linear_value_head_dim}), at least 1
     * @param convKernel causal convolution width ({@code linear_conv_kernel_dim}), at least 1
     * @throws IllegalArgumentException if a count is not positive or {@code valueHeads} is not a multiple of
     *     {@code keyHeads}
     */
    public GatedDeltaNet {
        Checks.positive("keyHeads", keyHeads);
        Checks.positive("valueHeads", valueHeads);
        Checks.positive("keyHeadDim", keyHeadDim);
        Checks.positive("valueHeadDim", valueHeadDim);
        Checks.positive("convKernel", convKernel);
        if (valueHeads % keyHeads != 0) {
            throw new IllegalArgumentException(
                    "valueHeads: " + valueHeads + " (expected: a multiple of keyHeads = " + keyHeads + ")");
        }
    }

    private long convolutionChannels() {
        return 2L * keyHeads * keyHeadDim + (long) valueHeads * valueHeadDim;
    }

    @Override
    public int queryHeads() {
        return 0;
    }

    @Override
    public int keyValueHeads() {
        return 0;
    }

    @Override
    public long keyCacheElementsPerToken() {
        return 0;
    }

    @Override
    public long valueCacheElementsPerToken() {
        return 0;
    }

    @Override
    public long convolutionStateElements() {
        return (convKernel - 1L) * convolutionChannels();
    }

    @Override
    public long recurrentStateElements() {
        return (long) keyHeadDim * valueHeads * valueHeadDim;
    }

    @Override
    public List<Tensor> tensors(int layer, int hiddenSize) {
        Checks.tensorArguments(layer, hiddenSize);
        TensorRole role = TensorRole.RECURRENT;
        long valueWidth = (long) valueHeads * valueHeadDim;
        return List.of(
                Tensor.vector(Checks.blk(layer, "attn_norm.weight"), role, layer, hiddenSize),
                Tensor.matrix(Checks.blk(layer, "attn_qkv.weight"), role, layer, hiddenSize, convolutionChannels()),
                Tensor.matrix(Checks.blk(layer, "attn_gate.weight"), role, layer, hiddenSize, valueWidth),
                Tensor.matrix(Checks.blk(layer, "ssm_beta.weight"), role, layer, hiddenSize, valueHeads),
                Tensor.matrix(Checks.blk(layer, "ssm_alpha.weight"), role, layer, hiddenSize, valueHeads),
                Tensor.matrix(Checks.blk(layer, "ssm_conv1d.weight"), role, layer, convKernel, convolutionChannels()),
                Tensor.vector(Checks.blk(layer, "ssm_dt.bias"), role, layer, valueHeads),
                Tensor.vector(Checks.blk(layer, "ssm_a"), role, layer, valueHeads),
                Tensor.vector(Checks.blk(layer, "ssm_norm.weight"), role, layer, valueHeadDim),
                Tensor.matrix(Checks.blk(layer, "ssm_out.weight"), role, layer, valueWidth, hiddenSize));
    }
}
