package io.github.llmestimator.throughput;

import io.github.llmestimator.hardware.DeviceKind;
import io.github.llmestimator.hardware.Precision;

/**
 * The achieved fractions of datasheet peaks, each as {@code {low, expected, high}} (low = slow), and where each comes
 * from. Estimates use the expected value; the low and high values bound them ({@link DecodeSpeed#lowTokensPerSecond()},
 * {@link DecodeSpeed#highTokensPerSecond()}).
 *
 * <p>Memory bandwidth efficiencies are fitted on shared/validation/decode_throughput.tsv (53 rows, all LLaMA 2 7B in
 * Q4_0, Q8_0 or F16; as core/src/test/resources/io/github/llmestimator/throughput/published-decode-speeds.csv) by
 * PublishedDecodeSpeedsTest, which prints the table. Each row implies an efficiency, {@code measured tokens/s x bytes
 * per token / peak bandwidth}. The fit per kind is the efficiency that puts the most rows within 0.7-1.3 of their
 * measurement, and among those the one whose median ratio is nearest 1 (a consensus fit: the rows are not one
 * population, see below); low and high are the 10th and 90th percentiles of the implied efficiencies, rounded outwards,
 * so that about 80 % of rows lie between the low and high estimates (85 % do).
 *
 * <p>This class holds constants only.
 */
final class Efficiency {

    static final int LOW = 0;
    static final int EXPECTED = 1;
    static final int HIGH = 2;
    static final int SCENARIOS = 3;

    /**
     * CPU with system RAM: not fitted, decode_throughput.tsv has no CPU row. REFERENCE.md section 6.4: a Threadripper
     * 3970X (4-channel DDR4-3200) reached 76 %, a Raspberry Pi 5 84-91 % of its STREAM bandwidth; desktop dual-channel
     * 0.7-0.8, many-channel servers without NUMA tuning 0.4-0.6 [heuristic]. So 0.70, bounded by 0.40 and 0.80.
     */
    private static final double[] SYSTEM_RAM_MEMORY = {0.40, 0.70, 0.80};

    /**
     * Discrete GPU (llama.cpp CUDA and Vulkan): fitted on the 8 NVIDIA rows (RTX 4090 and 3090, Q4_0 tg128 on 2025
     * builds and Q4_0/F16 on a December 2023 build; bandwidth 1008 and 936 GB/s from the datasheets, as the rows state
     * none). Implied efficiencies 0.518-0.813, geometric mean 0.667; every efficiency from 0.57 to 0.673 puts all 8
     * rows within 0.7-1.3, and 0.67 gives the median ratio nearest 1 (0.984). Fit error: ratios 0.82-1.29
     * (worst: RTX 3090 Q4_0, Dec 2023 build, 1.29). Low 0.51, high 0.82. REFERENCE.md section 6.4 suggests 0.55-0.65.
     */
    private static final double[] DISCRETE_GPU_MEMORY = {0.51, 0.67, 0.82};

    /**
     * Unified memory (Apple silicon with Metal): fitted on the 45 Apple rows (M1 to M2 Ultra, Q4_0, Q8_0, F16,
     * llama-bench tg128, discussion #4167). Implied efficiencies 0.355-0.890, geometric mean 0.681, median 0.736: high
     * on small chips and large types (M2 10-core F16 0.89), low on the two-die Ultra chips with small types (M1 Ultra
     * 48-core Q4_0 0.355), the pattern of a fixed per-token overhead that a pure bandwidth model cannot express. The
     * most rows within 0.7-1.3 (41 of 45) come with efficiencies 0.623-0.638; 0.63 is taken (median ratio 0.857). Fit
     * error: ratios 0.71-1.78; outside 0.7-1.3 are the four Ultra Q4_0 rows (1.41-1.78). Low 0.49, high 0.85.
     * REFERENCE.md section 6.4 suggests 0.55-0.8.
     *
     * <p>All 53 rows with these two values: median ratio 0.894, 49 of 53 (92.5 %) within 0.7-1.3.
     */
    private static final double[] UNIFIED_MEMORY_MEMORY = {0.49, 0.63, 0.85};

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

    private Efficiency() {
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
