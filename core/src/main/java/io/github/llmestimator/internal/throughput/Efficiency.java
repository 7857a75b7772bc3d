package io.github.llmestimator.internal.throughput;

import io.github.llmestimator.hardware.Backend;
import io.github.llmestimator.hardware.Calibration;
import io.github.llmestimator.hardware.CpuTopology;
import io.github.llmestimator.hardware.Device;
import io.github.llmestimator.hardware.Precision;
import io.github.llmestimator.throughput.DecodeSpeed;

/**
 * The achieved fractions of datasheet peaks, each as {@code {low, expected, high}} (low = slow), the runtime's fixed
 * time per layer and decoded token, and where each comes from. Estimates use the expected value; the low and high
 * values bound them ({@link DecodeSpeed#lowTokensPerSecond()}, {@link DecodeSpeed#highTokensPerSecond()}).
 *
 * <p>Decode takes {@code bytes read / (efficiency x peak bandwidth) + layers x time per layer} on each device. The
 * constants are kept per llama.cpp backend family ({@link Backend}: the CPU, CUDA/ROCm/Vulkan, Metal), since the kernels
 * and not the memory decide them; the GPU and Metal ones are fitted on catalog-data's published-speeds.tsv (866
 * published llama-bench rows with their links) by PublishedSpeedsTest, which prints in-sample and leave-one-source-out
 * figures per device class.
 *
 * <p>A device with a {@link Calibration} (fitted on its own runs) uses the calibration's efficiencies and time per
 * layer instead; its compute factor multiplies the backend's compute fractions.
 *
 * <p>This class holds constants only.
 */
final class Efficiency {

    static final int LOW = 0;
    static final int EXPECTED = 1;
    static final int HIGH = 2;
    static final int SCENARIOS = 3;

    /**
     * The CPU backend on system RAM: fitted with {@link #CPU_WEIGHTS_PER_CYCLE} by PublishedSpeedsTest on the 10
     * CPU-only decode rows of catalog-data's published-speeds.tsv whose sources state the memory and the CPU (6
     * sources: a Ryzen 9 7950X, EPYC 9554, 9374F and 9355, two EPYC 9175F sockets, a Xeon 8480), with the time per
     * layer held at the GPU backends' (too few rows to fit both): 0.75 of peak. Low and high: the 10th and 90th
     * percentiles of the efficiency the rows imply, 0.48 and 0.89. With the cores' limit the rows' median is 1.02 and
     * all lie within 0.75-1.33 (without it, mixtures of experts on 12-channel servers came out 1.41-1.49x too fast);
     * held out by source the median is 1.10.
     */
    private static final double[] CPU_MEMORY = {0.48, 0.75, 0.89};

    /**
     * GPUs under CUDA, ROCm or Vulkan (discrete, and unified-memory parts that run them: DGX Spark, Strix Halo): the
     * achieved fraction of peak bandwidth, fitted together with {@link #GPU_LAYER_SECONDS} and {@link #GPU_HBM} on the
     * 281 decode rows under these backends in catalog-data's published-speeds.tsv by its PublishedSpeedsTest (most rows
     * within 0.75-1.33 of their measurement, then within 0.85-1.18). Low and high are the 10th and 90th percentiles of
     * the efficiency each row implies at that time per layer, so that about 80 % of rows lie between the low and high
     * estimates. Held out by source: 96 % of NVIDIA, 94 % of multi-GPU, 86 % of mixture-of-experts and all AMD/Intel
     * and Spark/Strix Halo rows within 0.75-1.33.
     */
    private static final double[] GPU_MEMORY = {0.65, 0.78, 0.99};

    /**
     * The share of {@link #GPU_MEMORY} that HBM parts reach (A100, H100, AMD Instinct): a decoded token's
     * matrix-vector products keep too few requests in flight for stacked memory's wide, high-latency interface, so the
     * datacenter parts came out 1.45-1.7x too fast with the fraction the GDDR cards reach (7B-8B models on A100 and
     * H100 in XiongjieDai's tables, MI50 to MI210 in the ROCm scoreboard, llama.cpp discussion #15021). Fitted with
     * {@link #GPU_MEMORY} and {@link #GPU_LAYER_SECONDS} by PublishedSpeedsTest.
     */
    static final double GPU_HBM = 0.68;

    /**
     * Apple silicon with Metal: fitted as {@link #GPU_MEMORY}, with {@link #METAL_LAYER_SECONDS} and
     * {@link #METAL_EXPERT_LAYER_SECONDS}, on the 123 Apple decode rows (106 dense, 17 mixture-of-experts; 5
     * sources). The fixed times are what a pure bandwidth model lacked: the two-die Ultra chips with small types were
     * 1.4-1.8x too fast with one efficiency, mixtures of experts 1.3x. Held out by source: 95 % of dense rows (median
     * 0.93) and 94 % of mixture-of-experts rows (median 1.01) within 0.75-1.33. These constants belong to the backend,
     * not to unified memory: with them, DGX Spark and Strix Halo (CUDA, Vulkan, ROCm) came out 0.74x their
     * measurements.
     */
    private static final double[] METAL_MEMORY = {0.70, 0.81, 0.94};

    /**
     * GPU GEMMs under CUDA, ROCm and Vulkan as a fraction of the dense FP16 rate they run at (for F16 weights under
     * CUDA and ROCm the FP16-accumulate rate, {@link KernelClass#HALF}; block types without INT8 kernels are first
     * copied to F16, a memory pass of their own), and with {@link #GPU_INT8} for llama.cpp's MMQ kernels: fitted by
     * catalog-data's PublishedSpeedsTest on the 243 GPU prefill rows of published-speeds.tsv whose device states its
     * throughput (test device-throughput.tsv), rows of builds before llama.cpp PR #8075 run as those builds did
     * (block types through cuBLAS). Held out by source, 81 % of them lie within 0.67-1.5. Low and high: the 10th and
     * 90th percentiles of the efficiency the rows imply.
     */
    private static final double[] GPU_FP16 = {0.22, 0.377, 0.52};

    /**
     * Metal's matrix-matrix kernels ({@code kernel_mul_mm} in ggml-metal.metal, every weight type dequantized into
     * threadgroup memory and multiplied in FP16/FP32) as a fraction of the GPU's FP32 rate, fitted as {@link #GPU_FP16}
     * on the 101 Apple prefill rows (discussion #4167's M1 to M4 chips, XiongjieDai's Macs): held out by source, 99 %
     * within 0.67-1.5.
     */
    private static final double[] METAL_COMPUTE = {0.59, 0.64, 0.75};

    /**
     * GPU INT8: llama.cpp's MMQ kernels (INT8 MMA on tensor cores, PRs #7676 and #7860) reach about the rate cuBLAS
     * reaches with F16 weights, half their INT8 peak times {@link #GPU_FP16}: RTX 4090 LLaMA 2 7B Q4_0 pp512 11993 t/s
     * x 2 x 6.61 G matrix weights = 159 TOPS = 0.48 of 660.6 / 2 (llama.cpp discussion #15013) against F16 9382 t/s for
     * LLaMA 3 8B x 2 x 7.50 G = 141 TFLOPS = 0.43 of the FP16-accumulate 330.3 (XiongjieDai's tables); RTX 3090 0.48
     * against 0.47. One constant then serves both, fitted on the rows of both kernels.
     */
    private static final double[] GPU_INT8 = {GPU_FP16[0] / 2, GPU_FP16[1] / 2, GPU_FP16[2] / 2};

    /** GPU FP8 GEMMs [heuristic, no measurement in the reference]: half of peak, bounded by 0.3 and 0.7. */
    private static final double[] GPU_FP8 = {0.30, 0.50, 0.70};

    /** GPU FP4 GEMMs [heuristic, no measurement in the reference]: 0.35 of peak, bounded by 0.2 and 0.5. */
    private static final double[] GPU_FP4 = {0.20, 0.35, 0.50};

    /** CPU matrix units (AVX/VNNI/AMX) in any precision [heuristic, no measurement in the reference]. */
    private static final double[] CPU_ANY = {0.30, 0.50, 0.70};

    /**
     * PCIe transfers of system-RAM weights to the GPU: practical 75-85 % of the theoretical rate [heuristic,
     * unverified: no published row isolates it].
     */
    private static final double[] HOST_LINK = {0.75, 0.80, 0.85};

    /**
     * The fixed time per layer and decoded token under CUDA, ROCm and Vulkan (kernel launches and synchronisation),
     * fitted with {@link #GPU_MEMORY} on the GPU rows of catalog-data's published-speeds.tsv (281 llama-bench
     * tg rows: the CUDA, ROCm and Vulkan scoreboards, XiongjieDai's single- and multi-GPU tables, pull-request
     * benchmarks of dense and MoE models, DGX Spark and Strix Halo) by its PublishedSpeedsTest, which prints the fit
     * and the held-out figures: 62 us per layer makes 7B models as slow as measured while leaving 70B models
     * bandwidth-bound.
     */
    private static final double GPU_LAYER_SECONDS = 62e-6;

    /**
     * The fixed time per layer and decoded token under Metal, fitted with {@link #METAL_MEMORY}
     * on the Apple tg rows of published-speeds.tsv (discussion #4167's chips M1 to M4 Ultra, llama.cpp's own M2 Ultra
     * benchmarks of dense and MoE models, XiongjieDai's Macs, two MoE posts): 142 us per layer.
     */
    private static final double METAL_LAYER_SECONDS = 142e-6;

    /**
     * The further time per layer of routed experts and decoded token under Metal (choosing and dispatching the experts
     * in use), fitted with {@link #METAL_LAYER_SECONDS}: 45 us. On discrete GPUs the fit gives 0.
     */
    private static final double METAL_EXPERT_LAYER_SECONDS = 45e-6;

    /**
     * A token's round trip to a device that holds part of a layer without running it (the routed experts of
     * {@code --n-cpu-moe} layers in system RAM), 236 us, fitted on the 18 experts-in-RAM decode rows of
     * published-speeds.tsv (7 sources: GPU plus {@code --n-cpu-moe} or {@code -ot exps=CPU} on dual-channel desktops,
     * an 8-channel Threadripper PRO, 8-channel DDR4 and 12-channel DDR5 EPYCs) with the CPU's constants as fitted on
     * CPU-only rows; held out by source, all 18 lie within 0.75-1.33 (median 1.11). The scheduler's split costs two
     * activation copies and two synchronisations, and the CPU threads meet at a barrier after each of the expert
     * operations.
     */
    static final double VISIT_SECONDS = 236e-6;

    /**
     * Weights one CPU core multiplies per clock cycle while decoding, {low, expected, high}, for a CPU whose
     * {@link CpuTopology} is known: llama.cpp's CPU matrix-vector kernels (ggml/src/ggml-cpu, the {@code vec_dot} of
     * each type) unpack and multiply every weight once per token, so a step also takes at least
     * {@code weights / (cores x base clock x this)}, whatever the memory could deliver. Fitted with
     * {@link #CPU_MEMORY}'s efficiency on the CPU-only decode rows of catalog-data's published-speeds.tsv whose
     * sources name the CPU (PublishedSpeedsTest, which prints the fit): mixtures of experts on 12-channel EPYC
     * servers read their experts at 0.44 of the channels' peak, bound by their 28-32 cores (the two rows imply 3.05
     * and 3.4), while dense models on 64 cores and desktops with two channels stay bound by memory: 3.0. Low and high
     * [heuristic]: half a weight either side.
     */
    private static final double[] CPU_WEIGHTS_PER_CYCLE = {2.5, 3.0, 3.5};

    private Efficiency() {
    }

    /**
     * The fixed time per layer and decoded token on a CPU [heuristic, not fitted: no published row measures it]: the
     * GPU's, so that moving a layer from a GPU to the CPU never saves its fixed time (ggml's CPU graph synchronises
     * its threads after every operation, tens of operations per layer, which costs the same order as a GPU's launches).
     */
    private static final double CPU_LAYER_SECONDS = GPU_LAYER_SECONDS;

    /** Returns the further fixed time per layer of routed experts and decoded token. */
    static double expertLayerSeconds(Backend backend) {
        return backend == Backend.METAL ? METAL_EXPERT_LAYER_SECONDS : 0;
    }

    /** Returns the fixed time per layer and decoded token. */
    static double layerSeconds(Backend backend) {
        switch (backend) {
            case CPU:
                return CPU_LAYER_SECONDS;
            case METAL:
                return METAL_LAYER_SECONDS;
            default:
                return GPU_LAYER_SECONDS;
        }
    }

    /** Returns the achieved fraction of peak memory bandwidth. */
    static double memory(Backend backend, int scenario) {
        switch (backend) {
            case CPU:
                return CPU_MEMORY[scenario];
            case METAL:
                return METAL_MEMORY[scenario];
            default:
                return GPU_MEMORY[scenario];
        }
    }

    /** Returns the achieved fraction of dense peak throughput in a precision. */
    static double compute(Backend backend, Precision precision, int scenario) {
        if (backend == Backend.CPU) {
            return CPU_ANY[scenario];
        }
        if (backend == Backend.METAL) {
            return METAL_COMPUTE[scenario];
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

    /** Returns the fixed time per layer and decoded token on a device: its calibration's, else its backend's. */
    static double layerSeconds(Device device) {
        return device.calibration().map(Calibration::layerSeconds).orElseGet(() -> layerSeconds(device.backend()));
    }

    /** Returns the further time per layer of routed experts on a device: none once calibrated (the fit holds it). */
    static double expertLayerSeconds(Device device) {
        return device.calibration().isPresent() ? 0 : expertLayerSeconds(device.backend());
    }

    /**
     * Returns the achieved fraction of peak memory bandwidth on a device: its calibration's, else its backend's, times
     * {@link #GPU_HBM} for HBM under the GPU backends.
     */
    static double memory(Device device, int scenario) {
        if (device.calibration().isPresent()) {
            return device.calibration().get().memoryEfficiency(scenario);
        }
        Backend backend = device.backend();
        boolean gpu = backend != Backend.CPU && backend != Backend.METAL;
        return memory(backend, scenario) * (gpu && device.highBandwidthMemory() ? GPU_HBM : 1);
    }

    /** Returns the achieved fraction of dense peak compute on a device: its backend's, times a calibrated factor. */
    static double compute(Device device, Precision precision, int scenario) {
        double factor = device.calibration().map(c -> c.computeFactor().orElse(1.0)).orElse(1.0);
        return compute(device.backend(), precision, scenario) * factor;
    }

    /**
     * Returns the weights a device's CPU multiplies per second while decoding: its performance cores (llama.cpp's
     * default thread count) at their base clock times {@link #CPU_WEIGHTS_PER_CYCLE}; infinite for a device that does
     * not run llama.cpp's CPU backend, states no {@link CpuTopology}, or is calibrated (its fit holds the limit).
     */
    static double cpuWeightsPerSecond(Device device, int scenario) {
        if (device.backend() != Backend.CPU || device.cpu().isEmpty() || device.calibration().isPresent()) {
            return Double.POSITIVE_INFINITY;
        }
        CpuTopology cpu = device.cpu().get();
        return cpu.performanceCores() * cpu.clockGHz() * 1e9 * CPU_WEIGHTS_PER_CYCLE[scenario];
    }

    /** Returns the achieved fraction of the theoretical host-link rate. */
    static double hostLink(int scenario) {
        return HOST_LINK[scenario];
    }
}
