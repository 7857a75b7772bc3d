package io.github.llmestimator.examples.cli;

import io.github.llmestimator.Estimator;
import io.github.llmestimator.catalog.Catalog;
import io.github.llmestimator.catalog.HardwarePreset;
import io.github.llmestimator.catalog.ModelPreset;
import io.github.llmestimator.examples.ModelReport;
import io.github.llmestimator.hardware.Precision;
import io.github.llmestimator.model.ModelSpec;
import io.github.llmestimator.quant.QuantScheme;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The {@code llm-estimator} command line: {@code estimate}, {@code fit}, {@code sweep}, {@code models} and
 * {@code hardware}.
 * Errors in arguments name the argument and the allowed values, and exit with status 2.
 */
@Command(name = "llm-estimator", mixinStandardHelpOptions = true, version = "llm-estimator 0.1.0-SNAPSHOT",
        description = "Memory and speed of running large language models.",
        subcommands = {LlmEstimatorCommand.EstimateCommand.class, LlmEstimatorCommand.FitCommand.class,
            LlmEstimatorCommand.SweepCommand.class,
            LlmEstimatorCommand.ModelsCommand.class, LlmEstimatorCommand.HardwareCommand.class})
public final class LlmEstimatorCommand implements Runnable {

    @Spec
    CommandLine.Model.CommandSpec spec;

    /**
     * Runs the command line and exits with its status.
     *
     * @param args the arguments
     */
    public static void main(String[] args) {
        System.exit(execute(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /**
     * Runs the command line with the given streams and returns its exit status (0 ok, 1 failure, 2 bad arguments).
     *
     * @param args the arguments
     * @param out standard output
     * @param err standard error
     * @return the exit status
     */
    public static int execute(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine line = new CommandLine(new LlmEstimatorCommand()).setOut(out).setErr(err)
                .setCaseInsensitiveEnumValuesAllowed(true);
        line.setExecutionExceptionHandler((exception, commandLine, parseResult) -> {
            if (exception instanceof IllegalArgumentException) {
                commandLine.getErr().println("llm-estimator: " + exception.getMessage());
                return 2;
            }
            throw exception;
        });
        return line.execute(args);
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** {@code estimate}: the memory report for one model. */
    @Command(name = "estimate", description = "Memory report for a catalog model or a config.json.")
    static final class EstimateCommand implements Callable<Integer> {
        @Spec
        CommandLine.Model.CommandSpec spec;

        @Option(names = {"-m", "--model"}, defaultValue = "qwen3.5-397b-a17b",
                description = "Catalog id or path of a config.json (default: ${DEFAULT-VALUE}).")
        String model;

        @Option(names = {"-q", "--quant"}, defaultValue = "Q4_K_M",
                description = "Quantization scheme (default: ${DEFAULT-VALUE}); one of: ${COMPLETION-CANDIDATES}.")
        QuantScheme scheme;

        @Option(names = {"-c", "--context"}, defaultValue = "8192", description = "Context in tokens.")
        int context;

        @Option(names = "--json", description = "Print the report as JSON.")
        boolean json;

        @Override
        public Integer call() {
            if (context < 1) {
                throw new IllegalArgumentException("--context: " + context + " (expected: tokens >= 1)");
            }
            spec.commandLine().getOut().print(json ? ModelReport.renderJson(model, scheme, context)
                    : ModelReport.render(model, scheme, context));
            return 0;
        }
    }

    /** {@code fit}: the best scheme of every catalog model that fits given hardware, or this machine's memory. */
    @Command(name = "fit", description = "What fits: the best scheme of each catalog model on the given hardware, or in"
            + " a memory budget (default: this machine's RAM).")
    static final class FitCommand implements Callable<Integer> {
        @Spec
        CommandLine.Model.CommandSpec spec;

        @Option(names = "--hardware", description = "Catalog hardware id (see `hardware`); default: none, use --memory-gb.")
        String hardware;

        @Option(names = "--memory-gb", description = "Memory budget in GB as sold (GiB); default: this machine's RAM.")
        Integer memoryGb;

        @Option(names = {"-c", "--context"}, defaultValue = "8192", description = "Context in tokens.")
        int context;

        @Option(names = "--models", split = ",", description = "Catalog ids (default: every model).")
        List<String> models;

        @Override
        public Integer call() {
            if (context < 1) {
                throw new IllegalArgumentException("--context: " + context + " (expected: tokens >= 1)");
            }
            if (memoryGb != null && memoryGb < 1) {
                throw new IllegalArgumentException("--memory-gb: " + memoryGb + " (expected: >= 1)");
            }
            PrintWriter out = spec.commandLine().getOut();
            io.github.llmestimator.hardware.Device device = hardware == null ? null
                    : Catalog.hardware(hardware).device();
            long budget = memoryGb != null ? (long) memoryGb << 30 : thisMachineBytes();
            out.printf(Locale.ROOT, "Fitting at %,d tokens on %s%n", context, device != null ? device.name()
                    : String.format(Locale.ROOT, "a %.1f GiB budget%s", budget / (double) (1L << 30),
                            memoryGb == null ? " (this machine's RAM)" : ""));
            out.printf(Locale.ROOT, "%-26s %-5s %-10s %12s %s%n", "model", "fits", "best", "total GiB", "binding");
            List<ModelPreset> presets = new ArrayList<>();
            if (models == null) {
                presets.addAll(Catalog.models());
            } else {
                models.forEach(id -> presets.add(Catalog.model(id)));
            }
            for (ModelPreset preset : presets) {
                Estimator base = Estimator.of(preset.spec()).context(context);
                var plan = device != null ? base.on(device).bestQuant() : base.bestQuant(budget);
                out.printf(Locale.ROOT, "%-26s %-5s %-10s %12.2f %s%n", preset.id(), plan.fits() ? "yes" : "no",
                        plan.fits() ? plan.scheme().name() : "-",
                        plan.estimate().totalBytes() / (double) (1L << 30), plan.binding());
            }
            return 0;
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

    /** {@code sweep}: CSV of model x scheme x context. */
    @Command(name = "sweep", description = "CSV of total memory for every model x scheme x context.")
    static final class SweepCommand implements Callable<Integer> {
        @Spec
        CommandLine.Model.CommandSpec spec;

        @Option(names = "--models", split = ",", description = "Catalog ids (default: every model).")
        List<String> models;

        @Option(names = "--quants", split = ",", description = "Schemes (default: every scheme).")
        List<QuantScheme> schemes;

        @Option(names = "--contexts", split = ",", defaultValue = "1024,4096,8192,32768,131072",
                description = "Contexts in tokens (default: ${DEFAULT-VALUE}).")
        List<Integer> contexts;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            List<ModelPreset> presets = new ArrayList<>();
            if (models == null) {
                presets.addAll(Catalog.models());
            } else {
                models.forEach(id -> presets.add(Catalog.model(id)));
            }
            List<QuantScheme> chosen = schemes == null ? Arrays.asList(QuantScheme.values()) : schemes;
            for (int context : contexts) {
                if (context < 1) {
                    throw new IllegalArgumentException("--contexts: " + context + " (expected: tokens >= 1)");
                }
            }
            Progress progress = new Progress(spec.commandLine().getErr(), presets.size() * chosen.size());
            out.println("model,scheme,context_tokens,weight_bytes,kv_cache_bytes,recurrent_state_bytes,total_bytes,"
                    + "total_gib,recommended_kit_gb");
            for (ModelPreset preset : presets) {
                ModelSpec model = preset.spec();
                for (QuantScheme scheme : chosen) {
                    Estimator base = Estimator.of(model).quant(scheme);
                    for (int context : contexts) {
                        var e = base.context(context).estimate();
                        out.printf(Locale.ROOT, "%s,%s,%d,%d,%d,%d,%d,%.3f,%d%n", preset.id(), scheme, context,
                                e.weightBytes(), e.kvCacheBytes(), e.recurrentStateBytes(), e.totalBytes(),
                                e.totalBytes() / (double) (1L << 30), e.recommendedKit().nominalGB());
                    }
                    progress.step();
                }
            }
            progress.done();
            return 0;
        }
    }

    /** {@code models}: the catalog's models. */
    @Command(name = "models", description = "List the catalog's models.")
    static final class ModelsCommand implements Callable<Integer> {
        @Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            out.printf(Locale.ROOT, "%-26s %-34s %12s %12s%n", "id", "name", "params (B)", "active (B)");
            for (ModelPreset preset : Catalog.models()) {
                out.printf(Locale.ROOT, "%-26s %-34s %12.2f %12.2f%n", preset.id(), preset.displayName(),
                        preset.spec().totalParameters() / 1e9, preset.spec().activeParameters() / 1e9);
            }
            return 0;
        }
    }

    /** {@code hardware}: the catalog's devices. */
    @Command(name = "hardware", description = "List the catalog's hardware.")
    static final class HardwareCommand implements Callable<Integer> {
        @Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            out.printf(Locale.ROOT, "%-24s %-15s %10s %12s %12s%n", "id", "kind", "GiB", "GB/s", "FP16 TFLOPS");
            for (HardwarePreset preset : Catalog.hardware()) {
                var d = preset.device();
                String fp16 = d.denseTflops(Precision.FP16).isPresent()
                        ? String.format(Locale.ROOT, "%.1f", d.denseTflops(Precision.FP16).getAsDouble()) : "-";
                out.printf(Locale.ROOT, "%-24s %-15s %10.0f %12.1f %12s%n", preset.id(), d.kind(),
                        d.memoryBytes() / (double) (1L << 30), d.memoryBandwidthGBps(), fp16);
            }
            return 0;
        }
    }

    /** A progress bar on standard error, shown only once the work has taken more than a second. */
    static final class Progress {
        private final PrintWriter err;
        private final int total;
        private final long start = System.nanoTime();
        private int done;
        private boolean shown;

        Progress(PrintWriter err, int total) {
            this.err = err;
            this.total = Math.max(1, total);
        }

        void step() {
            done++;
            if (System.nanoTime() - start > 1_000_000_000L) {
                int width = 40;
                int filled = done * width / total;
                err.print("\r[" + "#".repeat(filled) + " ".repeat(width - filled) + "] " + done + "/" + total);
                err.flush();
                shown = true;
            }
        }

        void done() {
            if (shown) {
                err.println();
            }
        }
    }
}
