package io.github.llmestimator.examples.cli;

import io.github.llmestimator.catalog.QualityTable;
import io.github.llmestimator.examples.Views;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code quality}: the quality table best-quant uses, with its source, or a user's table as it was read. */
@Command(name = "quality", mixinStandardHelpOptions = true, versionProvider = LlmEstimatorCommand.Version.class,
        description = {"List the quantization quality figures best-quant uses: llama.cpp's published mean"
                + " KL-divergence per file type (tools/perplexity/README.md), with the rule for types it lacks; or"
                + " --quality FILE as read."},
        exitCodeListHeading = "%nExit status:%n", exitCodeList = {"0:listed", "2:bad usage or unreadable input"})
final class QualityCommand implements Callable<Integer> {

    /** The data file's source, as its header names it. */
    private static final String SOURCE = "https://github.com/ggml-org/llama.cpp/blob/master/tools/perplexity/README.md";

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--quality", paramLabel = "FILE",
            description = "A table of your own to check: llama-perplexity --kl-divergence output, or a TSV.")
    Path qualityFile;

    @Option(names = "--json", description = "Print one JSON object.")
    boolean json;

    @Override
    public Integer call() {
        List<QualityTable.Row> rows = qualityFile != null
                ? new ArrayList<>(QualityTable.read(qualityFile).rows().values()) : QualityTable.llamaCppRows();
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            Map<String, Object> root = new LinkedHashMap<>();
            root.put("source", qualityFile != null ? qualityFile.getFileName().toString() : SOURCE);
            root.put("licence", qualityFile != null ? null : "MIT, (c) 2023-2026 The ggml authors");
            List<Map<String, Object>> list = new ArrayList<>();
            for (QualityTable.Row row : rows) {
                Map<String, Object> r = new LinkedHashMap<>();
                r.put("model", row.model());
                r.put("scheme", row.scheme().name());
                r.put("imatrix", row.imatrix());
                r.put("sizeGiB", value(row.sizeGib()));
                r.put("ppl", value(row.ppl()));
                r.put("meanKld", row.meanKld());
                r.put("meanKldUncertainty", row.meanKldUncertainty());
                r.put("pplRatio", value(row.pplRatio()));
                r.put("sameTopPercent", value(row.sameTopPercent()));
                r.put("source", row.source());
                list.add(r);
            }
            root.put("rows", list);
            out.print(Views.json(root));
        } else {
            if (qualityFile != null) {
                out.printf(Locale.ROOT, "Quality figures read from %s:%n", qualityFile.getFileName());
            } else {
                out.printf(Locale.ROOT, "Quantization quality measured with llama.cpp's llama-perplexity"
                        + " --kl-divergence (Wikitext-2, against FP16 logits), every row of%n  %s%n  (MIT, (c)"
                        + " 2023-2026 The ggml authors; sections \"LLaMA 3 8b Scoreboard\" and \"LLaMA 2 vs. LLaMA 3"
                        + " Quantization comparison\")%n", SOURCE);
            }
            String format = "%-12s %-8s %-8s %8s %10s  %-22s %9s %9s%n";
            out.printf(Locale.ROOT, format, "model", "scheme", "imatrix", "size GiB", "PPL", "mean KLD (+- 1 s.e.)",
                    "PPL ratio", "same top");
            for (QualityTable.Row row : rows) {
                out.printf(Locale.ROOT, format, row.model(), row.scheme(), row.imatrix(), text(row.sizeGib(), "%.2f"),
                        text(row.ppl(), "%.6f"), String.format(Locale.ROOT, "%.6f +- %.6f", row.meanKld(),
                                row.meanKldUncertainty()), text(row.pplRatio(), "%.6f"),
                        text(row.sameTopPercent(), "%.3f%%"));
            }
            if (qualityFile == null) {
                for (boolean imatrix : new boolean[] {true, false}) {
                    QualityTable.LogLinearFit fit = QualityTable.llamaCpp(imatrix).fit().orElseThrow();
                    out.printf(Locale.ROOT, "Rule for types the table lacks (%s): ln(KLD) = %.4f %+.4f x bits per"
                            + " weight, %d rows, range x/ %.2f%n", QualityTable.llamaCpp(imatrix).description(),
                            fit.intercept(), fit.slope(), fit.points(), Math.exp(2 * fit.residualSd()));
                }
            }
        }
        out.flush();
        return LlmEstimatorCommand.ANSWERED;
    }

    private static Object value(OptionalDouble value) {
        return value.isPresent() ? value.getAsDouble() : null;
    }

    private static String text(OptionalDouble value, String format) {
        return value.isPresent() ? String.format(Locale.ROOT, format, value.getAsDouble()) : "-";
    }
}
