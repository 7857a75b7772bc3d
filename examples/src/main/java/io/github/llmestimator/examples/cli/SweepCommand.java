package io.github.llmestimator.examples.cli;

import io.github.llmestimator.Estimator;
import io.github.llmestimator.catalog.Catalog;
import io.github.llmestimator.catalog.ModelPreset;
import io.github.llmestimator.examples.Views;
import io.github.llmestimator.model.ModelSpec;
import io.github.llmestimator.quant.QuantScheme;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code sweep}: CSV of model x scheme x context. */
@Command(name = "sweep", mixinStandardHelpOptions = true, versionProvider = LlmEstimatorCommand.Version.class,
        description = {"CSV of the memory of every model x scheme x context (sizes in bytes, total also in GiB), or"
                + " one JSON object with --json.",
            "A progress bar goes to standard error only when it is a terminal."},
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {"0:answered", "2:bad usage or unreadable input"})
final class SweepCommand implements Callable<Integer> {

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--models", split = ",", paramLabel = "ID", description = "Catalog ids (default: every model).")
    List<String> models;

    @Option(names = "--quants", split = ",", paramLabel = "SCHEME", description = "Schemes (default: every scheme).")
    List<QuantScheme> schemes;

    @Option(names = "--contexts", split = ",", paramLabel = "TOKENS", defaultValue = "1024,4096,8192,32768,131072",
            converter = ModelOptions.TokenCount.class, description = "Contexts in tokens (default: ${DEFAULT-VALUE}).")
    List<Integer> contexts;

    @Option(names = "--json", description = "Print one JSON object instead of CSV.")
    boolean json;

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
        Progress progress = new Progress(System.console() != null ? spec.commandLine().getErr() : null,
                presets.size() * chosen.size());
        if (!json) {
            out.println("model,scheme,context_tokens,weight_bytes,kv_cache_bytes,recurrent_state_bytes,total_bytes,"
                    + "total_gib,recommended_kit_gb");
        }
        List<Map<String, Object>> rows = new ArrayList<>();
        for (ModelPreset preset : presets) {
            ModelSpec model = preset.spec();
            for (QuantScheme scheme : chosen) {
                Estimator base = Estimator.of(model).quant(scheme);
                for (int context : contexts) {
                    var e = base.context(context).estimate();
                    if (json) {
                        Map<String, Object> row = new LinkedHashMap<>();
                        row.put("model", preset.id());
                        row.put("scheme", scheme.name());
                        row.put("contextTokens", context);
                        row.put("memory", Views.memory(e));
                        rows.add(row);
                    } else {
                        out.printf(Locale.ROOT, "%s,%s,%d,%d,%d,%d,%d,%.3f,%d%n", preset.id(), scheme, context,
                                e.weightBytes(), e.kvCacheBytes(), e.recurrentStateBytes(), e.totalBytes(),
                                e.totalBytes() / (double) (1L << 30), e.recommendedKit().nominalGiB());
                    }
                }
                progress.step();
            }
        }
        progress.done();
        if (json) {
            Map<String, Object> root = new LinkedHashMap<>();
            root.put("catalogDataVersion", Catalog.dataVersion());
            root.put("rows", rows);
            out.print(Views.json(root));
        }
        out.flush();
        return LlmEstimatorCommand.ANSWERED;
    }

    /** A progress bar on a terminal's standard error, shown once the work has taken more than a second. */
    static final class Progress {
        private final PrintWriter err;
        private final int total;
        private final long start = System.nanoTime();
        private int done;
        private boolean shown;

        /** A progress bar on {@code err}, or none when {@code err} is null. */
        Progress(PrintWriter err, int total) {
            this.err = err;
            this.total = Math.max(1, total);
        }

        void step() {
            done++;
            if (err != null && System.nanoTime() - start > 1_000_000_000L) {
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
