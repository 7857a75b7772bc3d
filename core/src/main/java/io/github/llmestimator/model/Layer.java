package io.github.llmestimator.model;

import java.util.Objects;

/**
 * One block of a model: a token mixer followed by a feed-forward block. Either may be absent, not both.
 *
 * @param mixer the token mixer (attention or recurrent), not null ({@link NoAttention#INSTANCE} when absent)
 * @param feedForward the feed-forward block, not null ({@link NoFeedForward#INSTANCE} when absent)
 */
public record Layer(MixerBlock mixer, FeedForwardBlock feedForward) {

    /**
     * Validates the components.
     *
     * @param mixer the token mixer (attention or recurrent), not null ({@link NoAttention#INSTANCE} when absent)
     * @param feedForward the feed-forward block, not null ({@link NoFeedForward#INSTANCE} when absent)
     * @throws NullPointerException if a component is null
     * @throws IllegalArgumentException if both blocks are absent
     */
    public Layer {
        Objects.requireNonNull(mixer, "mixer");
        Objects.requireNonNull(feedForward, "feedForward");
        if (mixer instanceof NoAttention && feedForward instanceof NoFeedForward) {
            throw new IllegalArgumentException("layer: neither a token mixer nor a feed-forward block (expected: at least one)");
        }
    }

    /**
     * Returns a layer of the given blocks.
     *
     * @param mixer the token mixer (attention or a recurrent mixer)
     * @param feedForward the feed-forward block
     * @return the layer
     * @throws NullPointerException if a block is null
     * @throws IllegalArgumentException if both blocks are absent
     */
    public static Layer of(MixerBlock mixer, FeedForwardBlock feedForward) {
        return new Layer(mixer, feedForward);
    }
}
