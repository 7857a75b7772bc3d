package io.github.llmestimator.planning;

import io.github.llmestimator.Estimate;
import io.github.llmestimator.hardware.DeviceUsage;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The answer of a planning solver: whether something fits, what bound the answer, how much memory is left (or missing),
 * and the estimate behind it, so that every figure a plan states can be checked against
 * {@link io.github.llmestimator.Estimator#estimate()}.
 *
 * <p>Implementations are immutable and thread-safe.
 */
public sealed interface Plan permits ContextPlan, SchemePlan, OffloadPlan, ConcurrencyPlan, HardwarePlan {

    /**
     * Returns whether the plan found an option that fits (and meets the speed target, if one was given).
     *
     * @return true when it fits
     */
    boolean fits();

    /**
     * Returns what bound the answer: why the step beyond it is not taken, or why the closest option fails when nothing
     * fits.
     *
     * @return the binding constraint, not null
     */
    Binding binding();

    /**
     * Returns the index, in the devices of {@link #estimate()}'s deployment, of the device whose memory binds; empty
     * when no device's memory binds (a plain memory budget, a speed target, the trained context, nothing).
     *
     * @return the device index, or empty
     */
    OptionalInt limitingDeviceIndex();

    /**
     * Returns the memory left at the answer: on the limiting device, else on the tightest device of the deployment,
     * else under the memory budget. Negative when nothing fits, by as much as the closest option misses.
     *
     * @return bytes, negative when it does not fit
     */
    long headroomBytes();

    /**
     * Returns the estimate of the answer (when nothing fits, of the closest option).
     *
     * @return the estimate, not null
     */
    Estimate estimate();

    /**
     * Returns the memory missing, defined as {@code max(0, -headroomBytes())}.
     *
     * @return bytes, 0 when the memory suffices
     */
    default long shortfallBytes() {
        return Math.max(0, -headroomBytes());
    }

    /**
     * Returns what the limiting device holds, when a device's memory binds.
     *
     * @return the device's usage, or empty
     */
    default Optional<DeviceUsage> limitingDevice() {
        OptionalInt index = limitingDeviceIndex();
        return index.isEmpty() ? Optional.empty() : Optional.of(Fit.devices(estimate()).get(index.getAsInt()));
    }
}
