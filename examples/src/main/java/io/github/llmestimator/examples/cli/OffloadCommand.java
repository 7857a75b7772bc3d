package io.github.llmestimator.examples.cli;

import io.github.llmestimator.examples.Views;
import io.github.llmestimator.hardware.Device;
import io.github.llmestimator.hardware.DeviceKind;
import io.github.llmestimator.planning.OffloadPlan;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;

/** {@code offload}: how to split a model between one GPU and system RAM. */
@Command(name = "offload", mixinStandardHelpOptions = true, versionProvider = LlmEstimatorCommand.Version.class,
        description = {"The split between one GPU and system RAM that keeps the most on the GPU, as llama.cpp's --fit"
                + " fills it: -ngl N, or for a mixture of experts --n-cpu-moe N, whichever decodes faster.",
            "Give --hardware twice: the GPU and the system RAM."},
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {"0:answered", "1:no split fits", "2:bad usage or unreadable input"})
final class OffloadCommand extends ModelCommand {

    @Override
    public Integer call() {
        requireHardware("a GPU and system RAM, e.g. --hardware rtx-4090 --hardware ram:64GiB@89.6GB/s");
        List<Device> devices = hardware.devices();
        Device gpu = devices.stream().filter(d -> d.kind() == DeviceKind.DISCRETE_GPU).findFirst().orElse(null);
        Device ram = devices.stream().filter(d -> d.kind() == DeviceKind.SYSTEM_RAM).findFirst().orElse(null);
        if (devices.size() != 2 || gpu == null || ram == null) {
            throw new IllegalArgumentException("--hardware: " + devices.size() + " device(s) (expected: exactly one GPU"
                    + " and one system RAM)");
        }
        if (hardware.gpuLayers != null || hardware.cpuMoeLayers != null || hardware.cpuMoe
                || hardware.tensorSplit != null || hardware.tensorParallel != null) {
            throw new IllegalArgumentException("placement flags: offload chooses the split (expected: none of -ngl,"
                    + " --n-cpu-moe, --cpu-moe, --tensor-split, --tp)");
        }
        OffloadPlan plan = OffloadPlan.of(model.estimator(), gpu, ram);
        String flags = HardwareOptions.flags(plan.placement(), model.source().spec().layers().size());
        if (json) {
            Map<String, Object> root = PlanViews.json(model.source(), plan);
            root.put("flags", flags);
            root.put("decode", plan.fits() ? Views.decode(plan.decode()) : null);
            printJson(root);
            return status(plan.fits());
        }
        StringBuilder out = new StringBuilder();
        DeploymentReport.line(out, plan.fits() ? "%s: run with %s" : "%s: does not fit even with %s",
                model.source().displayName(), flags);
        if (plan.fits()) {
            DeploymentReport.line(out, "  decode at the end of the context: %s", Views.text(plan.decode()));
        }
        DeploymentReport.line(out, "  %s", PlanViews.bindingLine(plan));
        out.append('\n');
        PlanViews.memory(out, plan);
        print(out.toString());
        return status(plan.fits());
    }
}
