package io.github.llmestimator.throughput;

import io.github.llmestimator.hardware.DeviceKind;
import io.github.llmestimator.hardware.Precision;

/**
 * The achieved fractions of datasheet peaks, each as {@code {low, expected, high}} (low = slow), the runtime's fixed
 * time per layer and decoded token, and where each comes from. Estimates use the expected value; the low and high
 * values bound them ({@link DecodeSpeed#lowTokensPerSecond()}, {@link DecodeSpeed#highTokensPerSecond()}).
 *
 * <p>Decode takes {@code bytes read / (efficiency x peak bandwidth) + layers x time per layer} on each device. The
 * GPU and Apple constants are fitted on catalog-data's published-speeds.tsv (722 published llama-bench rows with their
 * links) by PublishedSpeedsTest, which prints in-sample and leave-one-source-out figures per device class.
 *
 * <p>This class holds constants only.
 */
final class Efficiency {

    static final int LOW = 0;
    static final int EXPECTED = 1;
    static final int HIGH = 2;
    static final int SCENARIOS = 3;

    /**
     * CPU with system RAM: not fitted, published-speeds.tsv has no CPU row with a stated memory speed and full thread
     * count. REFERENCE.md section 6.4: a Threadripper
     * 3970X (4-channel DDR4-3200) reached 76 %, a Raspberry Pi 5 84-91 % of its STREAM bandwidth; desktop dual-channel
     * 0.7-0.8, many-channel servers without NUMA tuning 0.4-0.6 [heuristic]. So 0.70, bounded by 0.40 and 0.80.
     */
    private static final double[] SYSTEM_RAM_MEMORY = {0.40, 0.70, 0.80};

    /**
     * Discrete GPU (llama.cpp CUDA, ROCm, Vulkan): the achieved fraction of peak bandwidth, fitted together with
     * {@link #DISCRETE_GPU_LAYER_SECONDS} on the 230 GPU decode rows of catalog-data's published-speeds.tsv by its
     * PublishedSpeedsTest: the pair that puts the most rows within 0.75-1.33 of their measurement. Low and high are the
     * 10th and 90th percentiles of the efficiency each row implies at that time per layer, so that about 80 % of rows
     * lie between the low and high estimates. Held out by source, the pair keeps 87 % of NVIDIA rows within 0.75-1.33.
     */
    private static final double[] DISCRETE_GPU_MEMORY = {0.44, 0.72, 0.90};

    /**
     * Unified memory (Apple silicon with Metal): fitted as {@link #DISCRETE_GPU_MEMORY}, with
     * {@link #UNIFIED_MEMORY_LAYER_SECONDS}, on the 121 Apple decode rows. The fixed time per layer is what a pure
     * bandwidth model lacked: the two-die Ultra chips with small types were 1.4-1.8x too fast with one efficiency.
     */
    private static final double[] UNIFIED_MEMORY_MEMORY = {0.49, 0.68, 0.87};

    /**
     * GPU FP16/BF16 GEMMs (llama.cpp dequantize + cuBLAS, and Metal for every type) [heuristic, not fitted]: prompt
     * processing of LLaMA 2 7B (2 x 6.74 GFLOP per token) in the December 2023 XiongjieDai tables (commit 00dd2bd): RTX
     * 4090 F16 7349 t/s = 99 TFLOPS = 0.60 of 165.2; RTX 3090 F16 3075 t/s = 0.58 of 71; M2 Ultra 76-core Q4_0 1217 t/s
     * = 0.60 and F16 1380 t/s = 0.68 of 27.2; M1 Max pp512 about 0.68 (REFERENCE.md 6.4); but A100 F16 0.22 and
     * H100 PCIe 0.13, so datacenter parts bound the low value.
     */
    private static final double[] GPU_FP16 = {0.20, 0.60, 0.70};

    /**
     * GPU INT8 (llama.cpp's MMQ kernels on tensor cores, PRs #7676 and #7860) [heuristic]: RTX 4090 Llama-3-8B Q5_0
     * pp2048 about 5700 t/s = 83 TFLOPS = 0.126 of 660.6 TOPS (PR #7716); RTX 3090 Q5_1 pp512 about 3490 t/s = 49
     * TFLOPS = 0.17 of about 284 TOPS (PR #7676) (REFERENCE.md 6.4).
     */
    private static final double[] GPU_INT8 = {0.10, 0.15, 0.25};

    /** GPU FP8 GEMMs [heuristic, no measurement in the reference]: half of peak, bounded by 0.3 and 0.7. */
    private static final double[] GPU_FP8 = {0.30, 0.50, 0.70};

    /** GPU FP4 GEMMs [heuristic, no measurement in the reference]: 0.35 of peak, bounded by 0.2 and 0.5. */
    private static final double[] GPU_FP4 = {0.20, 0.35, 0.50};

    /** CPU matrix units (AVX/VNNI/AMX) in any precision [heuristic, no measurement in the reference]. */
    private static final double[] CPU_ANY = {0.30, 0.50, 0.70};

    /**
     * PCIe transfers of system-RAM weights to the GPU: practical 75-85 % of the theoretical rate (REFERENCE.md section
     * 6.3, marked unverified there).
     */
    private static final double[] HOST_LINK = {0.75, 0.80, 0.85};

    /**
     * The fixed time per layer and decoded token on a discrete GPU (kernel launches and synchronisation; CUDA, ROCm,
     * Vulkan), fitted with {@link #DISCRETE_GPU_MEMORY} on the GPU rows of catalog-data's published-speeds.tsv (230
     * llama-bench tg rows, 14 sources: the CUDA, ROCm and Vulkan scoreboards, XiongjieDai's single- and multi-GPU
     * tables, pull-request benchmarks of dense and MoE models) by its PublishedSpeedsTest, which prints the fit and the
     * held-out figures: 49 us per layer makes 7B models on datacenter parts as slow as measured while leaving 70B
     * models bandwidth-bound.
     */
    private static final double DISCRETE_GPU_LAYER_SECONDS = 49e-6;

    /**
     * The fixed time per layer and decoded token on unified memory (Metal), fitted with {@link #UNIFIED_MEMORY_MEMORY}
     * on the 121 Apple tg rows of published-speeds.tsv (discussion #4167's chips M1 to M4 Ultra, llama.cpp's own
     * M2 Ultra benchmarks of dense and MoE models, XiongjieDai's Macs): 80 us per layer.
     */
    private static final double UNIFIED_MEMORY_LAYER_SECONDS = 80e-6;

    private Efficiency() {
    }

    /**
     * The fixed time per layer and decoded token on a CPU [heuristic, not fitted: no published row measures it]: the
     * GPU's, so that moving a layer from a GPU to the CPU never saves its fixed time (ggml's CPU graph synchronises
     * its threads after every operation, tens of operations per layer, which costs the same order as a GPU's launches).
     */
    private static final double SYSTEM_RAM_LAYER_SECONDS = DISCRETE_GPU_LAYER_SECONDS;

    /** Returns the fixed time per layer and decoded token. */
    static double layerSeconds(DeviceKind kind) {
        switch (kind) {
            case DISCRETE_GPU:
                return DISCRETE_GPU_LAYER_SECONDS;
            case UNIFIED_MEMORY:
                return UNIFIED_MEMORY_LAYER_SECONDS;
            default:
                return SYSTEM_RAM_LAYER_SECONDS;
        }
    }

    /** Returns the achieved fraction of peak memory bandwidth. */
    static double memory(DeviceKind kind, int scenario) {
        switch (kind) {
            case SYSTEM_RAM:
                return SYSTEM_RAM_MEMORY[scenario];
            case DISCRETE_GPU:
                return DISCRETE_GPU_MEMORY[scenario];
            default:
                return UNIFIED_MEMORY_MEMORY[scenario];
        }
    }

    /** Returns the achieved fraction of dense peak throughput in a precision. */
    static double compute(DeviceKind kind, Precision precision, int scenario) {
        if (kind == DeviceKind.SYSTEM_RAM) {
            return CPU_ANY[scenario];
        }
        switch (precision) {
            case INT8:
                return GPU_INT8[scenario];
            case FP8:
                return GPU_FP8[scenario];
            case FP4:
                return GPU_FP4[scenario];
            default:
                return GPU_FP16[scenario];
        }
    }

    /** Returns the achieved fraction of the theoretical host-link rate. */
    static double hostLink(int scenario) {
        return HOST_LINK[scenario];
    }
}
