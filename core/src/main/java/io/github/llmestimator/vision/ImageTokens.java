package io.github.llmestimator.vision;

/**
 * What one image becomes for a vision tower: the size llama.cpp resizes it to, the patches the encoder sees, the
 * embeddings it hands to the language model, and the text tokens around them. The KV cache holds
 * {@link #tokens()} positions per image.
 *
 * @param width the width after llama.cpp's resize, in pixels
 * @param height the height after llama.cpp's resize, in pixels
 * @param patches the encoder's patches (its sequence length), before any merge or pooling
 * @param embeddings the image embeddings placed in the context (including Pixtral's {@code [IMG_BREAK]} rows)
 * @param markerTokens the text tokens {@code libmtmd} wraps each image in, such as {@code <start_of_image>} and
 *     {@code <end_of_image>}
 */
public record ImageTokens(int width, int height, long patches, int embeddings, int markerTokens) {

    /**
     * Validates the components.
     *
     * @param width the width after resize, at least 1
     * @param height the height after resize, at least 1
     * @param patches the encoder's patches, at least 1
     * @param embeddings the image embeddings, at least 1
     * @param markerTokens the text tokens around the image, at least 0
     * @throws IllegalArgumentException if a value is out of range, or the tokens in all exceed an {@code int}
     */
    public ImageTokens {
        requireAtLeast("width", width, 1);
        requireAtLeast("height", height, 1);
        requireAtLeast("patches", patches, 1);
        requireAtLeast("embeddings", embeddings, 1);
        requireAtLeast("markerTokens", markerTokens, 0);
        if (markerTokens > Integer.MAX_VALUE - embeddings) {
            throw new IllegalArgumentException("embeddings + markerTokens: " + embeddings + " + " + markerTokens
                    + " (expected: at most " + Integer.MAX_VALUE + " tokens in all)");
        }
    }

    private static void requireAtLeast(String name, long value, long min) {
        if (value < min) {
            throw new IllegalArgumentException(name + ": " + value + " (expected: >= " + min + ")");
        }
    }

    /**
     * Returns the context positions one image takes, defined as {@code embeddings + markerTokens}.
     *
     * @return tokens
     */
    public int tokens() {
        return embeddings + markerTokens;
    }
}
