package io.github.llmestimator.examples.cli;

import io.github.llmestimator.Estimator;
import io.github.llmestimator.catalog.Catalog;
import io.github.llmestimator.catalog.ModelPreset;
import io.github.llmestimator.examples.Views;
import io.github.llmestimator.memory.DataSize;
import io.github.llmestimator.planning.SchemePlan;
import io.github.llmestimator.quant.QuantScheme;
import io.github.llmestimator.throughput.DecodeSpeed;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code fit}: the best scheme of each catalog model on given hardware, or in a memory budget. */
@Command(name = "fit", mixinStandardHelpOptions = true, versionProvider = LlmEstimatorCommand.Version.class,
        description = {"What fits: the best scheme of each catalog model on --hardware (with its decode speed), or in"
                + " a memory budget (--memory-gb), else on this machine as `hardware --detect` finds it: its GPUs or"
                + " Apple chip, and its RAM less --os-reserve-gib (with decode speeds where its bandwidth is known or"
                + " --measure measures it; otherwise as a memory budget)."},
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {"0:answered (some model fits)", "1:no model fits", "2:bad usage or unreadable input"})
final class FitCommand implements Callable<Integer> {

    /** What a desktop's operating system and everyday programs keep in use; 0 suits a dedicated server. */
    static final int DEFAULT_OS_RESERVE_GIB = 4;

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    HardwareOptions hardware;

    @Option(names = "--memory-gb", paramLabel = "GB",
            description = "Memory installed, as sold: a \"64 GB\" kit is 64 GiB (default: this machine's RAM).")
    Integer memoryGb;

    @Option(names = "--os-reserve-gib", paramLabel = "GIB", defaultValue = "" + DEFAULT_OS_RESERVE_GIB,
            description = "Memory the system and other programs keep, taken from a budget (default: ${DEFAULT-VALUE}"
                    + " GiB; 0 on a dedicated server). Not applied to --hardware, whose devices are the model's.")
    int osReserveGib;

    @Option(names = {"-c", "--ctx-size", "--context"}, paramLabel = "TOKENS", defaultValue = "8192",
            converter = ModelOptions.TokenCount.class, description = "Context in tokens (default: ${DEFAULT-VALUE}).")
    int context;

    @Option(names = "--models", split = ",", paramLabel = "ID", description = "Catalog ids (default: every model).")
    List<String> models;

    @Option(names = "--json", description = "Print one JSON object.")
    boolean json;

    @picocli.CommandLine.Mixin
    ThisMachine.MeasureOptions measure;

    @Override
    public Integer call() {
        if (memoryGb != null && hardware.given()) {
            throw new IllegalArgumentException("--memory-gb with --hardware: give one (expected: devices, or a"
                    + " budget)");
        }
        if (memoryGb != null && (memoryGb < 1 || memoryGb > 1 << 20)) {
            throw new IllegalArgumentException("--memory-gb: " + memoryGb + " (expected: 1 to " + (1 << 20) + ")");
        }
        if (osReserveGib < 0) {
            throw new IllegalArgumentException("--os-reserve-gib: " + osReserveGib + " (expected: >= 0)");
        }
        if (measure.measure && (memoryGb != null || hardware.given())) {
            throw new IllegalArgumentException("--measure: with --memory-gb or --hardware (expected: alone, to measure"
                    + " this machine)");
        }
        String detected = null;
        long installed = 0;
        if (memoryGb != null) {
            installed = (long) memoryGb << 30;
        } else if (!hardware.given()) {
            ThisMachine.Found found = ThisMachine.detect(measure, (long) osReserveGib << 30);
            if (!found.hardware().isEmpty()) {
                hardware.hardware.addAll(found.hardware());
                detected = "this machine (" + String.join("; ", found.notes()) + ")";
            } else {
                installed = found.machine().memoryBytes().orElseGet(FitCommand::thisMachineBytes);
            }
        }
        long budget = installed - ((long) osReserveGib << 30);
        if (!hardware.given() && budget <= 0) {
            throw new IllegalArgumentException("--os-reserve-gib: " + osReserveGib + " GiB leaves nothing of "
                    + Views.gib(installed) + " (expected: less than the memory)");
        }
        List<ModelPreset> presets = new ArrayList<>();
        if (models == null) {
            presets.addAll(Catalog.models());
        } else {
            models.forEach(id -> presets.add(Catalog.model(id)));
        }
        List<Row> rows = new ArrayList<>();
        boolean anyFits = false;
        for (ModelPreset preset : presets) {
            Estimator base = Estimator.of(preset.spec()).context(Math.min(context, preset.spec().maxContextTokens()));
            SchemePlan plan;
            String placement = null;
            if (hardware.given()) {
                // Without -ngl or --n-cpu-moe, a GPU + RAM split is the one llama.cpp's --fit picks at Q4_K_M, and
                // every scheme is tried on that split.
                HardwareOptions.Chosen chosen = hardware.deployment(base.quant(QuantScheme.Q4_K_M)).orElseThrow();
                String flags = HardwareOptions.flags(chosen.deployment().placement(), preset.spec().layers().size());
                placement = flags != null ? flags : chosen.placement();
                plan = SchemePlan.of(base.on(chosen.deployment()));
            } else {
                plan = SchemePlan.of(base, DataSize.ofBytes(budget));
            }
            anyFits |= plan.fits();
            rows.add(new Row(preset.id(), plan, placement));
        }
        PrintWriter out = spec.commandLine().getOut();
        String target = hardware.given() ? String.join(" + ", hardware.hardware) + (detected == null ? ""
                : ", " + detected)
                : String.format(Locale.ROOT, "a budget of %s: %s %s less %d GiB for the system", Views.gib(budget),
                        Views.gib(installed), memoryGb == null ? "(this machine's memory, as hardware --detect"
                                + " reads it)" : "(--memory-gb)", osReserveGib);
        if (json) {
            Map<String, Object> root = new LinkedHashMap<>();
            root.put("target", target);
            root.put("budget", hardware.given() ? null : Views.size(budget));
            root.put("contextTokens", context);
            List<Map<String, Object>> models = new ArrayList<>();
            rows.forEach(row -> models.add(row.json()));
            root.put("models", models);
            out.print(Views.json(root));
        } else {
            out.printf(Locale.ROOT, "Best scheme of each model at %,d tokens (or its trained context) on %s%n", context,
                    target);
            int width = presets.stream().mapToInt(p -> p.id().length()).max().orElse(5);
            String format = "%-" + width + "s  %-4s  %-9s  %10s  %-12s  %-15s  %s%n";
            out.printf(Locale.ROOT, format, "model", "fits", "best", "total GiB", "binding", "decode tokens/s",
                    hardware.given() ? "placement" : "");
            for (Row row : rows) {
                SchemePlan plan = row.plan();
                out.printf(Locale.ROOT, format, row.model(), plan.fits() ? "yes" : "no",
                        plan.fits() ? plan.scheme().name() : "-",
                        String.format(Locale.ROOT, "%.2f", plan.estimate().totalBytes() / (double) (1L << 30)),
                        plan.binding().name().toLowerCase(Locale.ROOT), row.decode().map(d -> Views.speed(
                                d.tokensPerSecond())).orElse("-"), row.placement() == null ? "" : row.placement());
            }
            out.println("best = the scheme with the most bits per weight that fits; binding = why the next better one"
                    + " does not (weights, kv_cache) or none; decode at the end of the context, with --hardware only;"
                    + " a GPU + RAM split without -ngl/--n-cpu-moe is the one llama.cpp's --fit picks at Q4_K_M");
        }
        out.flush();
        return anyFits ? LlmEstimatorCommand.ANSWERED : LlmEstimatorCommand.DOES_NOT_FIT;
    }

    /** One model's answer: its best-scheme plan and, on hardware, the placement it was tried on. */
    private record Row(String model, SchemePlan plan, String placement) {
        Optional<DecodeSpeed> decode() {
            return plan.fits() ? plan.decode() : Optional.empty();
        }

        Map<String, Object> json() {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("model", model);
            row.put("contextTokens", plan.estimate().context().settings().contextTokens());
            row.put("placement", placement);
            row.put("fits", plan.fits());
            row.put("scheme", plan.fits() ? plan.scheme().name() : null);
            row.put("total", Views.size(plan.estimate().totalBytes()));
            row.put("binding", plan.binding().name());
            row.put("decode", decode().map(Views::decode).orElse(null));
            return row;
        }
    }

    private static long thisMachineBytes() {
        java.lang.management.OperatingSystemMXBean bean = java.lang.management.ManagementFactory
                .getOperatingSystemMXBean();
        if (bean instanceof com.sun.management.OperatingSystemMXBean) {
            return ((com.sun.management.OperatingSystemMXBean) bean).getTotalMemorySize();
        }
        throw new IllegalArgumentException("--memory-gb: not given and this JVM cannot read the machine's memory"
                + " (expected: --memory-gb N)");
    }
}
