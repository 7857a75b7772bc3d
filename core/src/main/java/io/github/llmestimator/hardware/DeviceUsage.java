package io.github.llmestimator.hardware;

import java.util.Objects;

/**
 * What one device of a deployment holds for a model: its share of the weights, of the KV cache and recurrent state,
 * the buffers the runtime allocates on it, and the runtime's own allowance, against the memory the device offers.
 *
 * @param device the device, not null
 * @param weightBytes weights held (with tied embeddings, an output head offloaded away from the token embedding
 *     is a copy and counts again), at least 0
 * @param kvCacheBytes KV cache of the layers whose cache the device holds, at least 0
 * @param recurrentStateBytes recurrent state of the layers the device holds, at least 0
 * @param outputBufferBytes the logits buffer (on the host if the deployment has system RAM), at least 0
 * @param computeBufferBytes the compute buffer (as in the memory package), at least 0
 * @param runtimeOverheadBytes the runtime allowance, counted on every device that holds anything, 0 to
 *     {@value #MAX_RUNTIME_OVERHEAD_BYTES}
 */
public record DeviceUsage(Device device, long weightBytes, long kvCacheBytes, long recurrentStateBytes,
        long outputBufferBytes, long computeBufferBytes, long runtimeOverheadBytes) {

    /**
     * The largest runtime allowance, in bytes: 1 PiB (2^50), a thousand times the memory of the largest device. A
     * larger value is a mistake rather than an allowance, and would take the totals past what a {@code long} holds.
     */
    public static final long MAX_RUNTIME_OVERHEAD_BYTES = 1L << 50;

    /**
     * Validates the components.
     *
     * @param device the device, not null
     * @param weightBytes weights held (with tied embeddings, an output head offloaded away from the token embedding
     *     is a copy and counts again), at least 0
     * @param kvCacheBytes KV cache of the layers whose cache the device holds, at least 0
     * @param recurrentStateBytes recurrent state of the layers the device holds, at least 0
     * @param outputBufferBytes the logits buffer (on the host if the deployment has system RAM), at least 0
     * @param computeBufferBytes the compute buffer (as in the memory package), at least 0
     * @param runtimeOverheadBytes the runtime allowance, counted on every device that holds anything, 0 to
     *     {@value #MAX_RUNTIME_OVERHEAD_BYTES}
     * @throws NullPointerException if {@code device} is null
     * @throws IllegalArgumentException if a size is negative, the allowance is above
     *     {@value #MAX_RUNTIME_OVERHEAD_BYTES}, or the sizes add up to more than a {@code long} holds;
     *     the message names the component
     */
    public DeviceUsage {
        Objects.requireNonNull(device, "device");
        requireNonNegative(device, "weightBytes", weightBytes);
        requireNonNegative(device, "kvCacheBytes", kvCacheBytes);
        requireNonNegative(device, "recurrentStateBytes", recurrentStateBytes);
        requireNonNegative(device, "outputBufferBytes", outputBufferBytes);
        requireNonNegative(device, "computeBufferBytes", computeBufferBytes);
        requireNonNegative(device, "runtimeOverheadBytes", runtimeOverheadBytes);
        if (runtimeOverheadBytes > MAX_RUNTIME_OVERHEAD_BYTES) {
            throw new IllegalArgumentException("runtimeOverheadBytes: " + runtimeOverheadBytes + " (expected: 0 to "
                    + MAX_RUNTIME_OVERHEAD_BYTES + " bytes, 1 PiB)");
        }
        // checked here, once, so that totalBytes() and headroomBytes() are plain arithmetic that cannot overflow
        long room = Long.MAX_VALUE - weightBytes;
        if (kvCacheBytes > room || recurrentStateBytes > (room -= kvCacheBytes)
                || outputBufferBytes > (room -= recurrentStateBytes) || computeBufferBytes > (room -= outputBufferBytes)
                || runtimeOverheadBytes > room - computeBufferBytes) {
            throw new IllegalArgumentException("weightBytes + kvCacheBytes + recurrentStateBytes + outputBufferBytes"
                    + " + computeBufferBytes + runtimeOverheadBytes: " + weightBytes + " + " + kvCacheBytes + " + "
                    + recurrentStateBytes + " + " + outputBufferBytes + " + " + computeBufferBytes + " + "
                    + runtimeOverheadBytes + " (expected: a total of at most " + Long.MAX_VALUE + " bytes on "
                    + device.name() + ")");
        }
    }

    private static void requireNonNegative(Device device, String name, long value) {
        if (value < 0) {
            throw new IllegalArgumentException(name + ": " + value + " (expected: >= 0, on " + device.name() + ")");
        }
    }

    /**
     * Returns everything the device holds, defined as weights + KV cache + recurrent state + output buffer + compute
     * buffer + runtime allowance.
     *
     * @return bytes
     */
    public long totalBytes() {
        return weightBytes + kvCacheBytes + recurrentStateBytes + outputBufferBytes + computeBufferBytes
                + runtimeOverheadBytes;
    }

    /**
     * Returns the memory the device offers, {@link Device#usableMemoryBytes()}.
     *
     * @return bytes
     */
    public long usableBytes() {
        return device.usableMemoryBytes();
    }

    /**
     * Returns the memory left over, defined as {@code usableBytes - totalBytes}: negative by as much as the device
     * misses.
     *
     * @return bytes, negative when the device does not fit its share
     */
    public long headroomBytes() {
        return usableBytes() - totalBytes();
    }

    /**
     * Returns whether the device holds its share, defined as {@code headroomBytes >= 0}.
     *
     * @return true when it fits
     */
    public boolean fits() {
        return headroomBytes() >= 0;
    }

    /**
     * Returns whether the share is past a Mac GPU's working-set limit but within the installed memory: macOS then
     * loads the model and pages it through the GPU's working set, decoding
     * {@value AppleWorkingSet#PAGING_SLOWDOWN_MIN}x to {@value AppleWorkingSet#PAGING_SLOWDOWN_MAX}x slower (see
     * {@link AppleWorkingSet}). Such a share does not fit: {@link #fits()} is false.
     *
     * @return true when a Metal device pages this share
     */
    public boolean paging() {
        return !fits() && device.appleWorkingSet().isPresent() && totalBytes() <= device.memoryBytes();
    }
}
