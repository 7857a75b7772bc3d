package io.github.llmestimator.hardware;

import io.github.llmestimator.internal.Checks;

/**
 * The CPU of a system-RAM or unified-memory device, as its datasheet describes it: cores, hardware threads, the memory
 * it reads, its NUMA layout and the peak FP32 rate of one core.
 *
 * <p><b>Cores.</b> A hybrid part has performance cores and efficiency cores (Intel's P and E cores, Apple's P and E
 * clusters); others have only performance cores. The per-core rate describes a performance core: llama.cpp sizes its
 * default thread count on them (common/common.cpp, {@code cpu_get_num_math()}: on a hybrid Intel part it leaves out the
 * E cores) because a matrix product split evenly over threads waits for the slowest one.
 *
 * <p><b>Memory.</b> {@code memoryChannels} counts 64-bit-wide channels, so that the peak bandwidth is
 * {@code memoryChannels × memoryMTps × 8 B} ({@link #memoryBandwidthGBps()}). A DDR5 DIMM's two 32-bit subchannels make
 * one such channel; a 256-bit LPDDR5X bus makes four.
 *
 * <p><b>Per-core FP32 rate</b> ({@link #fp32GflopsPerCore()}) is DERIVED, never a datasheet figure: {@code clockGHz ×
 * fp32FlopsPerCycle}, where
 * <ul>
 *   <li>{@code clockGHz} is the datasheet's base clock for parts whose maker publishes one (the clock guaranteed with
 *       all cores loaded at the rated power), else the only clock published (Apple's and Arm's maximum);</li>
 *   <li>{@code fp32FlopsPerCycle} = FMA pipes × FP32 lanes per pipe × 2 (an FMA is a multiply and an add) of the
 *       widest vector instructions the core runs at full rate: two 256-bit AVX2 FMA pipes = 2 × 8 × 2 = 32 (Intel
 *       Raptor Cove and Lion Cove, AMD Zen 2 and 3); two 512-bit AVX-512 FMA pipes = 2 × 16 × 2 = 64 (Intel Sapphire
 *       Rapids and Granite Rapids Xeons, AMD Zen 5 with its full 512-bit data path); AVX-512 run as two 256-bit halves
 *       = 32 (AMD Zen 4); four 128-bit NEON FMA pipes = 4 × 4 × 2 = 32 (Apple M-series performance cores).</li>
 * </ul>
 * It is a peak: sustained clocks under AVX loads, memory stalls and the kernels' instruction mix lower what a matrix
 * product reaches.
 *
 * <p><b>NUMA nodes</b> are those of the whole system as shipped, with the firmware's defaults (an EPYC at NPS1 is one
 * node per socket; a Xeon with sub-NUMA clustering on by default is several).
 *
 * @param performanceCores the performance cores of the whole system (every socket), at least 1
 * @param efficiencyCores the efficiency cores, at least 0 (0 on a part that has none)
 * @param hardwareThreads the hardware threads of all cores, 1 to 8 per physical core
 * @param memoryChannels the 64-bit-wide memory channels the CPU reads (all sockets), at least 1
 * @param memoryMTps the memory's transfer rate in MT/s (millions of transfers per second), at least 1
 * @param numaNodes the NUMA nodes of the system as shipped, 1 to {@link #physicalCores()}
 * @param clockGHz the clock of a performance core the per-core rate assumes, in GHz, finite and positive
 * @param fp32FlopsPerCycle the FP32 operations one performance core completes per cycle at peak, at least 1
 */
public record CpuTopology(int performanceCores, int efficiencyCores, int hardwareThreads, int memoryChannels,
        int memoryMTps, int numaNodes, double clockGHz, int fp32FlopsPerCycle) {

    /** The most hardware threads any core runs: IBM POWER's SMT8; x86 and Arm parts run 1 or 2. */
    private static final int MAX_THREADS_PER_CORE = 8;

    /**
     * Validates the components.
     *
     * @param performanceCores the performance cores of the whole system (every socket), at least 1
     * @param efficiencyCores the efficiency cores, at least 0 (0 on a part that has none)
     * @param hardwareThreads the hardware threads of all cores, 1 to 8 per physical core
     * @param memoryChannels the 64-bit-wide memory channels the CPU reads (all sockets), at least 1
     * @param memoryMTps the memory's transfer rate in MT/s (millions of transfers per second), at least 1
     * @param numaNodes the NUMA nodes of the system as shipped, 1 to {@code performanceCores + efficiencyCores}
     * @param clockGHz the clock of a performance core the per-core rate assumes, in GHz, finite and positive
     * @param fp32FlopsPerCycle the FP32 operations one performance core completes per cycle at peak, at least 1
     * @throws IllegalArgumentException if a component is out of its range; the message names it and the range
     */
    public CpuTopology {
        Checks.atLeast("performanceCores", performanceCores, 1);
        Checks.atLeast("efficiencyCores", efficiencyCores, 0);
        long cores = (long) performanceCores + efficiencyCores;
        if (cores > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("efficiencyCores: " + efficiencyCores + " (expected: performanceCores + "
                    + "efficiencyCores at most " + Integer.MAX_VALUE + ")");
        }
        if (hardwareThreads < cores || hardwareThreads > MAX_THREADS_PER_CORE * cores) {
            throw new IllegalArgumentException("hardwareThreads: " + hardwareThreads + " (expected: 1 to "
                    + MAX_THREADS_PER_CORE + " per physical core, performanceCores + efficiencyCores = " + cores + ")");
        }
        Checks.atLeast("memoryChannels", memoryChannels, 1);
        Checks.atLeast("memoryMTps", memoryMTps, 1);
        if (numaNodes < 1 || numaNodes > cores) {
            throw new IllegalArgumentException("numaNodes: " + numaNodes + " (expected: 1 to the physical cores,"
                    + " performanceCores + efficiencyCores = " + cores + ")");
        }
        Checks.positiveFinite("clockGHz", clockGHz, " GHz");
        Checks.atLeast("fp32FlopsPerCycle", fp32FlopsPerCycle, 1);
    }

    /**
     * Returns all physical cores.
     *
     * @return {@code performanceCores + efficiencyCores}
     */
    public int physicalCores() {
        return performanceCores + efficiencyCores;
    }

    /**
     * Returns the peak FP32 rate of one performance core, DERIVED as {@code clockGHz × fp32FlopsPerCycle}.
     *
     * @return GFLOP/s (10^9 FP32 operations per second)
     */
    public double fp32GflopsPerCore() {
        return clockGHz * fp32FlopsPerCycle;
    }

    /**
     * Returns the peak bandwidth of the memory the CPU reads, DERIVED as {@code memoryChannels × memoryMTps × 8 B}.
     *
     * @return GB/s (10^9 B/s)
     */
    public double memoryBandwidthGBps() {
        return memoryChannels * (double) memoryMTps * 8 / 1000;
    }
}
