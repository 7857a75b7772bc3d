package io.github.llmestimator.examples.cli;

import io.github.llmestimator.examples.machine.BandwidthProbe;
import io.github.llmestimator.examples.machine.CatalogMatch;
import io.github.llmestimator.examples.machine.DetectedGpu;
import io.github.llmestimator.examples.machine.Detector;
import io.github.llmestimator.examples.machine.Machine;
import io.github.llmestimator.examples.machine.SystemHost;
import io.github.llmestimator.hardware.Device;
import io.github.llmestimator.hardware.Precision;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalDouble;
import picocli.CommandLine.Option;

/**
 * This machine as the commands use it: detection, the optional bandwidth probe, and the {@code --hardware} arguments
 * that describe it (catalog ids where a GPU or Apple chip matches one, else inline devices).
 */
final class ThisMachine {

    /** The probe's arrays: 3 x 128 MiB, far beyond any CPU's last-level cache (AMD's largest L3s are 1 GiB). */
    static final int DEFAULT_PROBE_MIB = 128;

    /** The probe's options, for the commands that can measure. */
    static final class MeasureOptions {
        @Option(names = "--measure", description = "Measure this machine's RAM bandwidth (a STREAM-style copy and"
                + " triad in Java, a few seconds) and use the best triad as the system-RAM bandwidth.")
        boolean measure;

        @Option(names = "--probe-mib", paramLabel = "MIB", defaultValue = "" + DEFAULT_PROBE_MIB,
                description = "Size of each of the probe's three arrays (default: ${DEFAULT-VALUE} MiB).")
        int probeMib;
    }

    /** What was found, what was measured, and the --hardware arguments for it with notes on how each was chosen. */
    record Found(Machine machine, List<BandwidthProbe.Result> measured, List<String> hardware, List<String> notes) {

        /** The best triad over thread counts, if measured. */
        OptionalDouble measuredGBps() {
            return measured.stream().filter(r -> r.kernel().equals("triad")).mapToDouble(BandwidthProbe.Result::bestGBps)
                    .max();
        }
    }

    private ThisMachine() {
    }

    static Found detect(MeasureOptions options, long reserveBytes) {
        Machine machine = Detector.detect(new SystemHost());
        List<BandwidthProbe.Result> measured = List.of();
        if (options != null && options.measure) {
            measured = probe(options.probeMib, machine.logicalCpus());
        }
        List<String> notes = new ArrayList<>();
        List<String> hardware = new ArrayList<>();
        boolean unified = false;
        if (machine.appleChip().isPresent()) {
            Optional<CatalogMatch.Match> match = CatalogMatch.appleChip(machine.appleChip().get(),
                    machine.appleGpuCores(), machine.memoryBytes());
            if (match.isPresent()) {
                Device preset = match.get().preset().device();
                long memory = machine.memoryBytes().orElse(preset.memoryBytes());
                hardware.add(memory == preset.memoryBytes() ? match.get().preset().id() : inlineUnified(preset, memory));
                notes.add(machine.appleChip().get() + " = catalog " + match.get().preset().id()
                        + (match.get().note().isEmpty() ? "" : " (" + match.get().note() + ")")
                        + (memory == preset.memoryBytes() ? "" : ", with this machine's memory"));
                unified = true;
            } else {
                notes.add(machine.appleChip().get() + ": not in the catalog with " + machine.appleGpuCores()
                        + " GPU cores (give --hardware unified:SIZE@BANDWIDTH,gpu=SHARE)");
            }
        }
        for (DetectedGpu gpu : machine.gpus()) {
            if (gpu.source().startsWith("system_profiler")) {
                continue;
            }
            Optional<CatalogMatch.Match> match = CatalogMatch.gpu(gpu);
            if (match.isPresent()) {
                hardware.add(match.get().preset().id());
                notes.add(gpu.name() + " = catalog " + match.get().preset().id()
                        + (match.get().note().isEmpty() ? "" : " (" + match.get().note() + ")"));
            } else {
                notes.add(gpu.name() + ": not in the catalog by that name and memory; its bandwidth is unknown (give"
                        + " --hardware gpu:SIZE@BANDWIDTH)");
            }
        }
        OptionalDouble peak = machine.ramPeakBandwidthGBps();
        OptionalDouble ram = measured.isEmpty() ? peak
                : OptionalDouble.of(measured.stream().filter(r -> r.kernel().equals("triad"))
                        .mapToDouble(BandwidthProbe.Result::bestGBps).max().orElseThrow());
        if (!unified && machine.memoryBytes().isPresent()) {
            long usable = machine.memoryBytes().getAsLong() - reserveBytes;
            if (ram.isPresent() && usable > 0) {
                hardware.add(String.format(Locale.ROOT, "ram:%.2fGiB@%.1fGB/s", usable / 0x1p30, ram.getAsDouble()));
                notes.add(String.format(Locale.ROOT, "system RAM: %s%s, at %.1f GB/s (%s)",
                        io.github.llmestimator.examples.Views.gib(machine.memoryBytes().getAsLong()),
                        reserveBytes == 0 ? "" : String.format(Locale.ROOT, " less %.0f GiB for the system",
                                reserveBytes / 0x1p30), ram.getAsDouble(), measured.isEmpty()
                                ? "peak from dmidecode" : "measured, best triad"));
            } else if (ram.isEmpty()) {
                notes.add("system RAM: bandwidth unknown (dmidecode unreadable or incomplete); --measure measures it");
            }
        }
        return new Found(machine, measured, hardware, notes);
    }

    /** Runs the probe with arrays that fit the heap: three arrays in at most half of it. */
    static List<BandwidthProbe.Result> probe(int mib, int cpus) {
        if (mib < 1 || mib > 2047) {
            throw new IllegalArgumentException("--probe-mib: " + mib + " (expected: 1 to 2047)");
        }
        long heap = Runtime.getRuntime().maxMemory();
        long bytes = (long) mib << 20;
        if (3 * bytes > heap / 2) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "--probe-mib: %d MiB x 3 arrays does not fit"
                    + " half of this JVM's %d MiB heap (expected: at most %d, or a larger -Xmx)", mib, heap >> 20,
                    heap / 6 >> 20));
        }
        return new BandwidthProbe(bytes, 5).measure(BandwidthProbe.threadCounts(cpus));
    }

    /** A unified-memory catalog device with another memory size, as an inline --hardware argument. */
    private static String inlineUnified(Device preset, long memoryBytes) {
        // a Mac states no share: its working set follows macOS's rule for the memory detected
        StringBuilder text = new StringBuilder(String.format(Locale.ROOT, "unified:%.2fGiB@%s",
                memoryBytes / 0x1p30, number(preset.memoryBandwidthGBps())));
        preset.gpuMemoryFraction().ifPresent(share -> text.append(",gpu=").append(number(share)));
        preset.denseTflops(Precision.FP16).ifPresent(t -> text.append(",fp16=").append(number(t)));
        text.append(",backend=").append(preset.backend().name().toLowerCase(Locale.ROOT));
        return text.toString();
    }

    private static String number(double value) {
        return value == Math.rint(value) ? String.valueOf((long) value) : String.valueOf(value);
    }
}
