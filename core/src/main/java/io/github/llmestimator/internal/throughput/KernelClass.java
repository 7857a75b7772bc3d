package io.github.llmestimator.internal.throughput;

import io.github.llmestimator.hardware.Backend;
import io.github.llmestimator.hardware.Device;
import io.github.llmestimator.hardware.Precision;
import io.github.llmestimator.quant.StorageType;
import io.github.llmestimator.quant.TensorType;
import java.util.OptionalDouble;

/**
 * The kind of matrix kernel a tensor's storage type calls for, which decides the {@link Precision} a device multiplies
 * it in (llama.cpp's CUDA MMQ kernels multiply block-quantized weights in INT8, PRs #7676 and #7860; F16/BF16
 * weights go to FP16/BF16 GEMMs).
 */
enum KernelClass {
    /** F32, BF16 (and integer or F64 tensors): FP16/BF16 GEMMs that accumulate in FP32. */
    FLOAT,
    /**
     * F16: under CUDA and ROCm, cuBLAS/hipBLAS GEMMs that accumulate in FP16 (llama.cpp's ggml-cuda.cu,
     * {@code ggml_cuda_mul_mat_cublas}: {@code CUBLAS_COMPUTE_16F} for F16 weights on every GPU with fast FP16; BF16
     * and F32 weights take {@code CUBLAS_COMPUTE_32F}).
     */
    HALF,
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
            case F16:
                return HALF;
            default:
                return t.isBlockQuantized() ? BLOCK_QUANT : FLOAT;
        }
    }

    /**
     * Returns the dense peak this kernel reaches in a precision on a device. F16 GEMMs under CUDA and ROCm run at the
     * FP16-accumulate rate, which NVIDIA's datasheets put at half the INT8 rate on every tensor-core generation
     * (Ampere GA102 whitepaper, appendix A: RTX 3090 FP16 with FP16 accumulate 142 TFLOPS, INT8 284 TOPS; Ada
     * whitepaper: RTX 4090 330.3 and 660.6); {@link Precision#FP16} states the FP32-accumulate rate, half of it on
     * GeForce cards. Where INT8 / 2 does not exceed the FP16 figure (datacenter and workstation parts, AMD), the FP16
     * figure stands.
     */
    OptionalDouble denseTflops(Device device, Precision precision) {
        OptionalDouble stated = device.denseTflops(precision);
        Backend backend = device.backend();
        if (this != HALF || precision != Precision.FP16 || backend != Backend.CUDA && backend != Backend.ROCM) {
            return stated;
        }
        OptionalDouble int8 = device.denseTflops(Precision.INT8);
        if (stated.isEmpty() || int8.isEmpty()) {
            return stated;
        }
        return OptionalDouble.of(Math.max(stated.getAsDouble(), int8.getAsDouble() / 2));
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
