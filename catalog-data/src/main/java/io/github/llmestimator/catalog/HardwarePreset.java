package io.github.llmestimator.catalog;

import io.github.llmestimator.hardware.Device;
import java.util.Map;
import java.util.Objects;

/**
 * A catalog device: datasheet figures as a core {@link Device}, with the source of each figure.
 *
 * @param id the stable lower-case id, such as {@code rtx-4090}
 * @param displayName the name people use
 * @param device the device, not null
 * @param sources the source of each figure, keyed {@code memory}, {@code bandwidth}, {@code compute},
 *     {@code hostLink}, {@code gpuMemoryFraction}, {@code power}; only figures the device has are present
 * @param notes disputed or derived figures, the variant described; empty when there are none
 */
public record HardwarePreset(String id, String displayName, Device device, Map<String, String> sources, String notes) {

    /**
     * Validates the components.
     *
     * @param id the stable lower-case id, such as {@code rtx-4090}
     * @param displayName the name people use
     * @param device the device, not null
     * @param sources the source of each figure, keyed {@code memory}, {@code bandwidth}, {@code compute},
     *     {@code hostLink}, {@code gpuMemoryFraction}, {@code power}; only figures the device has are present
     * @param notes disputed or derived figures, the variant described; empty when there are none
     * @throws NullPointerException if a component is null
     * @throws IllegalArgumentException if the id is not lower-case, or the memory, bandwidth or (where the device has
     *     one) power figure has no source
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
        for (String figure : device.power().isPresent() ? new String[] {"memory", "bandwidth", "power"}
                : new String[] {"memory", "bandwidth"}) {
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
