package io.github.llmestimator.throughput;

/**
 * What limits a speed estimate: the resource on which the estimated time is mostly spent.
 *
 * <p>This enum is immutable and thread-safe.
 */
public enum Bound {
    /** Reading weights and caches from memory: the usual case for decoding. */
    MEMORY_BANDWIDTH,
    /** Arithmetic: prompt processing on a GPU, or any step on a slow processor. */
    COMPUTE,
    /** Copying weights held in system RAM over the PCIe link to the GPU (prompt processing with offloaded weights). */
    HOST_LINK,
    /**
     * The runtime's fixed work per token, whatever the bytes: launching and synchronising each layer's kernels. It
     * binds small models on fast devices.
     */
    LAUNCH_OVERHEAD
}
