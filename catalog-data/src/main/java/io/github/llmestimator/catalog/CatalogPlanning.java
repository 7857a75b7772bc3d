package io.github.llmestimator.catalog;

import io.github.llmestimator.Estimator;
import io.github.llmestimator.hardware.Device;
import io.github.llmestimator.planning.DecodeTarget;
import io.github.llmestimator.planning.HardwarePlan;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The planning solvers that need a list of devices, with the catalog's hardware as the list: the core module cannot see
 * the catalog, so its {@link HardwarePlan#of(Estimator, List)} takes the devices explicitly, and this class passes
 * {@link #devices()}.
 * <pre>{@code
 * HardwarePlan plan = CatalogPlanning.minimumHardware(
 *         Estimator.of(Models.LLAMA_3_1_70B).quant(QuantScheme.Q4_K_M).context(8192));
 * plan.device();        // the catalog device, e.g. two of them
 * plan.deviceCount();
 * }</pre>
 * System-RAM presets count at the capacity they state (a typical configuration); give
 * {@link HardwarePlan#of(Estimator, List)} a {@link Device#withMemoryBytes(long) resized} copy to plan with another.
 *
 * <p>This class is thread-safe; the plans it returns are immutable.
 */
public final class CatalogPlanning {

    private CatalogPlanning() {
    }

    /**
     * Returns the device of every hardware preset, in the order of the catalog's index.
     *
     * @return the devices, an immutable list
     * @throws IllegalStateException if a data file is missing or malformed (a packaging error)
     */
    public static List<Device> devices() {
        List<Device> devices = new ArrayList<>();
        for (HardwarePreset preset : Catalog.hardware()) {
            devices.add(preset.device());
        }
        return List.copyOf(devices);
    }

    /**
     * Finds the catalog configuration with the least installed memory that runs the estimator's model; the same as
     * {@code HardwarePlan.of(estimator, devices())}.
     *
     * @param estimator a scheme chosen, not null
     * @return the plan; when nothing in the catalog fits, a plan that says by how much
     * @throws NullPointerException if {@code estimator} is null
     * @throws IllegalStateException if the estimator has no scheme, or its settings do not work together
     */
    public static HardwarePlan minimumHardware(Estimator estimator) {
        return HardwarePlan.of(Objects.requireNonNull(estimator, "estimator"), devices());
    }

    /**
     * Finds the catalog configuration with the least installed memory that runs the estimator's model at least as fast
     * as a target at the end of the context; the same as {@code HardwarePlan.of(estimator, devices(), target)}.
     *
     * @param estimator a scheme chosen, not null
     * @param target the minimum decode speed per sequence, not null
     * @return the plan; when nothing in the catalog is fast enough, a plan that says how fast the best is
     * @throws NullPointerException if an argument is null
     * @throws IllegalStateException if the estimator has no scheme, or its settings do not work together
     */
    public static HardwarePlan minimumHardware(Estimator estimator, DecodeTarget target) {
        return HardwarePlan.of(Objects.requireNonNull(estimator, "estimator"), devices(),
                Objects.requireNonNull(target, "target"));
    }
}
