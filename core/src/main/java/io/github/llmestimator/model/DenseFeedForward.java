package io.github.llmestimator.model;

import java.util.List;

/**
 * A dense feed-forward block: up and down projections, and with {@code gated} a gate projection (SwiGLU, GeGLU).
 *
 * @param intermediateSize width of the hidden projection ({@code intermediate_size}), at least 1
 * @param gated whether a gate projection multiplies the up projection
 */
public record DenseFeedForward(int intermediateSize, boolean gated) implements FeedForwardBlock {

    /**
     * Validates the components.
     *
     * @param intermediateSize width of the hidden projection ({@code intermediate_size}), at least 1
     * @param gated whether a gate projection multiplies the up projection
     * @throws IllegalArgumentException if {@code intermediateSize} is not positive
     */
    public DenseFeedForward {
        Checks.positive("intermediateSize", intermediateSize);
    }

    /**
     * Returns a gated feed-forward block (SwiGLU/GeGLU), the common case.
     *
     * @param intermediateSize hidden width
     * @return the block
     * @throws IllegalArgumentException if {@code intermediateSize} is not positive
     */
    public static DenseFeedForward gated(int intermediateSize) {
        return new DenseFeedForward(intermediateSize, true);
    }

    @Override
    public List<Tensor> tensors(int layer, int hiddenSize) {
        Checks.tensorArguments(layer, hiddenSize);
        TensorRole role = TensorRole.DENSE_FEED_FORWARD;
        Tensor norm = Tensor.vector(Checks.blk(layer, "ffn_norm.weight"), TensorRole.NORM, layer, hiddenSize);
        Tensor up = Tensor.matrix(Checks.blk(layer, "ffn_up.weight"), role, layer, hiddenSize, intermediateSize);
        Tensor down = Tensor.matrix(Checks.blk(layer, "ffn_down.weight"), role, layer, intermediateSize, hiddenSize);
        if (!gated) {
            return List.of(norm, up, down);
        }
        Tensor gate = Tensor.matrix(Checks.blk(layer, "ffn_gate.weight"), role, layer, hiddenSize, intermediateSize);
        return List.of(norm, gate, up, down);
    }
}
