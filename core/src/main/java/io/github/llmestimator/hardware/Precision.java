package io.github.llmestimator.hardware;

/**
 * A number format a device's matrix units compute in, for which a datasheet states a dense peak throughput.
 *
 * <p>Which one a kernel uses depends on the weights and the runtime: llama.cpp's CUDA kernels for ggml block-quantized
 * weights multiply in INT8 on tensor cores (llama.cpp PRs #7676, #7860), F16/BF16 weights use FP16/BF16 GEMMs, Metal
 * computes in FP16/FP32 ({@code ggml/src/ggml-metal}).
 *
 * <p>This enum is immutable and thread-safe.
 */
public enum Precision {
    /** FP16 or BF16 inputs with FP32 accumulation (the BF16 rate of datasheets; GeForce FP16-accumulate is 2x). */
    FP16,
    /** INT8 inputs with INT32 accumulation; the figure is TOPS. */
    INT8,
    /** FP8 (E4M3/E5M2) inputs. */
    FP8,
    /** FP4 (NVFP4, MXFP4) inputs, on parts that have native FP4 matrix units. */
    FP4
}
