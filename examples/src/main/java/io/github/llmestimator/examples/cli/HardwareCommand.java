package io.github.llmestimator.examples.cli;

import io.github.llmestimator.catalog.Catalog;
import io.github.llmestimator.catalog.HardwarePreset;
import io.github.llmestimator.examples.Views;
import io.github.llmestimator.examples.machine.BandwidthProbe;
import io.github.llmestimator.examples.machine.DetectedGpu;
import io.github.llmestimator.examples.machine.Fact;
import io.github.llmestimator.hardware.Device;
import io.github.llmestimator.hardware.Precision;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code hardware}: the catalog's devices, or with {@code --detect} this machine. */
@Command(name = "hardware", mixinStandardHelpOptions = true, versionProvider = LlmEstimatorCommand.Version.class,
        description = {"List the catalog's devices: kind, llama.cpp backend, memory, bandwidth, FP16 throughput.",
            "With --detect: this machine, every fact with where it was read, and the --hardware it stands for."})
final class HardwareCommand implements Callable<Integer> {

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--json", description = "Print one JSON object.")
    boolean json;

    @Option(names = "--detect", description = "Detect this machine: CPU, memory, GPUs (nvidia-smi, rocm-smi, macOS"
            + " system_profiler), RAM type and speed (dmidecode, as root).")
    boolean detect;

    @picocli.CommandLine.Mixin
    ThisMachine.MeasureOptions measure;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        if (!detect && measure.measure) {
            throw new IllegalArgumentException("--measure: without --detect (expected: hardware --detect --measure)");
        }
        if (detect) {
            out.print(json ? detectedJson(ThisMachine.detect(measure, 0)) : detectedText(ThisMachine.detect(measure,
                    0)));
            out.flush();
            return LlmEstimatorCommand.ANSWERED;
        }
        List<HardwarePreset> presets = Catalog.hardware();
        if (json) {
            List<Map<String, Object>> rows = new ArrayList<>();
            for (HardwarePreset preset : presets) {
                Device d = preset.device();
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("id", preset.id());
                row.put("name", d.name());
                row.put("aliases", Catalog.hardwareAliases(preset));
                row.put("kind", d.kind().name());
                row.put("backend", d.backend().name());
                row.put("memory", Views.size(d.memoryBytes()));
                row.put("usableMemory", Views.size(d.usableMemoryBytes()));
                row.put("bandwidthGBps", d.memoryBandwidthGBps());
                row.put("fp16Tflops", d.denseTflops(Precision.FP16).isPresent()
                        ? d.denseTflops(Precision.FP16).getAsDouble() : null);
                rows.add(row);
            }
            Map<String, Object> root = new LinkedHashMap<>();
            root.put("hardware", rows);
            out.print(Views.json(root));
        } else {
            int id = presets.stream().mapToInt(p -> p.id().length()).max().orElse(2);
            String format = "%-" + id + "s  %-14s  %-7s  %10s  %10s  %11s%n";
            out.printf(Locale.ROOT, format, "id", "kind", "backend", "GiB", "GB/s", "FP16 TFLOPS");
            for (HardwarePreset preset : presets) {
                Device d = preset.device();
                String fp16 = d.denseTflops(Precision.FP16).isPresent()
                        ? String.format(Locale.ROOT, "%.1f", d.denseTflops(Precision.FP16).getAsDouble()) : "-";
                out.printf(Locale.ROOT, format, preset.id(), d.kind().name().toLowerCase(Locale.ROOT),
                        d.backend().name().toLowerCase(Locale.ROOT),
                        String.format(Locale.ROOT, "%.0f", d.memoryBytes() / (double) (1L << 30)),
                        String.format(Locale.ROOT, "%.1f", d.memoryBandwidthGBps()), fp16);
            }
            out.println("backend: llama.cpp's, which sets the speed constants; GiB: installed memory (2^30 bytes); GB/s:"
                    + " peak memory bandwidth; FP16 TFLOPS: dense, from the datasheet; any id works as --hardware, with a"
                    + " count: 2x rtx-3090");
        }
        out.flush();
        return LlmEstimatorCommand.ANSWERED;
    }

    private static String detectedText(ThisMachine.Found found) {
        StringBuilder out = new StringBuilder("This machine (each fact with where it was read; unknown says why)\n");
        int width = found.machine().facts().stream().mapToInt(f -> f.name().length()).max().orElse(4);
        int valueWidth = found.machine().facts().stream().mapToInt(f -> f.value().length()).max().orElse(5);
        for (Fact fact : found.machine().facts()) {
            out.append(String.format(Locale.ROOT, "  %-" + width + "s  %-" + valueWidth + "s  %s%n", fact.name(),
                    fact.value(), fact.source()));
        }
        if (!found.measured().isEmpty()) {
            BandwidthProbe.Result first = found.measured().get(0);
            out.append(String.format(Locale.ROOT, "Measured RAM bandwidth (STREAM-style copy and triad in Java, best"
                    + " and slowest of %d runs after a warm-up; GB/s = 10^9 bytes/s):%n", first.repetitions()));
            for (BandwidthProbe.Result r : found.measured()) {
                out.append(String.format(Locale.ROOT, "  %-5s %2d thread%s  best %6.1f GB/s  slowest %6.1f GB/s%n",
                        r.kernel(), r.threads(), r.threads() == 1 ? " " : "s", r.bestGBps(), r.worstGBps()));
            }
        }
        out.append("For estimates:\n");
        for (String note : found.notes()) {
            out.append("  ").append(note).append('\n');
        }
        out.append(found.hardware().isEmpty() ? "  no --hardware to suggest: fit uses this machine's memory as a"
                + " budget\n" : "  --hardware " + String.join(" --hardware ", found.hardware()) + "\n");
        return out.toString();
    }

    private static String detectedJson(ThisMachine.Found found) {
        Map<String, Object> root = new LinkedHashMap<>();
        List<Map<String, Object>> facts = new ArrayList<>();
        for (Fact fact : found.machine().facts()) {
            Map<String, Object> f = new LinkedHashMap<>();
            f.put("name", fact.name());
            f.put("value", fact.known() ? fact.value() : null);
            f.put("source", fact.source());
            facts.add(f);
        }
        root.put("facts", facts);
        root.put("memory", found.machine().memoryBytes().isPresent()
                ? Views.size(found.machine().memoryBytes().getAsLong()) : null);
        root.put("logicalCpus", found.machine().logicalCpus());
        List<Map<String, Object>> gpus = new ArrayList<>();
        for (DetectedGpu gpu : found.machine().gpus()) {
            Map<String, Object> g = new LinkedHashMap<>();
            g.put("name", gpu.name());
            g.put("memory", gpu.memoryBytes().isPresent() ? Views.size(gpu.memoryBytes().getAsLong()) : null);
            g.put("cores", gpu.cores().isPresent() ? gpu.cores().getAsInt() : null);
            g.put("source", gpu.source());
            gpus.add(g);
        }
        root.put("gpus", gpus);
        root.put("ramPeakBandwidthGBps", found.machine().ramPeakBandwidthGBps().isPresent()
                ? found.machine().ramPeakBandwidthGBps().getAsDouble() : null);
        List<Map<String, Object>> measured = new ArrayList<>();
        for (BandwidthProbe.Result r : found.measured()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("kernel", r.kernel());
            m.put("threads", r.threads());
            m.put("bestGBps", r.bestGBps());
            m.put("slowestGBps", r.worstGBps());
            m.put("repetitions", r.repetitions());
            measured.add(m);
        }
        root.put("measured", measured);
        root.put("hardware", found.hardware());
        root.put("notes", found.notes());
        return Views.json(root);
    }
}
