package io.github.llmestimator.catalog;

import io.github.llmestimator.hardware.Device;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A catalog device: datasheet figures as a core {@link Device}, with the source of each figure.
 *
 * @param id the stable lower-case id, such as {@code rtx-4090}
 * @param displayName the name people use
 * @param device the device, not null
 * @param sources the source of each figure, keyed {@code memory}, {@code bandwidth}, {@code compute},
 *     {@code hostLink}, {@code gpuMemoryFraction}, {@code power}, and for a device with a CPU {@code cpuCores},
 *     {@code cpuMemory}, {@code cpuNuma}, {@code cpuClock}, {@code cpuFlopsPerCycle}; only figures the device has
 *     are present
 * @param notes disputed or derived figures, the variant described; empty when there are none
 */
public record HardwarePreset(String id, String displayName, Device device, Map<String, String> sources, String notes) {

    /** The source keys a device with a CPU needs: one per fact of its {@code CpuTopology}. */
    private static final List<String> CPU_SOURCES =
            List.of("cpuCores", "cpuMemory", "cpuNuma", "cpuClock", "cpuFlopsPerCycle");

    /**
     * Validates the components.
     *
     * @param id the stable lower-case id, such as {@code rtx-4090}
     * @param displayName the name people use
     * @param device the device, not null
     * @param sources the source of each figure, keyed {@code memory}, {@code bandwidth}, {@code compute},
     *     {@code hostLink}, {@code gpuMemoryFraction}, {@code power}, and for a device with a CPU {@code cpuCores},
     *     {@code cpuMemory}, {@code cpuNuma}, {@code cpuClock}, {@code cpuFlopsPerCycle}; only figures the device has
     *     are present
     * @param notes disputed or derived figures, the variant described; empty when there are none
     * @throws NullPointerException if a component is null
     * @throws IllegalArgumentException if the id is not lower-case, or the memory, bandwidth or (where the device has
     *     them) power or CPU figures have no source
     */
    public HardwarePreset {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(displayName, "displayName");
        Objects.requireNonNull(device, "device");
        Objects.requireNonNull(notes, "notes");
        sources = Map.copyOf(Objects.requireNonNull(sources, "sources"));
        if (!id.matches("[a-z0-9][a-z0-9.\\-]*")) {
            throw new IllegalArgumentException("id: '" + id + "' (expected: lower-case letters, digits, '.' and '-')");
        }
        List<String> required = new ArrayList<>(List.of("memory", "bandwidth"));
        if (device.power().isPresent()) {
            required.add("power");
        }
        if (device.cpu().isPresent()) {
            required.addAll(CPU_SOURCES);
        }
        for (String figure : required) {
            String source = sources.get(figure);
            if (source == null || source.isBlank()) {
                throw new IllegalArgumentException("sources of " + id + ": no '" + figure
                        + "' source (expected: a URL or citation for every figure)");
            }
        }
    }

    @Override
    public String toString() {
        return id + " (" + displayName + ")";
    }
}
