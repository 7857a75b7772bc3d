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
     * @throws IllegalArgumentException if a value is out of range
     */
    public ImageTokens {
        if (width < 1 || height < 1 || patches < 1 || embeddings < 1 || markerTokens < 0) {
            throw new IllegalArgumentException("image tokens: " + width + "x" + height + ", patches " + patches
                    + ", embeddings " + embeddings + ", markers " + markerTokens
                    + " (expected: sizes, patches and embeddings >= 1, markers >= 0)");
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
