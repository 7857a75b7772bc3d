package io.github.llmestimator.model;

import java.util.Objects;

/**
 * One block of a model: a token mixer followed by a feed-forward block. Either may be absent, not both.
 *
 * @param attention the token mixer, not null ({@link NoAttention#INSTANCE} when absent)
 * @param feedForward the feed-forward block, not null ({@link NoFeedForward#INSTANCE} when absent)
 */
public record Layer(AttentionBlock attention, FeedForwardBlock feedForward) {

    /**
     * Validates the components.
     *
     * @param attention the token mixer, not null ({@link NoAttention#INSTANCE} when absent)
     * @param feedForward the feed-forward block, not null ({@link NoFeedForward#INSTANCE} when absent)
     * @throws NullPointerException if a component is null
     * @throws IllegalArgumentException if both blocks are absent
     */
    public Layer {
        Objects.requireNonNull(attention, "attention");
        Objects.requireNonNull(feedForward, "feedForward");
        if (attention instanceof NoAttention && feedForward instanceof NoFeedForward) {
            throw new IllegalArgumentException("layer: neither attention nor feed-forward (expected: at least one)");
        }
    }

    /**
     * Returns a layer of the given blocks.
     *
     * @param attention the token mixer
     * @param feedForward the feed-forward block
     * @return the layer
     * @throws NullPointerException if a block is null
     * @throws IllegalArgumentException if both blocks are absent
     */
    public static Layer of(AttentionBlock attention, FeedForwardBlock feedForward) {
        return new Layer(attention, feedForward);
    }
}
