package io.github.llmestimator.examples.cli;

import io.github.llmestimator.Estimator;
import io.github.llmestimator.examples.Views;
import io.github.llmestimator.planning.ConcurrencyPlan;
import io.github.llmestimator.planning.PagedKvCache;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code concurrency}: how many sequences of a length the hardware serves at once. */
@Command(name = "concurrency", mixinStandardHelpOptions = true, versionProvider = LlmEstimatorCommand.Version.class,
        description = {"How many sequences of --tokens-per-sequence fit at once on --hardware, and their aggregate"
                + " decode speed: llama.cpp slots (-np N -c N*tokens), or vLLM's paged cache with --vllm."},
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {"0:answered", "1:not even one sequence fits", "2:bad usage or unreadable input"})
final class ConcurrencyCommand extends ModelCommand {

    @Option(names = "--tokens-per-sequence", paramLabel = "TOKENS", converter = ModelOptions.TokenCount.class,
            description = "Length of each sequence, prompt and output (default: the --context value).")
    Integer tokensPerSequence;

    @Option(names = "--vllm", description = "vLLM's paged accounting instead of llama.cpp's slots.")
    boolean vllm;

    @Option(names = "--gpu-memory-utilization", paramLabel = "SHARE",
            description = "vLLM's share of each GPU's memory (default: 0.92).")
    Double utilization;

    @Override
    public Integer call() {
        requireHardware("the devices that serve the sequences");
        if (utilization != null && !vllm) {
            throw new IllegalArgumentException("--gpu-memory-utilization: only with --vllm");
        }
        Estimator estimator = estimatorOnHardware();
        int tokens = tokensPerSequence != null ? tokensPerSequence : model.context;
        ConcurrencyPlan plan = vllm ? ConcurrencyPlan.of(estimator, tokens, utilization == null ? PagedKvCache.VLLM_DEFAULTS
                : PagedKvCache.VLLM_DEFAULTS.withGpuMemoryUtilization(utilization))
                : ConcurrencyPlan.of(estimator, tokens);
        if (json) {
            Map<String, Object> root = PlanViews.json(model.source(), plan);
            root.put("accounting", vllm ? "vllm-paged" : "llama.cpp-slots");
            root.put("tokensPerSequence", plan.tokensPerSequence());
            root.put("sequences", plan.sequences());
            root.put("maxConcurrency", Views.round(plan.maxConcurrency()));
            root.put("bytesPerSequence", Views.size(plan.bytesPerSequence()));
            root.put("decode", plan.fits() ? Views.decode(plan.decode()) : null);
            printJson(root);
            return status(plan.fits());
        }
        StringBuilder out = new StringBuilder();
        DeploymentReport.line(out, "%s: %,d sequences of %,d tokens fit at once (%s)", model.source().displayName(),
                plan.sequences(), plan.tokensPerSequence(), vllm ? "vLLM paged cache, maximum concurrency "
                        + String.format(java.util.Locale.ROOT, "%.2fx", plan.maxConcurrency())
                        : "llama.cpp -np " + plan.sequences() + " -c " + (long) plan.sequences() * tokens);
        DeploymentReport.line(out, "  each sequence holds %s", Views.gib(plan.bytesPerSequence()));
        if (plan.fits()) {
            DeploymentReport.line(out, "  decode, all sequences together: %s", Views.text(plan.decode()));
        }
        DeploymentReport.line(out, "  %s", PlanViews.bindingLine(plan));
        out.append('\n');
        PlanViews.memory(out, plan);
        print(out.toString());
        return status(plan.fits());
    }
}
