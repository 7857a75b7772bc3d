package io.github.llmestimator.examples.cli;

import io.github.llmestimator.Estimator;
import io.github.llmestimator.examples.Views;
import io.github.llmestimator.planning.DecodeTarget;
import io.github.llmestimator.planning.QuantPlan;
import io.github.llmestimator.quant.QuantScheme;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code best-quant}: the highest-quality scheme that fits, optionally at a decode speed. */
@Command(name = "best-quant", mixinStandardHelpOptions = true, versionProvider = LlmEstimatorCommand.Version.class,
        description = {"The scheme with the most bits per weight that fits at the given context: on --hardware (and"
                + " at --min-tps), or in a --memory budget.", "--quant is ignored: every scheme is a candidate."},
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {"0:answered", "1:no scheme fits", "2:bad usage or unreadable input"})
final class BestQuantCommand extends ModelCommand {

    @Mixin
    Budget budget;

    @Option(names = "--min-tps", paramLabel = "TOKENS_PER_SECOND",
            description = "Slowest acceptable decode, per sequence, at the end of the context (needs --hardware).")
    Double minTokensPerSecond;

    @Override
    public Integer call() {
        if (minTokensPerSecond != null && budget.bytes != null) {
            throw new IllegalArgumentException("--min-tps with --memory: a budget has no speed (expected: --hardware)");
        }
        Estimator estimator = onHardwareOrBudget(budget, "the model");
        // For hf:owner/repo the candidates are the schemes the repository really publishes.
        Optional<List<QuantScheme>> published = model.publishedSchemes();
        List<QuantScheme> candidates = published.orElse(QuantPlan.DEFAULT_CANDIDATES);
        QuantPlan plan = budget.bytes != null ? QuantPlan.of(estimator, candidates, budget.bytes)
                : minTokensPerSecond != null ? QuantPlan.of(estimator, candidates, DecodeTarget.of(minTokensPerSecond))
                : QuantPlan.of(estimator, candidates);
        if (json) {
            Map<String, Object> root = PlanViews.json(model.source(), plan);
            root.put("scheme", plan.fits() ? plan.scheme().name() : null);
            root.put("closestScheme", plan.scheme().name());
            root.put("bitsPerWeight", Views.round(plan.bitsPerWeight()));
            root.put("candidates", candidates.stream().map(Enum::name).toArray());
            root.put("decode", plan.fits() ? plan.decode().map(Views::decode).orElse(null) : null);
            printJson(root);
            return status(plan.fits());
        }
        StringBuilder out = new StringBuilder();
        if (plan.fits()) {
            DeploymentReport.line(out, "%s: the best scheme that fits is %s (%.2f bits per weight, weights %s)",
                    model.source().displayName(), plan.scheme(), plan.bitsPerWeight(),
                    Views.gib(plan.estimate().weightBytes()));
            plan.decode().ifPresent(d -> DeploymentReport.line(out, "  decode at the end of the context: %s",
                    Views.text(d)));
        } else {
            DeploymentReport.line(out, "%s: no scheme fits; the closest is %s (%.2f bits per weight)",
                    model.source().displayName(), plan.scheme(), plan.bitsPerWeight());
        }
        published.ifPresent(p -> DeploymentReport.line(out, "  candidates: the schemes the repository publishes, %s",
                p));
        DeploymentReport.line(out, "  %s", PlanViews.bindingLine(plan));
        out.append('\n');
        PlanViews.memory(out, plan);
        print(out.toString());
        return status(plan.fits());
    }
}
