package io.github.llmestimator.throughput;

import io.github.llmestimator.hardware.Device;
import io.github.llmestimator.hardware.Precision;
import io.github.llmestimator.quant.StorageType;
import io.github.llmestimator.quant.TensorType;

/**
 * The kind of matrix kernel a tensor's storage type calls for, which decides the {@link Precision} a device multiplies
 * it in (llama.cpp's CUDA MMQ kernels multiply block-quantized weights in INT8, PRs #7676 and #7860; F16/BF16
 * weights go to FP16/BF16 GEMMs).
 */
enum KernelClass {
    /** F32, F16, BF16 (and integer or F64 tensors): FP16/BF16 GEMMs. */
    FLOAT,
    /** ggml block types (Q4_K, Q8_0, IQ4_XS, ...): llama.cpp's MMQ kernels multiply them in INT8 where present. */
    BLOCK_QUANT,
    /** FP8 checkpoints: FP8 tensor cores where present. */
    FP8,
    /** MXFP4 and NVFP4: FP4 tensor cores where present, else llama.cpp's INT8 MMQ path. */
    FP4,
    /** AWQ/GPTQ group-quantized integers: dequantized to FP16 in the kernel (Marlin). */
    GROUP_INT;

    static KernelClass of(StorageType type) {
        if (!(type instanceof TensorType)) {
            return GROUP_INT;
        }
        TensorType t = (TensorType) type;
        switch (t) {
            case FP8_E4M3:
            case FP8_E5M2:
                return FP8;
            case MXFP4:
            case NVFP4:
                return FP4;
            default:
                return t.isBlockQuantized() ? BLOCK_QUANT : FLOAT;
        }
    }

    /** Returns the precision this kernel runs in on a device, given which rates the device states. */
    Precision precisionOn(Device device) {
        switch (this) {
            case BLOCK_QUANT:
                return has(device, Precision.INT8) ? Precision.INT8 : Precision.FP16;
            case FP8:
                return has(device, Precision.FP8) ? Precision.FP8 : Precision.FP16;
            case FP4:
                if (has(device, Precision.FP4)) {
                    return Precision.FP4;
                }
                return has(device, Precision.INT8) ? Precision.INT8 : Precision.FP16;
            default:
                return Precision.FP16;
        }
    }

    private static boolean has(Device device, Precision precision) {
        return device.denseTflops(precision).isPresent();
    }
}
