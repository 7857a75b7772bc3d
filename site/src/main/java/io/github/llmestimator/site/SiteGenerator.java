package io.github.llmestimator.site;

import io.github.llmestimator.Estimate;
import io.github.llmestimator.Estimator;
import io.github.llmestimator.catalog.Catalog;
import io.github.llmestimator.catalog.ModelPreset;
import io.github.llmestimator.model.ModelSpec;
import io.github.llmestimator.quant.QuantScheme;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Writes the static calculator site: {@code index.html}, one page per catalog model under {@code models/} with its
 * speed matrices beside it, {@code hardware.html} and the shared assets. Every figure is computed by the library
 * here; the pages' scripts only look values up (see the README, "Web site").
 *
 * <p>Usage: {@code SiteGenerator output-directory}.
 */
public final class SiteGenerator {

    private static final List<String> ASSETS = List.of("site.css", "common.js", "model.js", "hardware.js");

    private SiteGenerator() {
    }

    /**
     * Writes the site.
     *
     * @param args the output directory
     * @throws IOException if a file cannot be written
     */
    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            throw new IllegalArgumentException("arguments: " + List.of(args) + " (expected: one output directory)");
        }
        long start = System.nanoTime();
        Path out = Path.of(args[0]);
        write(out, Catalog.models());
        System.out.printf(Locale.ROOT, "site: %d model pages written to %s in %.1f s; open %s%n",
                Catalog.models().size(), out, (System.nanoTime() - start) / 1e9, out.resolve("index.html"));
    }

    /**
     * Writes the site for the given models.
     *
     * @param out the output directory, created when absent
     * @param presets the models
     * @throws IOException if a file cannot be written
     */
    static void write(Path out, List<ModelPreset> presets) throws IOException {
        Files.createDirectories(out.resolve("assets"));
        Files.createDirectories(out.resolve("models"));
        for (String asset : ASSETS) {
            try (InputStream in = SiteGenerator.class.getResourceAsStream(asset)) {
                if (in == null) {
                    throw new IllegalStateException("asset: " + asset + " (expected: on the class path beside "
                            + SiteGenerator.class.getName() + ")");
                }
                Files.write(out.resolve("assets").resolve(asset), in.readAllBytes());
            }
        }
        presets.parallelStream().forEach(preset -> {
            try {
                ModelPage page = new ModelPage(preset);
                Path dir = Files.createDirectories(out.resolve("models").resolve(preset.id()));
                for (QuantScheme scheme : page.schemes()) {
                    write(dir.resolve(scheme.name() + ".js"), page.speedScript(scheme));
                }
                write(out.resolve("models").resolve(preset.id() + ".html"), page.html());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        write(out.resolve("index.html"), index(presets));
        write(out.resolve("hardware.html"), OwnHardwarePage.html(presets));
    }

    private static void write(Path file, String text) throws IOException {
        Files.writeString(file, text, StandardCharsets.UTF_8);
    }

    private static String index(List<ModelPreset> presets) {
        StringBuilder rows = new StringBuilder();
        for (ModelPreset preset : presets) {
            ModelSpec spec = preset.spec();
            int context = Math.min(ModelPage.DEFAULT_CONTEXT, spec.maxContextTokens());
            Estimate q4 = Estimator.of(spec).quant(QuantScheme.Q4_K_M).context(context).estimate();
            rows.append(String.format(Locale.ROOT, "<tr><th scope=\"row\"><a href=\"models/%s.html\">%s</a></th>"
                    + "<td>%s</td><td>%.1f B</td><td>%.1f B</td><td>%,d</td><td>%s</td><td>%s</td></tr>\n",
                    preset.id(), Html.escape(preset.displayName()),
                    spec.isMixtureOfExperts() ? "MoE" : "dense", spec.totalParameters() / 1e9,
                    spec.activeParameters() / 1e9, spec.maxContextTokens(), q4.total(), q4.recommendedKit()));
        }
        String body = "<h1>LLM memory and speed calculator</h1>\n"
                + "<p class=\"lead\">How much memory a model needs with llama.cpp, for every quantization and context,"
                + " and how fast it runs on common hardware. Every figure comes from the llm-estimator library"
                + " (catalog data " + Html.escape(Catalog.dataVersion()) + "): llama.cpp's quantization recipes,"
                + " its KV-cache and state allocation, and a speed model fitted on published llama-bench runs.</p>\n"
                + "<p><a href=\"hardware.html\">What runs on your own hardware?</a></p>\n"
                + "<div class=\"field\"><label for=\"filter\">Find a model</label><input id=\"filter\" type=\"search\""
                + " autocomplete=\"off\"></div>\n"
                + "<div class=\"scroll\"><table id=\"models\"><caption>Catalog models; memory at Q4_K_M and 8K tokens"
                + " (or the model's maximum when shorter)</caption><thead><tr><th scope=\"col\">Model</th>"
                + "<th scope=\"col\">Kind</th><th scope=\"col\">Parameters</th><th scope=\"col\">Active</th>"
                + "<th scope=\"col\">Max context</th><th scope=\"col\">Q4_K_M total</th><th scope=\"col\">Memory to buy"
                + "</th></tr></thead><tbody>\n" + rows + "</tbody></table></div>\n";
        String script = "<script>document.getElementById('filter').addEventListener('input', function (e) {\n"
                + "  var q = e.target.value.toLowerCase();\n"
                + "  document.querySelectorAll('#models tbody tr').forEach(function (tr) {\n"
                + "    tr.hidden = tr.textContent.toLowerCase().indexOf(q) < 0; });\n});</script>\n";
        return Html.page("LLM memory and speed calculator — llm-estimator", "", body, script);
    }
}
