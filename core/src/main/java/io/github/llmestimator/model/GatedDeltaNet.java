package io.github.llmestimator.model;

import static io.github.llmestimator.internal.TensorNames.ATTN_GATE;
import static io.github.llmestimator.internal.TensorNames.ATTN_NORM;
import static io.github.llmestimator.internal.TensorNames.ATTN_QKV;
import static io.github.llmestimator.internal.TensorNames.SSM_A;
import static io.github.llmestimator.internal.TensorNames.SSM_ALPHA;
import static io.github.llmestimator.internal.TensorNames.SSM_BETA;
import static io.github.llmestimator.internal.TensorNames.SSM_CONV1D;
import static io.github.llmestimator.internal.TensorNames.SSM_DT_BIAS;
import static io.github.llmestimator.internal.TensorNames.SSM_NORM;
import static io.github.llmestimator.internal.TensorNames.SSM_OUT;
import static io.github.llmestimator.internal.TensorNames.blk;

import io.github.llmestimator.internal.Checks;
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
        implements MixerBlock {

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
        ModelSpec.checkTensorArguments(layer, hiddenSize);
        TensorRole role = TensorRole.RECURRENT;
        long valueWidth = (long) valueHeads * valueHeadDim;
        return List.of(
                Tensor.vector(blk(layer, ATTN_NORM), role, layer, hiddenSize),
                Tensor.matrix(blk(layer, ATTN_QKV), role, layer, hiddenSize, convolutionChannels()),
                Tensor.matrix(blk(layer, ATTN_GATE), role, layer, hiddenSize, valueWidth),
                Tensor.matrix(blk(layer, SSM_BETA), role, layer, hiddenSize, valueHeads),
                Tensor.matrix(blk(layer, SSM_ALPHA), role, layer, hiddenSize, valueHeads),
                Tensor.matrix(blk(layer, SSM_CONV1D), role, layer, convKernel, convolutionChannels()),
                Tensor.vector(blk(layer, SSM_DT_BIAS), role, layer, valueHeads),
                Tensor.vector(blk(layer, SSM_A), role, layer, valueHeads),
                Tensor.vector(blk(layer, SSM_NORM), role, layer, valueHeadDim),
                Tensor.matrix(blk(layer, SSM_OUT), role, layer, valueWidth, hiddenSize));
    }
}
