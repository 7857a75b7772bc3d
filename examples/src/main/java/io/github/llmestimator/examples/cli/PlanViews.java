package io.github.llmestimator.examples.cli;

import io.github.llmestimator.examples.ModelReport;
import io.github.llmestimator.examples.ModelSource;
import io.github.llmestimator.examples.Views;
import io.github.llmestimator.planning.Plan;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalInt;

/** What every planning command prints about its plan: what binds, by how much, and the estimate behind it. */
final class PlanViews {

    private PlanViews() {
    }

    /** The common JSON fields of a plan. */
    static Map<String, Object> json(ModelSource source, Plan plan) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("model", ModelReport.model(source));
        root.put("settings", Views.settings(plan.estimate()));
        root.put("fits", plan.fits());
        root.put("binding", plan.binding().name());
        root.put("limitingDevice", limitingName(plan));
        root.put("headroom", Views.size(plan.headroomBytes()));
        root.put("memory", Views.memory(plan.estimate()));
        root.put("devices", plan.estimate().deployment().isPresent() ? DeploymentReport.devices(plan.estimate())
                : List.of());
        return root;
    }

    /** One line: what binds, on which device, and the headroom or shortfall. */
    static String bindingLine(Plan plan) {
        String device = limitingName(plan);
        return String.format(Locale.ROOT, "binding: %s%s; %s %s", Views.words(plan.binding()),
                device == null ? "" : " on " + device, plan.headroomBytes() >= 0 ? "headroom" : "short by",
                Views.gib(Math.abs(plan.headroomBytes())));
    }

    static String limitingName(Plan plan) {
        OptionalInt index = plan.limitingDeviceIndex();
        return index.isEmpty() ? null : DeploymentReport.deviceNames(plan.estimate()).get(index.getAsInt());
    }

    /** The per-device table of a plan's estimate, or its total under a budget. */
    static void memory(StringBuilder out, Plan plan) {
        if (plan.estimate().deployment().isPresent()) {
            DeploymentReport.deviceTable(out, plan.estimate());
        } else {
            DeploymentReport.line(out, "  total memory: %s (weights %s, KV cache %s)",
                    Views.gib(plan.estimate().totalBytes()), Views.gib(plan.estimate().weightBytes()),
                    Views.gib(plan.estimate().kvCacheBytes()));
        }
    }
}
