package io.github.llmestimator.hardware;

/**
 * What kind of memory system a device is, which decides where llama.cpp puts tensors and how efficiently its kernels
 * stream weights (the achieved fraction of peak bandwidth is fitted per kind, see the throughput package).
 *
 * <p>This enum is immutable and thread-safe.
 */
public enum DeviceKind {
    /** Host memory read by the CPU (DDR4/DDR5 DIMMs, server memory channels); llama.cpp's CPU backend. */
    SYSTEM_RAM,
    /** A GPU with its own memory behind a host link (PCIe): CUDA, ROCm or Vulkan in llama.cpp, or vLLM. */
    DISCRETE_GPU,
    /**
     * One memory pool shared by CPU and GPU (Apple silicon with Metal, AMD Strix Halo, NVIDIA GB10); the GPU may use
     * only part of it by default ({@link Device#gpuMemoryFraction()}).
     */
    UNIFIED_MEMORY
}
