package io.github.llmestimator.examples.machine;

import java.util.Objects;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * A GPU as a vendor's tool names it.
 *
 * @param name the product name as printed, such as {@code "NVIDIA GeForce RTX 4090"} or {@code "Apple M2 Ultra"}
 * @param memoryBytes its own memory, or empty when the tool does not state it (unified memory)
 * @param cores GPU cores as printed (Apple), or empty
 * @param source the tool that said so
 */
public record DetectedGpu(String name, OptionalLong memoryBytes, OptionalInt cores, String source) {

    /**
     * Validates the components.
     *
     * @param name the product name
     * @param memoryBytes its memory, or empty
     * @param cores GPU cores, or empty
     * @param source the tool that said so
     * @throws NullPointerException if a component is null
     * @throws IllegalArgumentException if the name is blank or the memory is not positive
     */
    public DetectedGpu {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(memoryBytes, "memoryBytes");
        Objects.requireNonNull(cores, "cores");
        Objects.requireNonNull(source, "source");
        if (name.isBlank()) {
            throw new IllegalArgumentException("GPU name: blank (expected: the product name the tool prints)");
        }
        if (memoryBytes.isPresent() && memoryBytes.getAsLong() < 1) {
            throw new IllegalArgumentException("GPU memory: " + memoryBytes.getAsLong() + " bytes (expected: > 0)");
        }
    }
}
