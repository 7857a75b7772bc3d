package io.github.llmestimator.vision;

/**
 * What a projector and the images of a request add to an estimate: the projector's weights, the encoder's compute
 * buffer (an estimate, see {@link VisionTower#encoderComputeBytes}), and the context positions the images take.
 *
 * @param projectorBytes the projector file's weights, at least 0
 * @param encoderComputeBytes the encoder's compute buffer for the largest of llama.cpp's warm-up image and the
 *     request's image; 0 when the tower's kind is not modelled ({@code encoderEstimated} false)
 * @param encoderEstimated whether {@code encoderComputeBytes} was estimated
 * @param images images per sequence, at least 0
 * @param tokensPerImage context positions one image takes ({@link ImageTokens#tokens()}), 0 without images
 * @param sequenceCells the KV cells of one sequence, which must hold its images' tokens and its text
 */
public record VisionMemory(long projectorBytes, long encoderComputeBytes, boolean encoderEstimated, int images,
        int tokensPerImage, long sequenceCells) {

    /**
     * Validates the components.
     *
     * @param projectorBytes the projector file's weights, at least 0
     * @param encoderComputeBytes the encoder's compute buffer, at least 0, and 0 when not estimated
     * @param encoderEstimated whether {@code encoderComputeBytes} was estimated
     * @param images images per sequence, at least 0
     * @param tokensPerImage context positions one image takes, at least 0
     * @param sequenceCells the KV cells of one sequence, at least 1
     * @throws IllegalArgumentException if a value is out of range, or the sum of the bytes overflows a {@code long}
     */
    public VisionMemory {
        if (projectorBytes < 0 || encoderComputeBytes < 0 || !encoderEstimated && encoderComputeBytes != 0
                || images < 0 || tokensPerImage < 0 || sequenceCells < 1
                || encoderComputeBytes > Long.MAX_VALUE - projectorBytes) {
            throw new IllegalArgumentException("vision memory: projector " + projectorBytes + " bytes, encoder "
                    + encoderComputeBytes + " bytes (estimated " + encoderEstimated + "), " + images + " images of "
                    + tokensPerImage + " tokens, " + sequenceCells + " cells per sequence (expected: all >= 0, cells >= 1,"
                    + " encoder 0 when not estimated, a total that fits a long)");
        }
    }

    /**
     * Returns the context positions the images of one sequence take, defined as {@code images * tokensPerImage}.
     *
     * @return tokens
     */
    public long imageTokens() {
        return (long) images * tokensPerImage;
    }

    /**
     * Returns whether one sequence's context holds its images, defined as {@code imageTokens() <= sequenceCells}; when
     * it does not, the request cannot be decoded in that context.
     *
     * @return whether the images fit the context
     */
    public boolean imagesFitContext() {
        return imageTokens() <= sequenceCells;
    }

    /**
     * Returns the memory the projector adds, defined as {@code projectorBytes + encoderComputeBytes}.
     *
     * @return bytes
     */
    public long totalBytes() {
        return projectorBytes + encoderComputeBytes;
    }
}
