package io.github.llmestimator.model;

import static io.github.llmestimator.internal.TensorNames.ATTN_NORM;
import static io.github.llmestimator.internal.TensorNames.SSM_A;
import static io.github.llmestimator.internal.TensorNames.SSM_CONV1D;
import static io.github.llmestimator.internal.TensorNames.SSM_CONV1D_BIAS;
import static io.github.llmestimator.internal.TensorNames.SSM_D;
import static io.github.llmestimator.internal.TensorNames.SSM_DT_BIAS;
import static io.github.llmestimator.internal.TensorNames.SSM_IN;
import static io.github.llmestimator.internal.TensorNames.SSM_NORM;
import static io.github.llmestimator.internal.TensorNames.SSM_OUT;
import static io.github.llmestimator.internal.TensorNames.blk;

import io.github.llmestimator.internal.Checks;
import java.util.List;

/**
 * A Mamba-2 selective state-space mixer (Nemotron-H, Granite 4.0 H, Falcon-H1): a constant-size state per sequence.
 *
 * <p>With {@code d_inner = heads * headDim}, state per sequence (llama.cpp {@code src/llama-hparams.cpp}):
 * convolution {@code (convKernel - 1) * (d_inner + 2 * groups * stateSize)} elements and SSM state
 * {@code stateSize * d_inner} elements, both F32.
 *
 * @param heads SSM heads ({@code mamba_num_heads}), at least 1
 * @param headDim elements per head ({@code mamba_head_dim}), at least 1
 * @param stateSize state elements per channel ({@code ssm_state_size}), at least 1
 * @param groups B/C groups ({@code n_groups}), a divisor of {@code heads}
 * @param convKernel causal convolution width ({@code conv_kernel}), at least 1
 */
public record Mamba2(int heads, int headDim, int stateSize, int groups, int convKernel) implements MixerBlock {

    /**
     * Validates the components.
     *
     * @param heads SSM heads ({@code mamba_num_heads}), at least 1
     * @param headDim elements per head ({@code mamba_head_dim}), at least 1
     * @param stateSize state elements per channel ({@code ssm_state_size}), at least 1
     * @param groups B/C groups ({@code n_groups}), a divisor of {@code heads}
     * @param convKernel causal convolution width ({@code conv_kernel}), at least 1
     * @throws IllegalArgumentException if a count is not positive or {@code groups} does not divide {@code heads}
     */
    public Mamba2 {
        Checks.positive("heads", heads);
        Checks.positive("headDim", headDim);
        Checks.positive("stateSize", stateSize);
        Checks.positive("groups", groups);
        Checks.positive("convKernel", convKernel);
        if (heads % groups != 0) {
            throw new IllegalArgumentException("groups: " + groups + " (expected: a divisor of heads = " + heads + ")");
        }
    }

    private long innerSize() {
        return (long) heads * headDim;
    }

    private long convolutionChannels() {
        return innerSize() + 2L * groups * stateSize;
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
        return stateSize * innerSize();
    }

    @Override
    public List<Tensor> tensors(int layer, int hiddenSize) {
        ModelSpec.checkTensorArguments(layer, hiddenSize);
        TensorRole role = TensorRole.RECURRENT;
        long inputProjection = 2 * innerSize() + 2L * groups * stateSize + heads;
        return List.of(
                Tensor.vector(blk(layer, ATTN_NORM), role, layer, hiddenSize),
                Tensor.matrix(blk(layer, SSM_IN), role, layer, hiddenSize, inputProjection),
                Tensor.matrix(blk(layer, SSM_CONV1D), role, layer, convKernel, convolutionChannels()),
                Tensor.vector(blk(layer, SSM_CONV1D_BIAS), role, layer, convolutionChannels()),
                Tensor.vector(blk(layer, SSM_DT_BIAS), role, layer, heads),
                Tensor.vector(blk(layer, SSM_A), role, layer, heads),
                Tensor.vector(blk(layer, SSM_D), role, layer, heads),
                Tensor.matrix(blk(layer, SSM_NORM), role, layer, innerSize() / groups, groups),
                Tensor.matrix(blk(layer, SSM_OUT), role, layer, innerSize(), hiddenSize));
    }
}
