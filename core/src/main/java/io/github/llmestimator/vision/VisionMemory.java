package io.github.llmestimator.vision;

/**
 * What a projector and the images of a request add to an estimate: the projector's weights, the encoder's compute
 * buffer (an estimate, see {@link VisionTower#encoderComputeBytes}), and the context positions the images take.
 *
 * @param projectorBytes the projector file's weights, at least 0
 * @param encoderComputeBytes the encoder's compute buffer for the larger of llama.cpp's warm-up image and the
 *     request's image; 0 when the tower's kind is not modelled, as an estimate is never 0
 * @param images images per sequence, at least 0
 * @param tokensPerImage context positions one image takes ({@link ImageTokens#tokens()}), 0 without images
 * @param sequenceCells the KV cells of one sequence, which must hold its images' tokens and its text
 */
public record VisionMemory(long projectorBytes, long encoderComputeBytes, int images, int tokensPerImage,
        long sequenceCells) {

    /**
     * Validates the components.
     *
     * @param projectorBytes the projector file's weights, at least 0
     * @param encoderComputeBytes the encoder's compute buffer, at least 0
     * @param images images per sequence, at least 0
     * @param tokensPerImage context positions one image takes, at least 0
     * @param sequenceCells the KV cells of one sequence, at least 1
     * @throws IllegalArgumentException if a value is out of range, or the two byte counts add up to more than a
     *     {@code long} holds; the message names the component
     */
    public VisionMemory {
        requireAtLeast("projectorBytes", projectorBytes, 0);
        requireAtLeast("encoderComputeBytes", encoderComputeBytes, 0);
        requireAtLeast("images", images, 0);
        requireAtLeast("tokensPerImage", tokensPerImage, 0);
        requireAtLeast("sequenceCells", sequenceCells, 1);
        if (encoderComputeBytes > Long.MAX_VALUE - projectorBytes) {
            throw new IllegalArgumentException("projectorBytes + encoderComputeBytes: " + projectorBytes + " + "
                    + encoderComputeBytes + " (expected: at most " + Long.MAX_VALUE + " bytes in all)");
        }
    }

    private static void requireAtLeast(String name, long value, long min) {
        if (value < min) {
            throw new IllegalArgumentException(name + ": " + value + " (expected: >= " + min + ")");
        }
    }

    /**
     * Returns whether the encoder's compute buffer was estimated, defined as {@code encoderComputeBytes > 0}: it is
     * not for a projector whose tower kind is not modelled.
     *
     * @return whether there is an estimate
     */
    public boolean encoderEstimated() {
        return encoderComputeBytes > 0;
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
