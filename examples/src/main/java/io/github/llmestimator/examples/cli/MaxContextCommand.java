package io.github.llmestimator.examples.cli;

import io.github.llmestimator.Estimator;
import io.github.llmestimator.memory.DataSize;
import io.github.llmestimator.planning.ContextPlan;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code max-context}: the largest context that fits the hardware or a memory budget. */
@Command(name = "max-context", mixinStandardHelpOptions = true, versionProvider = LlmEstimatorCommand.Version.class,
        description = {"The largest context (-c) that fits: on --hardware, or in a --memory budget.",
            "A multiple of 256 (llama.cpp pads the context to 256), capped by the model's trained context."},
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {"0:answered", "1:not even the smallest context fits", "2:bad usage or unreadable input"})
final class MaxContextCommand extends ModelCommand {

    @Mixin
    Budget budget;

    @Override
    public Integer call() {
        Estimator estimator = onHardwareOrBudget(budget, "the context");
        ContextPlan plan = budget.bytes != null ? ContextPlan.of(estimator, DataSize.ofBytes(budget.bytes))
                : ContextPlan.of(estimator);
        if (json) {
            Map<String, Object> root = PlanViews.json(model.source(), plan);
            root.put("contextTokens", plan.contextTokens());
            root.put("contextTokensPerSequence", plan.contextTokensPerSequence());
            printJson(root);
            return status(plan.fits());
        }
        StringBuilder out = new StringBuilder();
        if (plan.fits()) {
            DeploymentReport.line(out, "%s at %s: the largest context that fits is %,d tokens%s",
                    model.source().displayName(), scheme(plan), plan.contextTokens(),
                    plan.estimate().context().settings().parallelSequences() > 1
                            ? String.format(Locale.ROOT, " (%,d per sequence)", plan.contextTokensPerSequence()) : "");
        } else {
            DeploymentReport.line(out, "%s at %s: not even the smallest context fits", model.source().displayName(),
                    scheme(plan));
        }
        DeploymentReport.line(out, "  %s", PlanViews.bindingLine(plan));
        DeploymentReport.line(out, "  trained context: %,d tokens", model.source().spec().maxContextTokens());
        out.append('\n');
        PlanViews.memory(out, plan);
        print(out.toString());
        return status(plan.fits());
    }

    private static String scheme(ContextPlan plan) {
        return plan.estimate().weights().isFromFile() ? "the file's own types"
                : plan.estimate().weights().scheme().name();
    }
}
