package io.github.llmestimator.examples.cli;

import io.github.llmestimator.catalog.Catalog;
import io.github.llmestimator.catalog.ModelPreset;
import io.github.llmestimator.examples.Views;
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

/** {@code models}: the catalog's models and the names they go by. */
@Command(name = "models", mixinStandardHelpOptions = true, versionProvider = LlmEstimatorCommand.Version.class,
        description = "List the catalog's models: id, parameters, trained context, and the aliases --model accepts"
                + " (Hugging Face repository, Ollama names).")
final class ModelsCommand implements Callable<Integer> {

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--json", description = "Print one JSON object.")
    boolean json;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        List<ModelPreset> presets = Catalog.models();
        if (json) {
            List<Map<String, Object>> rows = new ArrayList<>();
            for (ModelPreset preset : presets) {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("id", preset.id());
                row.put("name", preset.displayName());
                row.put("totalParameters", preset.spec().totalParameters());
                row.put("activeParameters", preset.spec().activeParameters());
                row.put("maxContextTokens", preset.spec().maxContextTokens());
                row.put("aliases", Catalog.aliases(preset));
                rows.add(row);
            }
            Map<String, Object> root = new LinkedHashMap<>();
            root.put("catalogDataVersion", Catalog.dataVersion());
            root.put("models", rows);
            out.print(Views.json(root));
        } else {
            int id = presets.stream().mapToInt(p -> p.id().length()).max().orElse(2);
            int name = presets.stream().mapToInt(p -> p.displayName().length()).max().orElse(4);
            String format = "%-" + id + "s  %-" + name + "s  %10s  %10s  %9s  %s%n";
            out.printf(Locale.ROOT, format, "id", "name", "params B", "active B", "context", "aliases");
            for (ModelPreset preset : presets) {
                out.printf(Locale.ROOT, format, preset.id(), preset.displayName(),
                        String.format(Locale.ROOT, "%.2f", preset.spec().totalParameters() / 1e9),
                        String.format(Locale.ROOT, "%.2f", preset.spec().activeParameters() / 1e9),
                        String.format(Locale.ROOT, "%,d", preset.spec().maxContextTokens()),
                        String.join(", ", Catalog.aliases(preset)));
            }
            out.println("params B / active B: billions of parameters in all / read per token; context: trained,"
                    + " in tokens; any id or alias works as --model");
        }
        out.flush();
        return LlmEstimatorCommand.ANSWERED;
    }
}
