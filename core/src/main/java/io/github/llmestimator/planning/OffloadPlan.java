package io.github.llmestimator.planning;

import io.github.llmestimator.Estimate;
import io.github.llmestimator.Estimator;
import io.github.llmestimator.hardware.Deployment;
import io.github.llmestimator.hardware.Device;
import io.github.llmestimator.hardware.DeviceKind;
import io.github.llmestimator.hardware.ExpertsInSystemRam;
import io.github.llmestimator.hardware.GpuLayers;
import io.github.llmestimator.hardware.Placement;
import io.github.llmestimator.throughput.DecodeSpeed;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * How to split a model between one GPU and system RAM ({@link #of(Estimator, Device, Device)}): as much on
 * the GPU as fits, the way llama.cpp's {@code --fit} fills a GPU, and the decode speed it gives.
 *
 * <p>Two placements are searched. {@link GpuLayers} ({@code -ngl n}): the GPU's memory grows and system RAM's shrinks
 * with {@code n}, so the answer is the largest {@code n} the GPU holds. For a mixture of experts also
 * {@link ExpertsInSystemRam} ({@code --n-cpu-moe k}, every dense tensor and every cache on the GPU): the GPU's memory
 * shrinks with {@code k}, so the answer is the smallest {@code k} the GPU holds. Each boundary is found with
 * {@link Search} in {@code O(log layers)} estimates. Of the two boundaries that also fit system RAM, the plan takes the
 * one that decodes faster at the end of the context (on a tie, the expert split of a mixture of experts; when the
 * whole model fits the GPU, {@code -ngl} with every block). Keeping more
 * on the GPU is taken to be never slower, which holds when the GPU reads and computes faster than the CPU; a plan is
 * exact in memory either way: its estimate fits both devices, and one more layer (or layer of experts) on the GPU does
 * not fit the GPU.
 *
 * @param fits whether the split fits both devices
 * @param binding {@link Binding#NONE} when the whole model is on the GPU; else why one more layer on the GPU does not
 *     fit it ({@link Binding#WEIGHTS} or {@link Binding#KV_CACHE}); when nothing fits, why the closest split fails
 * @param limitingDeviceIndex 0 (the GPU) when the GPU binds, 1 (system RAM) when system RAM does not hold the rest,
 *     empty when nothing binds
 * @param headroomBytes the memory left on the limiting (else the tightest) device; negative when nothing fits
 * @param estimate the estimate of the split, whose deployment is the GPU then system RAM
 */
public record OffloadPlan(boolean fits, Binding binding, OptionalInt limitingDeviceIndex, long headroomBytes,
        Estimate estimate) implements Plan {

    /**
     * Validates the components.
     *
     * @param fits whether the split fits both devices
     * @param binding {@link Binding#NONE} when the whole model is on the GPU; else why one more layer on the GPU does
     *     not fit it ({@link Binding#WEIGHTS} or {@link Binding#KV_CACHE}); when nothing fits, why the closest split
     *     fails
     * @param limitingDeviceIndex 0 (the GPU) when the GPU binds, 1 (system RAM) when system RAM does not hold the
     *     rest, empty when nothing binds
     * @param headroomBytes the memory left on the limiting (else the tightest) device; negative when nothing fits
     * @param estimate the estimate of the split, whose deployment is the GPU then system RAM
     * @throws NullPointerException if {@code binding} or {@code estimate} is null
     * @throws IllegalArgumentException if the estimate has no deployment, or {@code limitingDeviceIndex} names no
     *     device of it
     */
    public OffloadPlan {
        Objects.requireNonNull(binding, "binding");
        Objects.requireNonNull(estimate, "estimate");
        if (estimate.deployment().isEmpty()) {
            throw new IllegalArgumentException("estimate: no deployment (expected: the estimate of a split)");
        }
        Fit.checkDeviceIndex(limitingDeviceIndex, estimate);
    }

    /**
     * Finds the split of the estimator's model between a GPU and system RAM, keeping as much on the
     * GPU as fits (llama.cpp's {@code -ngl}, or for a mixture of experts {@code --n-cpu-moe}), and its decode speed.
     *
     * @param estimator a scheme chosen, not null; its deployment, if any, is ignored
     * @param gpu the GPU, a {@link DeviceKind#DISCRETE_GPU}, not null
     * @param systemRam the host memory, a {@link DeviceKind#SYSTEM_RAM} device, not null
     * @return the plan
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if a device has the wrong kind
     * @throws IllegalStateException if the estimator has no scheme, or its settings do not work together
     */
    public static OffloadPlan of(Estimator estimator, Device gpu, Device systemRam) {
        Objects.requireNonNull(estimator, "estimator");
        Fit.kind("gpu", gpu, DeviceKind.DISCRETE_GPU);
        Fit.kind("systemRam", systemRam, DeviceKind.SYSTEM_RAM);
        estimator.estimate();
        int layers = estimator.model().layers().size();
        Search.Outcome<Estimate> byLayers = Search.lastFitting(0, layers + 1,
                n -> estimator.on(Deployment.gpuLayers(gpu, systemRam, (int) n)).estimate(), e -> Fit.headroom(e, 0));
        Split best = new Split(byLayers.atLast, byLayers.atNext, byLayers.last == layers + 1);
        if (estimator.model().isMixtureOfExperts() && !(best.wholeModel && best.fits)) {
            // search j = layers - k, so that GPU memory grows with j as the search expects
            Search.Outcome<Estimate> byExperts = Search.lastFitting(0, layers,
                    j -> estimator.on(Deployment.expertsInSystemRam(gpu, systemRam, layers - (int) j)).estimate(),
                    e -> Fit.headroom(e, 0));
            if (byExperts.found(0)) {
                Split experts = new Split(byExperts.atLast, byExperts.atNext, byExperts.last == layers);
                if (experts.better(best)) {
                    best = experts;
                }
            }
        }
        return best.plan();
    }

    /** A boundary of one placement family. */
    private static final class Split {
        final Estimate estimate;
        final Estimate next;
        final boolean wholeModel;
        final boolean fits;
        final long headroom;

        Split(Estimate estimate, Estimate next, boolean wholeModel) {
            this.estimate = estimate;
            this.next = next;
            this.wholeModel = wholeModel;
            this.fits = estimate.fits();
            this.headroom = Fit.headroom(estimate);
        }

        /** Returns whether this split beats another: fits where it does not, decodes faster, or misses by less. */
        boolean better(Split other) {
            if (fits != other.fits) {
                return fits;
            }
            if (fits) {
                return Fit.speed(estimate) >= Fit.speed(other.estimate);
            }
            return headroom > other.headroom;
        }

        OffloadPlan plan() {
            if (!fits) {
                int device = Fit.tightest(estimate);
                return new OffloadPlan(false, Fit.binding(estimate, device), device, headroom, estimate);
            }
            if (wholeModel) {
                return new OffloadPlan(true, Binding.NONE, -1, headroom, estimate);
            }
            return new OffloadPlan(true, Fit.binding(next, 0), 0, Fit.headroom(estimate, 0), estimate);
        }
    }

    /**
     * Returns the deployment of the split: the GPU, then system RAM.
     *
     * @return the deployment, not null
     */
    public Deployment deployment() {
        return estimate.deployment().orElseThrow().deployment();
    }

    /**
     * Returns the placement: {@link GpuLayers} or {@link ExpertsInSystemRam}.
     *
     * @return the placement, not null
     */
    public Placement placement() {
        return deployment().placement();
    }

    /**
     * Returns the decode speed of the split at the end of the context, where it is slowest.
     *
     * @return the speed, not null
     */
    public DecodeSpeed decode() {
        return Fit.decodeAtEnd(estimate);
    }

    /** The plan with the limiting device as the solvers track it: its index, or -1 for none. */
    OffloadPlan(boolean fits, Binding binding, int device, long headroomBytes, Estimate estimate) {
        this(fits, binding, Fit.index(device), headroomBytes, estimate);
    }

    @Override
    public String toString() {
        Placement placement = placement();
        String split = placement instanceof GpuLayers ? "-ngl " + ((GpuLayers) placement).gpuLayers()
                : "--n-cpu-moe " + ((ExpertsInSystemRam) placement).firstLayers();
        return "OffloadPlan[" + estimate.weights().model().name() + ": " + split + (fits ? "" : " does not fit") + ", "
                + binding + Fit.deviceName(estimate, limitingDeviceIndex) + ", headroom " + Fit.bytes(headroomBytes)
                + ", " + decode() + "]";
    }
}
