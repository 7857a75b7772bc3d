package io.github.llmestimator.examples.cli;

import io.github.llmestimator.catalog.Catalog;
import io.github.llmestimator.catalog.HardwarePreset;
import io.github.llmestimator.examples.Views;
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

/** {@code hardware}: the catalog's devices. */
@Command(name = "hardware", mixinStandardHelpOptions = true, versionProvider = LlmEstimatorCommand.Version.class,
        description = "List the catalog's devices: kind, llama.cpp backend, memory, bandwidth, FP16 throughput.")
final class HardwareCommand implements Callable<Integer> {

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--json", description = "Print one JSON object.")
    boolean json;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        List<HardwarePreset> presets = Catalog.hardware();
        if (json) {
            List<Map<String, Object>> rows = new ArrayList<>();
            for (HardwarePreset preset : presets) {
                Device d = preset.device();
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("id", preset.id());
                row.put("name", d.name());
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
}
