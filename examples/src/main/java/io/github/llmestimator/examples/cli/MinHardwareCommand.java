package io.github.llmestimator.examples.cli;

import io.github.llmestimator.catalog.Catalog;
import io.github.llmestimator.catalog.HardwarePreset;
import io.github.llmestimator.examples.Views;
import io.github.llmestimator.hardware.Device;
import io.github.llmestimator.planning.DecodeTarget;
import io.github.llmestimator.planning.HardwarePlan;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code min-hardware}: the configuration with the least memory that runs the model. */
@Command(name = "min-hardware", mixinStandardHelpOptions = true, versionProvider = LlmEstimatorCommand.Version.class,
        description = {"The device (or up to 8 copies of a GPU, layers split by memory) with the least installed"
                + " memory that runs the model: among --hardware if given, else every catalog device."},
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {"0:answered", "1:nothing fits", "2:bad usage or unreadable input"})
final class MinHardwareCommand extends ModelCommand {

    @Option(names = "--min-tps", paramLabel = "TOKENS_PER_SECOND",
            description = "Slowest acceptable decode, per sequence, at the end of the context.")
    Double minTokensPerSecond;

    @Override
    public Integer call() {
        if (hardware.gpuLayers != null || hardware.cpuMoeLayers != null || hardware.cpuMoe
                || hardware.tensorSplit != null || hardware.tensorParallel != null) {
            throw new IllegalArgumentException("placement flags: min-hardware chooses the configuration (expected:"
                    + " --hardware candidates only)");
        }
        List<Device> candidates = new ArrayList<>();
        if (hardware.given()) {
            candidates.addAll(new java.util.LinkedHashSet<>(hardware.devices()));
        } else {
            Catalog.hardware().stream().map(HardwarePreset::device).forEach(candidates::add);
        }
        var estimator = model.estimator();
        HardwarePlan plan = minTokensPerSecond == null ? HardwarePlan.of(estimator, candidates)
                : HardwarePlan.of(estimator, candidates, DecodeTarget.of(minTokensPerSecond));
        String answer = plan.deviceCount() + " x " + plan.device().name();
        if (json) {
            Map<String, Object> root = PlanViews.json(model.source(), plan);
            root.put("device", plan.fits() ? plan.device().name() : null);
            root.put("deviceCount", plan.fits() ? plan.deviceCount() : 0);
            root.put("installedMemory", Views.size(plan.installedMemoryBytes()));
            root.put("decode", plan.fits() ? Views.decode(plan.decode()) : null);
            printJson(root);
            return status(plan.fits());
        }
        StringBuilder out = new StringBuilder();
        if (plan.fits()) {
            DeploymentReport.line(out, "%s: the least memory that runs it is %s (%s installed)",
                    model.source().displayName(), answer, Views.gib(plan.installedMemoryBytes()));
            DeploymentReport.line(out, "  decode at the end of the context: %s", Views.text(plan.decode()));
        } else {
            DeploymentReport.line(out, "%s: no candidate fits; the closest is %s", model.source().displayName(),
                    answer);
        }
        DeploymentReport.line(out, "  the next cheaper configuration fails on: %s; headroom here: %s",
                Views.words(plan.binding()), Views.gib(plan.headroomBytes()));
        out.append('\n');
        PlanViews.memory(out, plan);
        print(out.toString());
        return status(plan.fits());
    }
}
