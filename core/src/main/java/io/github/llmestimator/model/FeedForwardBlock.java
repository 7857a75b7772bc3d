package io.github.llmestimator.model;

import java.util.List;

/**
 * The feed-forward part of a layer: dense, a mixture of experts, or none.
 *
 * <p>Implementations are immutable and thread-safe.
 */
public sealed interface FeedForwardBlock permits DenseFeedForward, MixtureOfExperts, NoFeedForward {

    /**
     * Returns the number of routed experts, or 0 for a block without routing.
     *
     * @return routed experts
     */
    default int routedExperts() {
        return 0;
    }

    /**
     * Returns how many routed experts one token uses, or 0 for a block without routing.
     *
     * @return experts per token
     */
    default int expertsPerToken() {
        return 0;
    }

    /**
     * Returns the weight tensors of this block in one layer, named as llama.cpp names them in a GGUF file.
     *
     * @param layer the layer index, 0 to {@code ModelSpec.MAX_LAYERS - 1}
     * @param hiddenSize the model's hidden size ({@code n_embd}), at least 1
     * @return the tensors, an immutable list, not null
     * @throws IllegalArgumentException if {@code layer} or {@code hiddenSize} is out of range
     */
    List<Tensor> tensors(int layer, int hiddenSize);
}
