package io.github.llmestimator.examples.cli;

import io.github.llmestimator.Estimator;
import io.github.llmestimator.planning.ContextPlan;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code max-context}: the largest context that fits the hardware or a memory budget. */
@Command(name = "max-context", mixinStandardHelpOptions = true, versionProvider = LlmEstimatorCommand.Version.class,
        description = {"The largest context (-c) that fits: on --hardware, or in a --memory budget.",
            "A multiple of 256 (llama.cpp pads the context to 256), capped by the model's trained context."},
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {"0:answered", "1:not even the smallest context fits", "2:bad usage or unreadable input"})
final class MaxContextCommand extends ModelCommand {

    @Option(names = "--memory", paramLabel = "SIZE", converter = MemorySize.class,
            description = "A memory budget instead of hardware, with its unit (64GiB, 64GB).")
    Long memory;

    @Override
    public Integer call() {
        if (memory != null && hardware.given()) {
            throw new IllegalArgumentException("--memory with --hardware: give one (expected: devices, or a budget)");
        }
        if (memory == null) {
            requireHardware("the devices to fit the context on, or --memory SIZE");
        }
        Estimator estimator = memory != null ? model.estimator() : estimatorOnHardware();
        ContextPlan plan = memory != null ? estimator.maxContext(memory) : estimator.maxContext();
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
