package io.github.llmestimator.examples;

import io.github.llmestimator.Estimate;
import io.github.llmestimator.Estimator;
import io.github.llmestimator.catalog.Catalog;
import io.github.llmestimator.hardware.Deployment;
import io.github.llmestimator.hardware.Device;
import io.github.llmestimator.hardware.DeviceKind;
import java.util.ArrayList;
import java.util.List;

/**
 * The report's speed matrix: the memory systems people compare (dual-channel DDR4 and DDR5, an Apple Ultra, RTX 4090,
 * RTX 5090, H100) and, for mixture-of-experts models, the split people use for big ones: every expert in system RAM
 * and the rest on a 24 or 32 GB GPU (llama.cpp {@code --cpu-moe}). System RAM is sized to the recommended kit, since
 * its capacity is the buyer's choice.
 */
public final class SpeedMatrix {

    private SpeedMatrix() {
    }

    /**
     * Returns the rows for an estimator with a scheme and settings chosen and no deployment.
     *
     * @param base the estimator with the chosen scheme and settings, no deployment
     * @param chosen its estimate, whose kit sizes the system RAM rows
     * @return the rows, in the report's order
     */
    public static List<SpeedRow> rows(Estimator base, Estimate chosen) {
        long kitBytes = chosen.recommendedKit().bytes();
        int position = Views.sequenceContext(chosen);
        int prompt = Views.promptTokens(position);
        List<SpeedRow> rows = new ArrayList<>();
        for (String id : List.of("ddr4-3200-dual-channel", "ddr5-5600-dual-channel", "m3-ultra", "rtx-4090",
                "rtx-5090", "h100-sxm")) {
            Device device = Catalog.hardware(id).device();
            String label = device.name();
            if (device.kind() == DeviceKind.SYSTEM_RAM) {
                device = device.withMemoryBytes(kitBytes);
                label += ", " + chosen.recommendedKit() + " kit";
            }
            rows.add(SpeedRow.of(label, base.on(device).estimate(), position, prompt));
        }
        if (base.model().isMixtureOfExperts()) {
            Device ram = Catalog.hardware("ddr5-5600-dual-channel").device().withMemoryBytes(kitBytes);
            int layers = base.model().layers().size();
            for (String gpu : List.of("rtx-4090", "rtx-5090")) {
                Device device = Catalog.hardware(gpu).device();
                rows.add(SpeedRow.of(device.name() + " + experts in DDR5-5600 (--cpu-moe)",
                        base.on(Deployment.expertsInSystemRam(device, ram, layers)).estimate(), position, prompt));
            }
        }
        return rows;
    }
}
