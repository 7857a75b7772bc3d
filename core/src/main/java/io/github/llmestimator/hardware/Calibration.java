package io.github.llmestimator.hardware;

import io.github.llmestimator.internal.Checks;
import java.util.Objects;
import java.util.OptionalDouble;

/**
 * The speed-model parameters of one device fitted on its own measured runs (llama-bench rows), which replace the
 * llama.cpp backend's defaults for that device: the achieved fraction of peak memory bandwidth
 * {@code {low, expected, high}}, the fixed time per layer and decoded token, and optionally a factor on the backend's
 * achieved fractions of peak compute (prefill).
 *
 * <p>Decode then takes {@code bytes read / (memoryEfficiency x peak bandwidth) + layers x layerSeconds} on the device;
 * the backend's further time per layer of routed experts does not apply, the fitted time per layer holds it.
 *
 * @param lowMemoryEfficiency the lowest achieved fraction of peak bandwidth the runs imply, in (0, expected]
 * @param memoryEfficiency the fitted achieved fraction of peak bandwidth, finite and positive (above 1 only if the
 *     device's stated peak is too low)
 * @param highMemoryEfficiency the highest achieved fraction the runs imply, at least {@code memoryEfficiency}
 * @param layerSeconds the fixed time per layer and decoded token, in seconds, 0 or more and below 0.1
 * @param computeFactor the factor on the backend's achieved fractions of peak compute fitted on prompt-processing
 *     runs, finite and positive, or empty when no such run was fitted
 * @param runs the measured runs the calibration was fitted on, at least 1
 */
public record Calibration(double lowMemoryEfficiency, double memoryEfficiency, double highMemoryEfficiency,
        double layerSeconds, OptionalDouble computeFactor, int runs) {

    /** The longest fixed time per layer accepted: 100 ms, some thousand times any published fit. */
    private static final double MAX_LAYER_SECONDS = 0.1;

    /**
     * Validates the components.
     *
     * @param lowMemoryEfficiency the lowest achieved fraction of peak bandwidth the runs imply
     * @param memoryEfficiency the fitted achieved fraction of peak bandwidth
     * @param highMemoryEfficiency the highest achieved fraction the runs imply
     * @param layerSeconds the fixed time per layer and decoded token, in seconds
     * @param computeFactor the factor on the backend's achieved fractions of peak compute, or empty
     * @param runs the measured runs the calibration was fitted on
     * @throws NullPointerException if {@code computeFactor} is null
     * @throws IllegalArgumentException if an efficiency is not finite and positive, the efficiencies are not ordered
     *     {@code low <= expected <= high}, the time per layer is negative, NaN or 0.1 s or more, the compute factor is
     *     not finite and positive, or {@code runs} is below 1
     */
    public Calibration {
        Objects.requireNonNull(computeFactor, "computeFactor");
        Checks.positiveFinite("lowMemoryEfficiency", lowMemoryEfficiency, "");
        Checks.positiveFinite("memoryEfficiency", memoryEfficiency, "");
        Checks.positiveFinite("highMemoryEfficiency", highMemoryEfficiency, "");
        if (lowMemoryEfficiency > memoryEfficiency || memoryEfficiency > highMemoryEfficiency) {
            throw new IllegalArgumentException("memoryEfficiency: " + memoryEfficiency + " (expected: between"
                    + " lowMemoryEfficiency = " + lowMemoryEfficiency + " and highMemoryEfficiency = "
                    + highMemoryEfficiency + ")");
        }
        if (!(layerSeconds >= 0 && layerSeconds < MAX_LAYER_SECONDS)) {
            throw new IllegalArgumentException("layerSeconds: " + layerSeconds + " (expected: >= 0 and < "
                    + MAX_LAYER_SECONDS + " s)");
        }
        if (computeFactor.isPresent()) {
            Checks.positiveFinite("computeFactor", computeFactor.getAsDouble(), "");
        }
        Checks.atLeast("runs", runs, 1);
    }

    /**
     * Returns a calibration of decode only, with no compute factor.
     *
     * @param lowMemoryEfficiency the lowest achieved fraction of peak bandwidth the runs imply
     * @param memoryEfficiency the fitted achieved fraction of peak bandwidth
     * @param highMemoryEfficiency the highest achieved fraction the runs imply
     * @param layerSeconds the fixed time per layer and decoded token, in seconds
     * @param runs the measured runs the calibration was fitted on
     * @return the calibration
     * @throws IllegalArgumentException as the canonical constructor
     */
    public static Calibration ofDecode(double lowMemoryEfficiency, double memoryEfficiency,
            double highMemoryEfficiency, double layerSeconds, int runs) {
        return new Calibration(lowMemoryEfficiency, memoryEfficiency, highMemoryEfficiency, layerSeconds,
                OptionalDouble.empty(), runs);
    }

    /**
     * Returns the achieved fraction of peak bandwidth in one of three scenarios.
     *
     * @param scenario 0 for low, 1 for expected, 2 for high
     * @return the fraction
     * @throws IllegalArgumentException if {@code scenario} is not 0, 1 or 2
     */
    public double memoryEfficiency(int scenario) {
        switch (scenario) {
            case 0:
                return lowMemoryEfficiency;
            case 1:
                return memoryEfficiency;
            case 2:
                return highMemoryEfficiency;
            default:
                throw new IllegalArgumentException("scenario: " + scenario + " (expected: 0 low, 1 expected, 2 high)");
        }
    }
}
