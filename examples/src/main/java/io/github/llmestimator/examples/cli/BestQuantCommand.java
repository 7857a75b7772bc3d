package io.github.llmestimator.examples.cli;

import io.github.llmestimator.Estimator;
import io.github.llmestimator.catalog.QualityTable;
import io.github.llmestimator.examples.Views;
import io.github.llmestimator.memory.DataSize;
import io.github.llmestimator.planning.DecodeTarget;
import io.github.llmestimator.planning.QuantFrontier;
import io.github.llmestimator.planning.QuantObjective;
import io.github.llmestimator.planning.SchemePlan;
import io.github.llmestimator.quant.QuantQuality;
import io.github.llmestimator.quant.QuantScheme;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code best-quant}: the size-quality frontier of the schemes that fit, and the one an objective picks: the best
 * quality (default), the fastest or the smallest within a KL-divergence limit.
 */
@Command(name = "best-quant", mixinStandardHelpOptions = true, versionProvider = LlmEstimatorCommand.Version.class,
        description = {"Which quantization to take: the schemes that fit at the given context (on --hardware, at"
                + " --min-tps, or in a --memory budget), their size and expected quality loss (mean KL-divergence,"
                + " llama.cpp's published LLaMA 3 8B figures or --quality FILE), and the one the --objective picks.",
            "--quant is ignored: every scheme is a candidate."},
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {"0:answered", "1:no scheme fits (within --max-kld)", "2:bad usage or unreadable input"})
final class BestQuantCommand extends ModelCommand {

    /** What the objective optimises, by its command-line name. */
    enum Goal {
        /** The lowest mean KL-divergence. */
        QUALITY,
        /** The fastest decode within --max-kld. */
        FASTEST,
        /** The least memory within --max-kld. */
        SMALLEST
    }

    @Mixin
    Budget budget;

    @Option(names = "--min-tps", paramLabel = "TOKENS_PER_SECOND",
            description = "Slowest acceptable decode, per sequence, at the end of the context (needs --hardware).")
    Double minTokensPerSecond;

    @Option(names = "--objective", paramLabel = "GOAL", defaultValue = "quality",
            description = "quality (default: the lowest mean KL-divergence that fits), fastest (needs --hardware) or"
                    + " smallest, both within --max-kld.")
    Goal goal;

    @Option(names = "--max-kld", paramLabel = "KLD",
            description = "The largest acceptable mean KL-divergence, for --objective fastest or smallest.")
    Double maxKld;

    @Option(names = "--quality", paramLabel = "FILE",
            description = "Your own figures: the output of llama-perplexity --kl-divergence runs, or tab-separated"
                    + " lines of scheme and mean KL-divergence.")
    Path qualityFile;

    @Option(names = "--no-imatrix",
            description = "Use llama.cpp's figures for files made without an importance matrix.")
    boolean noImatrix;

    @Override
    public Integer call() {
        if (minTokensPerSecond != null && budget.bytes != null) {
            throw new IllegalArgumentException("--min-tps with --memory: a budget has no speed (expected: --hardware)");
        }
        QuantObjective objective = objective();
        if (qualityFile != null && noImatrix) {
            throw new IllegalArgumentException("--no-imatrix with --quality: your file has its own figures (expected:"
                    + " one of them)");
        }
        QualityTable quality = qualityFile != null ? QualityTable.read(qualityFile) : QualityTable.llamaCpp(!noImatrix);
        Estimator estimator = onHardwareOrBudget(budget, "the model");
        // For hf:owner/repo the candidates are the schemes the repository really publishes.
        Optional<List<QuantScheme>> published = model.publishedSchemes();
        List<QuantScheme> candidates = published.orElse(SchemePlan.DEFAULT_CANDIDATES);
        SchemePlan plan;
        QuantFrontier frontier;
        if (budget.bytes != null) {
            plan = SchemePlan.of(estimator, candidates, DataSize.ofBytes(budget.bytes));
            frontier = QuantFrontier.of(estimator, candidates, quality, objective, DataSize.ofBytes(budget.bytes));
        } else if (minTokensPerSecond != null) {
            plan = SchemePlan.of(estimator, candidates, DecodeTarget.of(minTokensPerSecond));
            frontier = QuantFrontier.of(estimator, candidates, quality, objective, DecodeTarget.of(minTokensPerSecond));
        } else {
            plan = SchemePlan.of(estimator, candidates);
            frontier = QuantFrontier.of(estimator, candidates, quality, objective);
        }
        Optional<QuantFrontier.Option> chosen = frontier.chosen();
        if (json) {
            Map<String, Object> root = json(plan, frontier, quality);
            root.put("candidates", candidates.stream().map(Enum::name).toArray());
            printJson(root);
        } else {
            print(text(plan, frontier, quality, published));
        }
        return status(chosen.isPresent());
    }

    private QuantObjective objective() {
        if (goal == Goal.QUALITY) {
            if (maxKld != null) {
                throw new IllegalArgumentException("--max-kld with --objective quality: the best quality has no limit"
                        + " (expected: --objective fastest or smallest)");
            }
            return QuantObjective.bestQuality();
        }
        if (maxKld == null) {
            throw new IllegalArgumentException("--objective " + goal.name().toLowerCase(Locale.ROOT) + ": no"
                    + " --max-kld (expected: the largest acceptable mean KL-divergence, e.g. --max-kld 0.05)");
        }
        if (goal == Goal.FASTEST && budget.bytes != null) {
            throw new IllegalArgumentException("--objective fastest with --memory: a budget has no speed (expected:"
                    + " --hardware)");
        }
        return goal == Goal.FASTEST ? QuantObjective.fastestWithin(maxKld) : QuantObjective.smallestWithin(maxKld);
    }

    private String text(SchemePlan plan, QuantFrontier frontier, QualityTable quality,
            Optional<List<QuantScheme>> published) {
        StringBuilder out = new StringBuilder();
        String name = model.source().displayName();
        Optional<QuantFrontier.Option> chosen = frontier.chosen();
        if (chosen.isPresent()) {
            QuantFrontier.Option c = chosen.get();
            DeploymentReport.line(out, "%s: %s is %s%s (%.2f bits per weight, weights %s; mean KLD %s)", name,
                    what(frontier.objective()), c.scheme(), frontier.objective().kind()
                            == QuantObjective.Kind.BEST_QUALITY ? ", the lowest mean KL-divergence" : "",
                    c.estimate().weights().bitsPerWeight(),
                    Views.gib(c.estimate().weightBytes()), kld(c.quality().orElseThrow()));
            c.decodeTokensPerSecond().ifPresent(tps -> DeploymentReport.line(out,
                    "  decode at the end of the context: %s tokens/s per sequence", Views.speed(tps)));
        } else {
            DeploymentReport.line(out, "%s: no scheme fits%s", name, frontier.objective().kind()
                    == QuantObjective.Kind.BEST_QUALITY ? " with a quality figure"
                    : String.format(Locale.ROOT, " within mean KLD %s", num(frontier.objective().maxKld())));
        }
        DeploymentReport.line(out, "  the largest scheme that fits: %s; %s", plan.fits() ? plan.scheme()
                : "none (closest " + plan.scheme() + ")", PlanViews.bindingLine(plan));
        published.ifPresent(p -> DeploymentReport.line(out, "  candidates: the schemes the repository publishes, %s",
                p));
        out.append('\n');
        DeploymentReport.line(out, "Quality: %s.", quality.description());
        if (qualityFile == null) {
            DeploymentReport.line(out, "  Measured on LLaMA 3 8B; the same README measures LLaMA 2 7B %s times lower at"
                    + " the same types, so on other models read them as a ranking. Types it lacks: %s.",
                    ratios(), quality.fit().map(f -> String.format(Locale.ROOT, "ln(KLD) = %.3f %+.3f x bpw,"
                            + " range x/ %.2f", f.intercept(), f.slope(), Math.exp(2 * f.residualSd()))).orElse(""));
        }
        out.append('\n');
        boolean speed = frontier.options().stream().anyMatch(o -> o.decodeTokensPerSecond().isPresent());
        DeploymentReport.line(out, "Schemes that fit, most bytes first (F = on the size-quality frontier, * = chosen):");
        String format = "  %-2s %-8s %5s %11s %10s  %-24s%s";
        DeploymentReport.line(out, format, "", "scheme", "bpw", "weights GiB", "total GiB", "mean KLD (range)",
                speed ? "  decode tok/s" : "");
        List<String> without = new ArrayList<>();
        for (QuantFrontier.Option o : frontier.options()) {
            if (!o.fits()) {
                continue;
            }
            if (o.quality().isEmpty()) {
                without.add(o.scheme().name());
                continue;
            }
            String mark = (o.onFrontier() ? "F" : "") + (chosen.isPresent() && chosen.get() == o ? "*" : "");
            DeploymentReport.line(out, format, mark, o.scheme(),
                    String.format(Locale.ROOT, "%.2f", o.estimate().weights().bitsPerWeight()),
                    String.format(Locale.ROOT, "%.2f", o.estimate().weightBytes() / 0x1p30),
                    String.format(Locale.ROOT, "%.2f", o.estimate().totalBytes() / 0x1p30),
                    kld(o.quality().get()), speed ? String.format(Locale.ROOT, "  %12s",
                            o.decodeTokensPerSecond().isPresent() ? Views.speed(o.decodeTokensPerSecond().getAsDouble())
                                    : "-") : "");
        }
        if (!without.isEmpty()) {
            DeploymentReport.line(out, "  no quality figure: %s", String.join(", ", without));
        }
        out.append('\n');
        if (chosen.isPresent()) {
            if (chosen.get().estimate().deployment().isPresent()) {
                DeploymentReport.deviceTable(out, chosen.get().estimate());
            } else {
                DeploymentReport.line(out, "  total memory of %s: %s", chosen.get().scheme(),
                        Views.gib(chosen.get().estimate().totalBytes()));
            }
        } else {
            PlanViews.memory(out, plan);
        }
        return out.toString();
    }

    private static String what(QuantObjective objective) {
        return switch (objective.kind()) {
            case BEST_QUALITY -> "the best scheme that fits";
            case FASTEST -> "the fastest scheme that fits within mean KLD " + num(objective.maxKld());
            case SMALLEST -> "the smallest scheme that fits within mean KLD " + num(objective.maxKld());
        };
    }

    private static String ratios() {
        Map<QuantScheme, Double> ratios = QualityTable.crossModelRatios();
        double low = ratios.values().stream().mapToDouble(Double::doubleValue).min().orElseThrow();
        double high = ratios.values().stream().mapToDouble(Double::doubleValue).max().orElseThrow();
        return String.format(Locale.ROOT, "%.1f to %.1f", low, high);
    }

    private static String kld(QuantQuality q) {
        return String.format(Locale.ROOT, "%s (%s-%s)", num(q.meanKld()), num(q.lowKld()), num(q.highKld()));
    }

    /** Three significant figures: KL-divergences span 10^-5 to 10. */
    private static String num(double value) {
        return String.format(Locale.ROOT, "%.3g", value);
    }

    private Map<String, Object> json(SchemePlan plan, QuantFrontier frontier, QualityTable quality) {
        Optional<QuantFrontier.Option> chosen = frontier.chosen();
        Map<String, Object> root = PlanViews.json(model.source(), plan);
        root.put("scheme", chosen.map(c -> c.scheme().name()).orElse(null));
        root.put("closestScheme", plan.scheme().name());
        root.put("largestThatFits", plan.fits() ? plan.scheme().name() : null);
        root.put("bitsPerWeight", chosen.map(c -> Views.round(c.estimate().weights().bitsPerWeight())).orElse(null));
        root.put("decode", chosen.flatMap(c -> c.estimate().deployment().isPresent() && c.fits()
                ? Optional.of(Views.decode(c.estimate().decode(endPosition(c)))) : Optional.empty()).orElse(null));
        chosen.ifPresent(c -> root.put("settings", Views.settings(c.estimate())));
        chosen.ifPresent(c -> root.put("memory", Views.memory(c.estimate())));
        chosen.filter(c -> c.estimate().deployment().isPresent())
                .ifPresent(c -> root.put("devices", DeploymentReport.devices(c.estimate())));
        Map<String, Object> objective = new LinkedHashMap<>();
        objective.put("kind", frontier.objective().kind().name());
        objective.put("maxKld", Double.isInfinite(frontier.objective().maxKld()) ? null : frontier.objective().maxKld());
        root.put("objective", objective);
        Map<String, Object> source = new LinkedHashMap<>();
        source.put("description", quality.description());
        quality.fit().ifPresent(f -> {
            Map<String, Object> fit = new LinkedHashMap<>();
            fit.put("intercept", f.intercept());
            fit.put("slope", f.slope());
            fit.put("residualSd", f.residualSd());
            fit.put("points", f.points());
            source.put("fit", fit);
        });
        root.put("quality", source);
        List<Map<String, Object>> options = new ArrayList<>();
        for (QuantFrontier.Option o : frontier.options()) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("scheme", o.scheme().name());
            row.put("bitsPerWeight", Views.round(o.estimate().weights().bitsPerWeight()));
            row.put("weights", Views.size(o.estimate().weightBytes()));
            row.put("total", Views.size(o.estimate().totalBytes()));
            row.put("fits", o.fits());
            row.put("onFrontier", o.onFrontier());
            row.put("chosen", chosen.isPresent() && chosen.get() == o);
            row.put("meanKld", o.quality().map(QuantQuality::meanKld).orElse(null));
            row.put("lowKld", o.quality().map(QuantQuality::lowKld).orElse(null));
            row.put("highKld", o.quality().map(QuantQuality::highKld).orElse(null));
            row.put("qualityBasis", o.quality().map(QuantQuality::basis).orElse(null));
            QualityTable.Row measured = quality.rows().get(o.scheme());
            row.put("pplRatio", measured != null && measured.pplRatio().isPresent()
                    ? measured.pplRatio().getAsDouble() : null);
            row.put("sameTopPercent", measured != null && measured.sameTopPercent().isPresent()
                    ? measured.sameTopPercent().getAsDouble() : null);
            row.put("decodeTokensPerSecond", o.decodeTokensPerSecond().isPresent()
                    ? Views.round(o.decodeTokensPerSecond().getAsDouble()) : null);
            options.add(row);
        }
        root.put("options", options);
        root.put("frontier", frontier.frontier().stream().map(o -> o.scheme().name()).collect(Collectors.toList()));
        return root;
    }

    private static int endPosition(QuantFrontier.Option option) {
        return Views.sequenceContext(option.estimate());
    }
}
