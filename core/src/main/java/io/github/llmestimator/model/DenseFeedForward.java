package io.github.llmestimator.model;

import static io.github.llmestimator.internal.TensorNames.FFN_DOWN;
import static io.github.llmestimator.internal.TensorNames.FFN_GATE;
import static io.github.llmestimator.internal.TensorNames.FFN_NORM;
import static io.github.llmestimator.internal.TensorNames.FFN_UP;
import static io.github.llmestimator.internal.TensorNames.blk;

import io.github.llmestimator.internal.Checks;
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
        ModelSpec.checkTensorArguments(layer, hiddenSize);
        TensorRole role = TensorRole.DENSE_FEED_FORWARD;
        Tensor norm = Tensor.vector(blk(layer, FFN_NORM), TensorRole.NORM, layer, hiddenSize);
        Tensor up = Tensor.matrix(blk(layer, FFN_UP), role, layer, hiddenSize, intermediateSize);
        Tensor down = Tensor.matrix(blk(layer, FFN_DOWN), role, layer, intermediateSize, hiddenSize);
        if (!gated) {
            return List.of(norm, up, down);
        }
        Tensor gate = Tensor.matrix(blk(layer, FFN_GATE), role, layer, hiddenSize, intermediateSize);
        return List.of(norm, gate, up, down);
    }
}
