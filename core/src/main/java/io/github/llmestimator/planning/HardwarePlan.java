package io.github.llmestimator.planning;

import io.github.llmestimator.Estimate;
import io.github.llmestimator.Estimator;
import io.github.llmestimator.hardware.Deployment;
import io.github.llmestimator.hardware.Device;
import io.github.llmestimator.hardware.DeviceKind;
import io.github.llmestimator.hardware.LayerSplit;
import io.github.llmestimator.throughput.DecodeSpeed;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.PriorityQueue;
import java.util.Set;

/**
 * The configuration with the least installed memory that runs the estimator's model, scheme and context
 * ({@link #of(Estimator, List)}), optionally at a minimum decode speed: one of the given devices, or for a
 * discrete GPU up to {@value #MAX_DEVICES} copies of it, the layers split across them as llama.cpp splits them by
 * default ({@link LayerSplit} in proportion to memory). System RAM and unified-memory devices count once, at the
 * capacity they state.
 *
 * <p>Configurations are tried in order of installed memory ({@code count * memoryBytes}), then fewer devices, then
 * more bandwidth, then the order of the list; the answer is the first whose estimate fits every device (and meets the
 * target), so no configuration with less installed memory does. A configuration whose usable memory is below the
 * model's device-independent {@link Estimate#totalBytes()} cannot fit (each device holds its share plus its own buffers
 * and allowance) and is passed over without an estimate. The catalog module's {@code CatalogPlanning} runs this over
 * every catalog device.
 *
 * @param fits whether a configuration fits (and meets the target)
 * @param binding why the next cheaper configuration fails ({@link Binding#WEIGHTS}, {@link Binding#KV_CACHE} or
 *     {@link Binding#SPEED_TARGET}), {@link Binding#NONE} when the answer is the cheapest configuration of all; when
 *     nothing fits, why the closest configuration fails
 * @param limitingDeviceIndex when nothing fits in memory, the device of the closest configuration that misses by the
 *     most; else empty (the next cheaper configuration is another deployment)
 * @param headroomBytes the memory left on the tightest device of the answer; negative when nothing fits
 * @param target the decode target per sequence, or empty without a target
 * @param estimate the estimate on the answer; when nothing fits, on the configuration with the most memory or, if
 *     some fit memory but none is fast enough, on the fastest of those
 */
public record HardwarePlan(boolean fits, Binding binding, OptionalInt limitingDeviceIndex, long headroomBytes,
        Optional<DecodeTarget> target, Estimate estimate) implements Plan {

    /** The most copies of one GPU tried: the GPUs of one common server node (HGX/DGX, 8 GPUs). */
    public static final int MAX_DEVICES = 8;

    /**
     * Validates the components.
     *
     * @param fits whether a configuration fits (and meets the target)
     * @param binding why the next cheaper configuration fails ({@link Binding#WEIGHTS}, {@link Binding#KV_CACHE} or
     *     {@link Binding#SPEED_TARGET}), {@link Binding#NONE} when the answer is the cheapest configuration of all;
     *     when nothing fits, why the closest configuration fails
     * @param limitingDeviceIndex when nothing fits in memory, the device of the closest configuration that misses by
     *     the most; else empty (the next cheaper configuration is another deployment)
     * @param headroomBytes the memory left on the tightest device of the answer; negative when nothing fits
     * @param target the decode target per sequence, or empty without a target
     * @param estimate the estimate on the answer; when nothing fits, on the configuration with the most memory or, if
     *     some fit memory but none is fast enough, on the fastest of those
     * @throws NullPointerException if {@code binding}, {@code target} or {@code estimate} is null
     * @throws IllegalArgumentException if the estimate has no deployment, or {@code limitingDeviceIndex} names no
     *     device of it
     */
    public HardwarePlan {
        Objects.requireNonNull(binding, "binding");
        Objects.requireNonNull(estimate, "estimate");
        Objects.requireNonNull(target, "target");
        if (estimate.deployment().isEmpty()) {
            throw new IllegalArgumentException("estimate: no deployment (expected: the estimate on a configuration)");
        }
        Fit.checkDeviceIndex(limitingDeviceIndex, estimate);
    }

    /**
     * Finds the configuration with the least installed memory that runs the estimator's model at its
     * scheme, context and settings: one of the devices, or up to {@value #MAX_DEVICES} copies of a GPU.
     *
     * @param estimator a scheme chosen, not null; its deployment, if any, is ignored
     * @param devices the devices to choose from, at least one, not null
     * @return the plan
     * @throws NullPointerException if an argument or a device is null
     * @throws IllegalArgumentException if {@code devices} is empty
     * @throws IllegalStateException if the estimator has no scheme, or its settings do not work together
     */
    public static HardwarePlan of(Estimator estimator, List<Device> devices) {
        return solve(estimator, devices, 0);
    }

    /**
     * Finds the configuration with the least installed memory that runs the estimator's model at least as fast as a
     * target at the end of the context.
     *
     * @param estimator a scheme chosen, not null; its deployment, if any, is ignored
     * @param devices the devices to choose from, at least one, not null
     * @param target the minimum decode speed per sequence at the end of the context, not null
     * @return the plan
     * @throws NullPointerException if an argument or a device is null
     * @throws IllegalArgumentException if {@code devices} is empty
     * @throws IllegalStateException if the estimator has no scheme, or its settings do not work together
     */
    public static HardwarePlan of(Estimator estimator, List<Device> devices, DecodeTarget target) {
        return solve(estimator, devices, Objects.requireNonNull(target, "target").tokensPerSecond());
    }

    /** One configuration: {@code count} copies of a device. */
    private static final class Config implements Comparable<Config> {
        final Device device;
        final int count;
        final int order;
        final long installed;
        final long usable;
        Estimate estimate;
        boolean memoryFits;
        double speed;

        final double bandwidth;
        /** The device's index among the distinct devices. */
        final int slot;

        Config(Device device, int count, int order, long deviceInstalled, long deviceUsable, double bandwidth,
                int slot) {
            this.device = device;
            this.count = count;
            this.order = order;
            this.slot = slot;
            this.installed = Math.multiplyExact(deviceInstalled, (long) count);
            this.usable = Math.multiplyExact(deviceUsable, (long) count);
            this.bandwidth = bandwidth;
        }

        /** The order configurations are tried in: installed memory, then fewer devices, more bandwidth, list order. */
        @Override
        public int compareTo(Config other) {
            return compare(installed, count, bandwidth, order, other);
        }

        /** {@link #compareTo} for a configuration not built: its installed memory, count, bandwidth and order. */
        static int compare(long installed, int count, double bandwidth, int order, Config other) {
            int c = Long.compare(installed, other.installed);
            if (c == 0) {
                c = Integer.compare(count, other.count);
            }
            if (c == 0) {
                c = Double.compare(other.bandwidth, bandwidth);
            }
            return c != 0 ? c : Integer.compare(order, other.order);
        }

        Deployment deployment() {
            return count == 1 ? Deployment.of(device) : Deployment.layerSplit(Collections.nCopies(count, device));
        }

        Estimate estimate(Estimator estimator) {
            if (estimate == null) {
                estimate = estimator.on(deployment()).estimate();
            }
            return estimate;
        }
    }

    private static HardwarePlan solve(Estimator estimator, List<Device> devices, double target) {
        Objects.requireNonNull(estimator, "estimator");
        Objects.requireNonNull(devices, "devices");
        // the distinct devices, in list order; a device's configurations (1 to most copies) are built only when tried
        int size = devices.size();
        Device[] kept = new Device[size];
        int[] order = new int[size];
        int[] most = new int[size];
        long[] installed = new long[size];
        long[] usable = new long[size];
        double[] bandwidth = new double[size];
        int distinct = 0;
        Set<Device> seen = new HashSet<>();
        for (int i = 0; i < size; i++) {
            Device device = devices.get(i);
            if (device == null) {
                throw new NullPointerException("devices[" + i + "]");
            }
            if (!seen.add(device)) {
                continue;
            }
            kept[distinct] = device;
            order[distinct] = i;
            most[distinct] = device.kind() == DeviceKind.DISCRETE_GPU ? MAX_DEVICES : 1;
            installed[distinct] = device.memoryBytes();
            usable[distinct] = device.usableMemoryBytes();
            bandwidth[distinct] = device.memoryBandwidthGBps();
            // as when every configuration was built: one whose memory overflows a long is refused
            Math.multiplyExact(installed[distinct], (long) most[distinct]);
            Math.multiplyExact(usable[distinct], (long) most[distinct]);
            distinct++;
        }
        if (distinct == 0) {
            throw new IllegalArgumentException("devices: [] (expected: at least one device)");
        }
        long lowerBound = estimator.estimate().totalBytes();
        // only configurations with room for the model alone are estimated, cheapest first: each device's come in the
        // order of their count, so a heap of each device's next one yields them all in order without building the
        // hundreds of a catalog (a GPU up to 8 times) that are never reached
        PriorityQueue<Config> cheapestFirst = new PriorityQueue<>();
        for (int d = 0; d < distinct; d++) {
            int first = firstWithRoom(usable[d], lowerBound);
            if (first <= most[d]) {
                cheapestFirst.add(new Config(kept[d], first, order[d], installed[d], usable[d], bandwidth[d], d));
            }
        }
        List<Config> tried = new ArrayList<>();
        Config fastest = null;
        for (Config c = cheapestFirst.poll(); c != null; c = cheapestFirst.poll()) {
            tried.add(c);
            Estimate estimate = c.estimate(estimator);
            c.memoryFits = estimate.fits();
            if (c.memoryFits && target > 0) {
                c.speed = Fit.speed(estimate);
                if (fastest == null || c.speed > fastest.speed) {
                    fastest = c;
                }
            }
            if (c.memoryFits && (target == 0 || c.speed >= target)) {
                // the configuration just before the answer in the order they are tried, whether estimated or not
                Config previous = null;
                for (int d = 0; d < distinct; d++) {
                    for (int count = most[d]; count >= 1; count--) {
                        // checked not to overflow above, with the most copies
                        long memory = installed[d] * count;
                        if (Config.compare(memory, count, bandwidth[d], order[d], c) < 0) {
                            if (previous == null
                                    || Config.compare(memory, count, bandwidth[d], order[d], previous) > 0) {
                                previous = new Config(kept[d], count, order[d], installed[d], usable[d], bandwidth[d],
                                        d);
                            }
                            break;
                        }
                    }
                }
                return answer(estimator, c, previous == null ? null : triedOr(previous, tried), target);
            }
            int d = c.slot;
            if (c.count < most[d]) {
                cheapestFirst.add(new Config(kept[d], c.count + 1, order[d], installed[d], usable[d], bandwidth[d], d));
            }
        }
        if (fastest != null) {
            return new HardwarePlan(false, Binding.SPEED_TARGET, -1, Fit.headroom(fastest.estimate), target,
                    fastest.estimate);
        }
        Config last = null;
        for (int d = 0; d < distinct; d++) {
            Config largest = new Config(kept[d], most[d], order[d], installed[d], usable[d], bandwidth[d], d);
            if (last == null || largest.compareTo(last) > 0) {
                last = largest;
            }
        }
        Estimate largest = triedOr(last, tried).estimate(estimator);
        int device = Fit.tightest(largest);
        return new HardwarePlan(false, Fit.binding(largest, device), device, Fit.headroom(largest, device), target,
                largest);
    }

    /** The fewest copies of a device with at least {@code bytes} of usable memory, at least 1. */
    private static int firstWithRoom(long deviceUsable, long bytes) {
        if (bytes <= deviceUsable) {
            return 1;
        }
        if (deviceUsable <= 0) {
            return Integer.MAX_VALUE;
        }
        long count = (bytes - 1) / deviceUsable + 1;
        return count > Integer.MAX_VALUE ? Integer.MAX_VALUE : (int) count;
    }

    /** The configuration already tried that is the same as {@code c}, with what it found, else {@code c}. */
    private static Config triedOr(Config c, List<Config> tried) {
        for (Config t : tried) {
            if (t.compareTo(c) == 0) {
                return t;
            }
        }
        return c;
    }

    private static HardwarePlan answer(Estimator estimator, Config answer, Config previous, double target) {
        long headroom = Fit.headroom(answer.estimate);
        if (previous == null) {
            return new HardwarePlan(true, Binding.NONE, -1, headroom, target, answer.estimate);
        }
        if (previous.memoryFits) {
            return new HardwarePlan(true, Binding.SPEED_TARGET, -1, headroom, target, answer.estimate);
        }
        Estimate cheaper = previous.estimate(estimator);
        return new HardwarePlan(true, Fit.binding(cheaper, Fit.tightest(cheaper)), -1, headroom, target,
                answer.estimate);
    }

    /**
     * Returns the deployment of the configuration.
     *
     * @return the deployment, not null
     */
    public Deployment deployment() {
        return estimate.deployment().orElseThrow().deployment();
    }

    /**
     * Returns the device of the configuration.
     *
     * @return the device, not null
     */
    public Device device() {
        return deployment().devices().get(0);
    }

    /**
     * Returns how many copies of {@link #device()} the configuration has.
     *
     * @return the device count, 1 to {@value #MAX_DEVICES}
     */
    public int deviceCount() {
        return deployment().devices().size();
    }

    /**
     * Returns the memory installed in the configuration, defined as {@code deviceCount * device().memoryBytes()}.
     *
     * @return bytes
     */
    public long installedMemoryBytes() {
        return deviceCount() * device().memoryBytes();
    }

    /**
     * Returns the decode speed of the configuration at the end of the context, where it is slowest.
     *
     * @return the speed, not null
     */
    public DecodeSpeed decode() {
        return Fit.decodeAtEnd(estimate);
    }

    /** The plan with the limiting device as the solvers track it: its index, or -1 for none. A target of 0 is none. */
    HardwarePlan(boolean fits, Binding binding, int device, long headroomBytes, double targetTokensPerSecond,
            Estimate estimate) {
        this(fits, binding, Fit.index(device), headroomBytes, Fit.target(targetTokensPerSecond), estimate);
    }

    @Override
    public String toString() {
        return "HardwarePlan[" + estimate.weights().model().name() + ": " + deviceCount() + " x " + device().name()
                + (fits ? "" : " does not fit") + ", " + binding + Fit.deviceName(estimate, limitingDeviceIndex)
                + ", headroom " + Fit.bytes(headroomBytes) + ", " + decode() + "]";
    }
}
