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
 * @param computeBufferBytes the compute buffer (heuristic, as in the memory package), at least 0
 * @param runtimeOverheadBytes the runtime allowance, counted on every device that holds anything, at least 0
 */
public record DeviceUsage(Device device, long weightBytes, long kvCacheBytes, long recurrentStateBytes,
        long outputBufferBytes, long computeBufferBytes, long runtimeOverheadBytes) {

    /**
     * Validates the components.
     *
     * @param device the device, not null
     * @param weightBytes weights held (with tied embeddings, an output head offloaded away from the token embedding
     *     is a copy and counts again), at least 0
     * @param kvCacheBytes KV cache of the layers whose cache the device holds, at least 0
     * @param recurrentStateBytes recurrent state of the layers the device holds, at least 0
     * @param outputBufferBytes the logits buffer (on the host if the deployment has system RAM), at least 0
     * @param computeBufferBytes the compute buffer (heuristic, as in the memory package), at least 0
     * @param runtimeOverheadBytes the runtime allowance, counted on every device that holds anything, at least 0
     * @throws NullPointerException if {@code device} is null
     * @throws IllegalArgumentException if a size is negative
     */
    public DeviceUsage {
        Objects.requireNonNull(device, "device");
        if (weightBytes < 0 || kvCacheBytes < 0 || recurrentStateBytes < 0 || outputBufferBytes < 0
                || computeBufferBytes < 0 || runtimeOverheadBytes < 0) {
            throw new IllegalArgumentException("device usage of " + device.name() + ": negative size (expected: >= 0)");
        }
    }

    /**
     * Returns everything the device holds, defined as weights + KV cache + recurrent state + output buffer + compute
     * buffer + runtime allowance.
     *
     * @return bytes
     * @throws ArithmeticException if the sum overflows a {@code long}
     */
    public long totalBytes() {
        return Math.addExact(Math.addExact(Math.addExact(weightBytes, kvCacheBytes), Math.addExact(recurrentStateBytes,
                outputBufferBytes)), Math.addExact(computeBufferBytes, runtimeOverheadBytes));
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
}
