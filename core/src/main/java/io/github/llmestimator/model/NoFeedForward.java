package io.github.llmestimator.model;

import java.util.List;

/**
 * The absence of a feed-forward block: a layer that is only a token mixer (Nemotron-H's and Granite's Mamba layers).
 */
public record NoFeedForward() implements FeedForwardBlock {

    /** The single instance worth having. */
    public static final NoFeedForward INSTANCE = new NoFeedForward();

    @Override
    public List<Tensor> tensors(int layer, int hiddenSize) {
        ModelSpec.checkTensorArguments(layer, hiddenSize);
        return List.of();
    }
}
