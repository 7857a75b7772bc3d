package io.github.llmestimator.examples.machine;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * What detection found on this machine: every fact with its source, the GPUs the vendors' tools list, the Apple chip
 * if any, and the figures the estimates use.
 *
 * @param facts every fact, known or not, in the order they were read; an immutable list
 * @param gpus the GPUs nvidia-smi, rocm-smi or system_profiler listed; an immutable list, empty for none
 * @param memoryBytes the installed memory the operating system reports, or empty
 * @param ramPeakBandwidthGBps the RAM's peak bandwidth from its channels and speed (dmidecode), or empty
 * @param logicalCpus the hardware threads, at least 1
 * @param appleChip the Apple silicon chip name, such as {@code "Apple M2 Ultra"}, or empty
 */
public record Machine(List<Fact> facts, List<DetectedGpu> gpus, OptionalLong memoryBytes,
        OptionalDouble ramPeakBandwidthGBps, int logicalCpus, Optional<String> appleChip) {

    /**
     * Copies the lists.
     *
     * @param facts every fact
     * @param gpus the GPUs
     * @param memoryBytes the installed memory, or empty
     * @param ramPeakBandwidthGBps the RAM's peak bandwidth, or empty
     * @param logicalCpus the hardware threads
     * @param appleChip the Apple chip name, or empty
     * @throws NullPointerException if a component is null
     * @throws IllegalArgumentException if {@code logicalCpus} is below 1
     */
    public Machine {
        facts = List.copyOf(facts);
        gpus = List.copyOf(gpus);
        Objects.requireNonNull(memoryBytes, "memoryBytes");
        Objects.requireNonNull(ramPeakBandwidthGBps, "ramPeakBandwidthGBps");
        Objects.requireNonNull(appleChip, "appleChip");
        if (logicalCpus < 1) {
            throw new IllegalArgumentException("logicalCpus: " + logicalCpus + " (expected: >= 1)");
        }
    }

    /**
     * Returns the GPU cores system_profiler reported for the Apple chip.
     *
     * @return the cores, or empty
     */
    public OptionalInt appleGpuCores() {
        for (DetectedGpu gpu : gpus) {
            if (gpu.cores().isPresent()) {
                return gpu.cores();
            }
        }
        return OptionalInt.empty();
    }
}
