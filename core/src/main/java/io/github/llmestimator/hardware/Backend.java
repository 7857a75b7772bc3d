package io.github.llmestimator.hardware;

/**
 * The llama.cpp (ggml) backend whose kernels run on a device. It decides how much of the peak bandwidth a decoded
 * token achieves and the fixed time the runtime spends per layer: published measurements put DGX Spark and Strix Halo
 * (unified memory, CUDA and Vulkan/ROCm kernels) with the discrete GPUs, not with Apple's Metal (see the throughput
 * package).
 *
 * <p>This enum is immutable and thread-safe.
 */
public enum Backend {
    /** The CPU backend, on system RAM. */
    CPU,
    /** CUDA on NVIDIA GPUs, the GB10 of DGX Spark included. */
    CUDA,
    /** HIP on AMD GPUs: llama.cpp's CUDA kernels compiled for ROCm. */
    ROCM,
    /** Vulkan on any GPU. */
    VULKAN,
    /** Metal on Apple silicon. */
    METAL;

    /**
     * Returns the backend a device of a kind runs unless it says otherwise: the CPU backend on system RAM, CUDA on a
     * discrete GPU, Metal on unified memory (Apple silicon, the most common unified-memory machine).
     *
     * @param kind the kind, not null
     * @return the default backend
     * @throws NullPointerException if {@code kind} is null
     */
    public static Backend defaultFor(DeviceKind kind) {
        switch (java.util.Objects.requireNonNull(kind, "kind")) {
            case SYSTEM_RAM:
                return CPU;
            case DISCRETE_GPU:
                return CUDA;
            default:
                return METAL;
        }
    }
}
