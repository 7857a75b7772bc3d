package io.github.llmestimator.hardware;

import io.github.llmestimator.internal.Checks;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;

/**
 * One memory system that holds weights and caches and the processor that reads them: system RAM with a CPU, a
 * discrete GPU, or a unified-memory SoC. It states its capacity, its peak memory bandwidth, its peak dense throughput
 * per {@link Precision} where known, and for a discrete GPU its {@link HostLink}.
 *
 * <p>Build one with {@link #builder(String, DeviceKind)}:
 * <pre>{@code
 * Device rtx4090 = Device.builder("RTX 4090", DeviceKind.DISCRETE_GPU)
 *         .memoryBytes(24L << 30)
 *         .memoryBandwidthGBps(1008)
 *         .denseTflops(Precision.FP16, 165.2)
 *         .denseTflops(Precision.INT8, 660.6)
 *         .hostLink(4, 16)
 *         .build();
 * }</pre>
 * Each setter checks its argument ({@link IllegalArgumentException}); {@link Builder#build()} checks that the required
 * settings were given and that the kind-specific ones suit the kind ({@link IllegalStateException}).
 *
 * <p>This class is immutable and thread-safe.
 */
public final class Device {

    private final String name;
    private final DeviceKind kind;
    private final long memoryBytes;
    private final double memoryBandwidthGBps;
    private final double[] denseTflops;
    private final HostLink hostLink;
    private final double gpuMemoryFraction;
    private final Backend backend;
    private final Calibration calibration;
    private final Power power;
    private final CpuTopology cpu;
    private final boolean highBandwidthMemory;
    /** macOS's {@code iogpu.wired_limit_mb} of a Metal device, or 0 for its default working set. */
    private final long wiredLimitMiB;
    /**
     * The hash, worked out on first use (0 until then): placements are looked up by deployment, so a device's hash
     * is asked for on every lookup. Racing threads at worst compute the same value twice.
     */
    private int hash;

    private Device(String name, DeviceKind kind, long memoryBytes, double memoryBandwidthGBps, double[] denseTflops,
            HostLink hostLink, double gpuMemoryFraction, Backend backend, Calibration calibration, Power power,
            CpuTopology cpu, boolean highBandwidthMemory, long wiredLimitMiB) {
        this.name = name;
        this.kind = kind;
        this.memoryBytes = memoryBytes;
        this.memoryBandwidthGBps = memoryBandwidthGBps;
        this.denseTflops = denseTflops;
        this.hostLink = hostLink;
        this.gpuMemoryFraction = gpuMemoryFraction;
        this.backend = backend;
        this.calibration = calibration;
        this.power = power;
        this.cpu = cpu;
        this.highBandwidthMemory = highBandwidthMemory;
        this.wiredLimitMiB = wiredLimitMiB;
    }

    /**
     * Returns a builder for a device of the given name and kind.
     *
     * @param name a display name, not null or blank
     * @param kind the kind, not null
     * @return a new builder
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if {@code name} is blank
     */
    public static Builder builder(String name, DeviceKind kind) {
        return new Builder(name, kind);
    }

    /**
     * Returns the display name.
     *
     * @return the name, not null
     */
    public String name() {
        return name;
    }

    /**
     * Returns the kind.
     *
     * @return the kind, not null
     */
    public DeviceKind kind() {
        return kind;
    }

    /**
     * Returns the llama.cpp backend whose kernels run on the device: {@link Backend#defaultFor(DeviceKind)} unless
     * the builder set another.
     *
     * @return the backend, not null
     */
    public Backend backend() {
        return backend;
    }

    /**
     * Returns the installed memory.
     *
     * @return bytes, at least 1
     */
    public long memoryBytes() {
        return memoryBytes;
    }

    /**
     * Returns the memory a model may occupy: {@link #memoryBytes()}; for unified memory with a GPU share
     * {@code floor(memoryBytes * gpuMemoryFraction)}; for a Metal device without one, macOS's working-set limit
     * ({@link #appleWorkingSet()}).
     *
     * @return bytes, at least 0
     */
    public long usableMemoryBytes() {
        if (kind != DeviceKind.UNIFIED_MEMORY) {
            return memoryBytes;
        }
        return gpuMemoryFraction > 0 ? (long) Math.floor(memoryBytes * gpuMemoryFraction)
                : new AppleWorkingSet(memoryBytes, wiredLimit()).limitBytes();
    }

    /**
     * Returns macOS's GPU working-set limit of a Metal device that states no GPU share: the limit its
     * {@link #usableMemoryBytes()} is, and why.
     *
     * @return the working set, or empty for any other device (and for a Metal device given an explicit share)
     */
    public Optional<AppleWorkingSet> appleWorkingSet() {
        return kind == DeviceKind.UNIFIED_MEMORY && gpuMemoryFraction == 0
                ? Optional.of(new AppleWorkingSet(memoryBytes, wiredLimit())) : Optional.empty();
    }

    /** The wired limit as a working set states it: this device's 0 is macOS's default. */
    private OptionalLong wiredLimit() {
        return wiredLimitMiB > 0 ? OptionalLong.of(wiredLimitMiB) : OptionalLong.empty();
    }

    /**
     * Returns a copy of a Metal device whose GPU working-set limit is raised (or lowered) as
     * {@code sudo sysctl iogpu.wired_limit_mb=N} sets it; it replaces any GPU share the device had.
     *
     * @param wiredLimitMiB the limit in MiB (2^20 bytes), 1 to the installed memory
     * @return the copy; this instance is immutable and unaffected by this method call
     * @throws IllegalArgumentException if the limit is not positive or exceeds the installed memory
     * @throws IllegalStateException if this is not a {@link Backend#METAL} device
     */
    public Device withWiredLimitMiB(long wiredLimitMiB) {
        if (wiredLimitMiB == 0) {
            throw new IllegalArgumentException("wiredLimitMiB: 0 (expected: 1 to " + (memoryBytes >> 20)
                    + " MiB, the installed memory)");
        }
        AppleWorkingSet.checkWiredLimit(wiredLimitMiB, memoryBytes);
        if (backend != Backend.METAL) {
            throw new IllegalStateException("wiredLimitMiB: set for a " + backend + " device (expected: only for a"
                    + " METAL device, macOS's iogpu.wired_limit_mb)");
        }
        return new Device(name, kind, memoryBytes, memoryBandwidthGBps, denseTflops, hostLink, 0, backend,
                calibration, power, cpu, highBandwidthMemory, wiredLimitMiB);
    }

    /**
     * Returns the peak (theoretical) memory bandwidth.
     *
     * @return GB/s (10^9 B/s), finite and positive
     */
    public double memoryBandwidthGBps() {
        return memoryBandwidthGBps;
    }

    /**
     * Returns the dense peak throughput in one precision, if the device states it.
     *
     * @param precision the precision, not null
     * @return TFLOPS (TOPS for INT8), or empty when unknown or unsupported
     * @throws NullPointerException if {@code precision} is null
     */
    public OptionalDouble denseTflops(Precision precision) {
        double value = denseTflops[Objects.requireNonNull(precision, "precision").ordinal()];
        return value > 0 ? OptionalDouble.of(value) : OptionalDouble.empty();
    }

    /**
     * Returns the link to the host of a discrete GPU, if stated.
     *
     * @return the host link, or empty (always empty unless {@link DeviceKind#DISCRETE_GPU})
     */
    public Optional<HostLink> hostLink() {
        return Optional.ofNullable(hostLink);
    }

    /**
     * Returns the share of a unified memory the GPU may use, where the device states one (AMD's variable graphics
     * memory, the DGX Spark's CUDA total); a Metal device without one follows {@link #appleWorkingSet()}.
     *
     * @return the share, in (0, 1], or empty unless {@link DeviceKind#UNIFIED_MEMORY} with a stated share
     */
    public OptionalDouble gpuMemoryFraction() {
        return kind == DeviceKind.UNIFIED_MEMORY && gpuMemoryFraction > 0 ? OptionalDouble.of(gpuMemoryFraction)
                : OptionalDouble.empty();
    }

    /**
     * Returns the device's published power figures, if the builder set them: what the energy estimates of
     * {@link io.github.llmestimator.throughput.TokenEnergy} start from.
     *
     * @return the power figures, or empty when none is known
     */
    public Optional<Power> power() {
        return Optional.ofNullable(power);
    }

    /**
     * Returns a copy with other power figures (a card run at a lower power limit, a measured system).
     *
     * @param power the power figures, not null
     * @return the copy; this instance is immutable and unaffected by this method call
     * @throws NullPointerException if {@code power} is null
     */
    public Device withPower(Power power) {
        return new Device(name, kind, memoryBytes, memoryBandwidthGBps, denseTflops, hostLink, gpuMemoryFraction,
                backend, calibration, Objects.requireNonNull(power, "power"), cpu, highBandwidthMemory, wiredLimitMiB);
    }

    /**
     * Returns the CPU of a system-RAM or unified-memory device, if the builder set it: cores, threads, memory
     * channels, NUMA nodes and per-core FP32 rate for the speed of work that runs on the CPU.
     *
     * @return the CPU, or empty when unknown (always empty for a {@link DeviceKind#DISCRETE_GPU})
     */
    public Optional<CpuTopology> cpu() {
        return Optional.ofNullable(cpu);
    }

    /**
     * Returns whether the memory is stacked high-bandwidth memory (HBM2, HBM2e, HBM3, HBM3e: A100, H100, H200, B200,
     * V100, AMD Instinct). Such wide, high-latency memory needs far more requests in flight than a decoded token's
     * matrix-vector products keep, so llama.cpp reaches a smaller fraction of its peak than of GDDR or LPDDR memory
     * (the throughput package's efficiencies).
     *
     * @return whether the memory is HBM
     */
    public boolean highBandwidthMemory() {
        return highBandwidthMemory;
    }

    /**
     * Returns a copy with another CPU (the same memory system driven by another processor, or a measured topology).
     *
     * @param cpu the CPU, not null
     * @return the copy; this instance is immutable and unaffected by this method call
     * @throws NullPointerException if {@code cpu} is null
     * @throws IllegalStateException if this is a {@link DeviceKind#DISCRETE_GPU}, which has no CPU of its own
     */
    public Device withCpu(CpuTopology cpu) {
        Objects.requireNonNull(cpu, "cpu");
        checkCpuKind(kind);
        return new Device(name, kind, memoryBytes, memoryBandwidthGBps, denseTflops, hostLink, gpuMemoryFraction,
                backend, calibration, power, cpu, highBandwidthMemory, wiredLimitMiB);
    }

    /**
     * Returns a copy with another installed memory (a system-RAM preset's capacity is the user's choice).
     *
     * @param memoryBytes the memory in bytes, at least 1
     * @return the copy; this instance is immutable and unaffected by this method call
     * @throws IllegalArgumentException if {@code memoryBytes} is not positive, or below a wired limit the device has
     */
    public Device withMemoryBytes(long memoryBytes) {
        Checks.positive("memoryBytes", memoryBytes);
        if (wiredLimitMiB > 0) {
            AppleWorkingSet.checkWiredLimit(wiredLimitMiB, memoryBytes);
        }
        return new Device(name, kind, Checks.positive("memoryBytes", memoryBytes), memoryBandwidthGBps, denseTflops,
                hostLink, gpuMemoryFraction, backend, calibration, power, cpu, highBandwidthMemory, wiredLimitMiB);
    }

    /**
     * Returns a copy with another peak memory bandwidth.
     *
     * @param memoryBandwidthGBps the bandwidth in GB/s, finite and positive
     * @return the copy; this instance is immutable and unaffected by this method call
     * @throws IllegalArgumentException if the bandwidth is not finite and positive
     */
    public Device withMemoryBandwidthGBps(double memoryBandwidthGBps) {
        return new Device(name, kind, memoryBytes,
                Checks.positiveFinite("memoryBandwidthGBps", memoryBandwidthGBps, " GB/s"),
                denseTflops, hostLink, gpuMemoryFraction, backend, calibration, power, cpu, highBandwidthMemory, wiredLimitMiB);
    }

    /**
     * Returns a copy of a unified-memory device whose GPU may use another share of the memory; it replaces a Metal
     * device's working-set rule and wired limit (for {@code iogpu.wired_limit_mb}, see {@link #withWiredLimitMiB}).
     *
     * @param gpuMemoryFraction the share, in (0, 1]
     * @return the copy; this instance is immutable and unaffected by this method call
     * @throws IllegalArgumentException if the share is not in (0, 1]
     * @throws IllegalStateException if this is not a {@link DeviceKind#UNIFIED_MEMORY} device
     */
    public Device withGpuMemoryFraction(double gpuMemoryFraction) {
        if (kind != DeviceKind.UNIFIED_MEMORY) {
            throw new IllegalStateException(
                    "gpuMemoryFraction: set for a " + kind + " device (expected: only for UNIFIED_MEMORY)");
        }
        return new Device(name, kind, memoryBytes, memoryBandwidthGBps, denseTflops, hostLink,
                checkFraction(gpuMemoryFraction), backend, calibration, power, cpu, highBandwidthMemory, 0);
    }

    /**
     * Returns the speed-model parameters fitted on this device's own runs, if any; the throughput estimates use them
     * in place of the backend's defaults.
     *
     * @return the calibration, or empty
     */
    public Optional<Calibration> calibration() {
        return Optional.ofNullable(calibration);
    }

    /**
     * Returns a copy whose speed estimates use a calibration fitted on its own runs.
     *
     * @param calibration the calibration, not null
     * @return the copy; this instance is immutable and unaffected by this method call
     * @throws NullPointerException if {@code calibration} is null
     */
    public Device withCalibration(Calibration calibration) {
        return new Device(name, kind, memoryBytes, memoryBandwidthGBps, denseTflops, hostLink, gpuMemoryFraction,
                backend, Objects.requireNonNull(calibration, "calibration"), power, cpu, highBandwidthMemory, wiredLimitMiB);
    }

    private static void checkCpuKind(DeviceKind kind) {
        if (kind == DeviceKind.DISCRETE_GPU) {
            throw new IllegalStateException("cpu: set for a DISCRETE_GPU device (expected: only for SYSTEM_RAM or"
                    + " UNIFIED_MEMORY; a GPU's host CPU is a device of its own)");
        }
    }

    private static double checkFraction(double fraction) {
        if (!(fraction > 0 && fraction <= 1)) {
            throw new IllegalArgumentException("gpuMemoryFraction: " + fraction + " (expected: > 0 and <= 1)");
        }
        return fraction;
    }

    @Override
    public boolean equals(Object other) {
        if (this == other) {
            return true;
        }
        if (!(other instanceof Device)) {
            return false;
        }
        Device that = (Device) other;
        return name.equals(that.name) && kind == that.kind && memoryBytes == that.memoryBytes
                && Double.compare(memoryBandwidthGBps, that.memoryBandwidthGBps) == 0
                && Arrays.equals(denseTflops, that.denseTflops) && Objects.equals(hostLink, that.hostLink)
                && Double.compare(gpuMemoryFraction, that.gpuMemoryFraction) == 0 && backend == that.backend
                && Objects.equals(calibration, that.calibration) && Objects.equals(power, that.power)
                && Objects.equals(cpu, that.cpu) && highBandwidthMemory == that.highBandwidthMemory
                && wiredLimitMiB == that.wiredLimitMiB;
    }

    @Override
    public int hashCode() {
        int h = hash;
        if (h == 0) {
            h = Objects.hash(name, kind, memoryBytes, memoryBandwidthGBps, Arrays.hashCode(denseTflops), hostLink,
                    gpuMemoryFraction, backend, calibration, power, cpu, highBandwidthMemory, wiredLimitMiB);
            hash = h;
        }
        return h;
    }

    @Override
    public String toString() {
        return "Device[" + name + ", " + kind + ", " + backend + ", " + memoryBytes + " bytes, " + memoryBandwidthGBps
                + " GB/s" + (calibration == null ? "" : ", calibrated on " + calibration.runs() + " runs") + "]";
    }

    /**
     * A builder of {@link Device}. Setters check their argument; {@link #build()} checks the combination.
     *
     * <p>This class is mutable and not thread-safe; the device it builds is immutable.
     */
    public static final class Builder {
        private final String name;
        private final DeviceKind kind;
        private long memoryBytes;
        private double memoryBandwidthGBps;
        private final double[] denseTflops = new double[Precision.values().length];
        private HostLink hostLink;
        private double gpuMemoryFraction;
        private Backend backend;
        private Power power;
        private CpuTopology cpu;
        private boolean highBandwidthMemory;
        private long wiredLimitMiB;

        private Builder(String name, DeviceKind kind) {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(kind, "kind");
            if (name.isBlank()) {
                throw new IllegalArgumentException("name: '" + name + "' (expected: a non-blank name)");
            }
            this.name = name;
            this.kind = kind;
        }

        /**
         * Sets the installed memory (required).
         *
         * @param bytes the memory in bytes, at least 1
         * @return this builder
         * @throws IllegalArgumentException if {@code bytes} is not positive
         */
        public Builder memoryBytes(long bytes) {
            this.memoryBytes = Checks.positive("memoryBytes", bytes);
            return this;
        }

        /**
         * Sets the peak memory bandwidth (required), as the datasheet states it.
         *
         * @param gbPerSecond the bandwidth in decimal GB/s (10^9 B/s), finite and positive
         * @return this builder
         * @throws IllegalArgumentException if the bandwidth is zero, negative, infinite or NaN
         */
        public Builder memoryBandwidthGBps(double gbPerSecond) {
            this.memoryBandwidthGBps = Checks.positiveFinite("memoryBandwidthGBps", gbPerSecond, " GB/s");
            return this;
        }

        /**
         * Sets the dense (no sparsity) peak throughput in one precision (optional; prefill needs the precision its
         * kernels use, or FP16).
         *
         * @param precision the precision, not null
         * @param tflops TFLOPS (TOPS for {@link Precision#INT8}), finite and positive
         * @return this builder
         * @throws NullPointerException if {@code precision} is null
         * @throws IllegalArgumentException if {@code tflops} is zero, negative, infinite or NaN
         */
        public Builder denseTflops(Precision precision, double tflops) {
            Objects.requireNonNull(precision, "precision");
            denseTflops[precision.ordinal()] = Checks.positiveFinite("denseTflops(" + precision + ")", tflops, "");
            return this;
        }

        /**
         * Sets the PCIe link of a discrete GPU (optional; prefill with weights in system RAM needs it).
         *
         * @param pcieGeneration the PCIe generation, 3 to 6
         * @param lanes the lanes, 1 to 16
         * @return this builder
         * @throws IllegalArgumentException if a value is out of range
         */
        public Builder hostLink(int pcieGeneration, int lanes) {
            this.hostLink = new HostLink(pcieGeneration, lanes);
            return this;
        }

        /**
         * Sets the llama.cpp backend whose kernels run on the device (optional; by default
         * {@link Backend#defaultFor(DeviceKind)}): CUDA for a DGX Spark, Vulkan or ROCm for AMD's unified-memory
         * parts, ROCm or Vulkan for an AMD discrete GPU.
         *
         * @param backend the backend, not null; {@link Backend#CPU} only for system RAM and only it there,
         *     {@link Backend#METAL} only for unified memory (checked by {@link #build()})
         * @return this builder
         * @throws NullPointerException if {@code backend} is null
         */
        public Builder backend(Backend backend) {
            this.backend = Objects.requireNonNull(backend, "backend");
            return this;
        }

        /**
         * Sets the device's published power figures (optional; energy per token needs them).
         *
         * @param power the power figures, not null
         * @return this builder
         * @throws NullPointerException if {@code power} is null
         */
        public Builder power(Power power) {
            this.power = Objects.requireNonNull(power, "power");
            return this;
        }

        /**
         * Sets whether the memory is stacked high-bandwidth memory (HBM); by default it is not. See
         * {@link Device#highBandwidthMemory()}.
         *
         * @param hbm whether the memory is HBM
         * @return this builder
         */
        public Builder highBandwidthMemory(boolean hbm) {
            this.highBandwidthMemory = hbm;
            return this;
        }

        /**
         * Sets the CPU of a system-RAM or unified-memory device (optional; the speed of work on the CPU needs it).
         *
         * @param cpu the CPU, not null; not for a {@link DeviceKind#DISCRETE_GPU} (checked by {@link #build()})
         * @return this builder
         * @throws NullPointerException if {@code cpu} is null
         */
        public Builder cpu(CpuTopology cpu) {
            this.cpu = Objects.requireNonNull(cpu, "cpu");
            return this;
        }

        /**
         * Sets the share of a unified memory the GPU may use by default (required for
         * {@link DeviceKind#UNIFIED_MEMORY} unless its backend is {@link Backend#METAL}, which without a share follows
         * macOS's working-set rule, {@link AppleWorkingSet}; not allowed otherwise).
         *
         * @param fraction the share, in (0, 1]
         * @return this builder
         * @throws IllegalArgumentException if the share is not in (0, 1]
         */
        public Builder gpuMemoryFraction(double fraction) {
            this.gpuMemoryFraction = checkFraction(fraction);
            return this;
        }

        /**
         * Sets macOS's {@code iogpu.wired_limit_mb} of a Metal device (optional; without it, or with 0, macOS's default
         * working set applies, {@link AppleWorkingSet}). Checked against the memory by {@link #build()}.
         *
         * @param mib the limit in MiB (2^20 bytes), at least 0
         * @return this builder
         * @throws IllegalArgumentException if {@code mib} is negative or more bytes than a {@code long} holds
         */
        public Builder wiredLimitMiB(long mib) {
            if (mib < 0 || mib > Long.MAX_VALUE >> 20) {
                throw new IllegalArgumentException("wiredLimitMiB: " + mib + " (expected: 1 to the installed memory in"
                        + " MiB, or 0 for macOS's default)");
            }
            this.wiredLimitMiB = mib;
            return this;
        }

        /**
         * Builds the device.
         *
         * @return the device
         * @throws IllegalStateException if the memory or bandwidth was not set, a unified-memory device has no GPU
         *     share and is not Metal, or a setting does not suit the kind (a host link on anything but a discrete GPU, a
         *     GPU share on anything but unified memory, a wired limit on anything but Metal or with a GPU share, a CPU
         *     on a discrete GPU); the message names the setting
         * @throws IllegalArgumentException if a wired limit exceeds the installed memory
         */
        public Device build() {
            if (memoryBytes == 0) {
                throw new IllegalStateException("memoryBytes: not set (expected: a value before build())");
            }
            if (memoryBandwidthGBps == 0) {
                throw new IllegalStateException("memoryBandwidthGBps: not set (expected: a value before build())");
            }
            if (hostLink != null && kind != DeviceKind.DISCRETE_GPU) {
                throw new IllegalStateException(
                        "hostLink: set for a " + kind + " device (expected: only for DISCRETE_GPU)");
            }
            Backend chosen = backend != null ? backend : Backend.defaultFor(kind);
            if (kind == DeviceKind.UNIFIED_MEMORY && gpuMemoryFraction == 0 && chosen != Backend.METAL) {
                throw new IllegalStateException("gpuMemoryFraction: not set (expected: for a " + chosen
                        + " UNIFIED_MEMORY device, the share of memory the GPU may use, e.g. 0.95 for a DGX Spark)");
            }
            if (wiredLimitMiB > 0 && (chosen != Backend.METAL || gpuMemoryFraction != 0)) {
                throw new IllegalStateException("wiredLimitMiB: set for a " + chosen + " device"
                        + (gpuMemoryFraction != 0 ? " with a GPU share" : "") + " (expected: only for a METAL device"
                        + " without gpuMemoryFraction; the wired limit replaces the share)");
            }
            if (kind != DeviceKind.UNIFIED_MEMORY && gpuMemoryFraction != 0) {
                throw new IllegalStateException(
                        "gpuMemoryFraction: set for a " + kind + " device (expected: only for UNIFIED_MEMORY)");
            }
            if (cpu != null) {
                checkCpuKind(kind);
            }
            if ((chosen == Backend.CPU) != (kind == DeviceKind.SYSTEM_RAM)
                    || chosen == Backend.METAL && kind != DeviceKind.UNIFIED_MEMORY) {
                throw new IllegalStateException("backend: " + chosen + " for a " + kind + " device (expected: CPU for"
                        + " SYSTEM_RAM and only there; METAL only for UNIFIED_MEMORY)");
            }
            return new Device(name, kind, memoryBytes, memoryBandwidthGBps, denseTflops.clone(), hostLink,
                    kind == DeviceKind.UNIFIED_MEMORY ? gpuMemoryFraction : 1.0, chosen, null, power, cpu,
                    highBandwidthMemory, AppleWorkingSet.checkWiredLimit(wiredLimitMiB, memoryBytes));
        }
    }
}
