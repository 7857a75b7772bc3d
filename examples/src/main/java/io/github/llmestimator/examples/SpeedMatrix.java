package io.github.llmestimator.examples;

import io.github.llmestimator.Estimate;
import io.github.llmestimator.Estimator;
import io.github.llmestimator.catalog.Catalog;
import io.github.llmestimator.hardware.Deployment;
import io.github.llmestimator.hardware.Device;
import io.github.llmestimator.hardware.DeviceKind;
import io.github.llmestimator.hardware.DeviceUsage;
import io.github.llmestimator.model.ModelSpec;
import io.github.llmestimator.quant.QuantScheme;
import io.github.llmestimator.throughput.DecodeSpeed;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;

/**
 * The report's speed matrix: the memory systems people compare (dual-channel DDR4 and DDR5, an Apple Ultra, RTX 4090,
 * RTX 5090, H100) and, for mixture-of-experts models, the split people use for big ones: every expert in system RAM
 * and the rest on a 24 or 32 GB GPU (llama.cpp {@code --cpu-moe}). System RAM is sized to the recommended kit, since
 * its capacity is the buyer's choice.
 */
final class SpeedMatrix {

    /** The prompt length of the prefill column. */
    static final int PROMPT_TOKENS = 4096;

    private SpeedMatrix() {
    }

    static List<SpeedRow> rows(ModelSpec spec, QuantScheme scheme, int context, Estimate chosen) {
        long kitBytes = chosen.recommendedKit().bytes();
        Estimator base = Estimator.of(spec).quant(scheme).context(context);
        List<SpeedRow> rows = new ArrayList<>();
        for (String id : List.of("ddr4-3200-dual-channel", "ddr5-5600-dual-channel", "m3-ultra", "rtx-4090",
                "rtx-5090", "h100-sxm")) {
            Device device = Catalog.hardware(id).device();
            String label = device.name();
            if (device.kind() == DeviceKind.SYSTEM_RAM) {
                device = device.withMemoryBytes(kitBytes);
                label += ", " + chosen.recommendedKit() + " kit";
            }
            rows.add(row(label, base.on(device), context));
        }
        if (spec.isMixtureOfExperts()) {
            Device ram = Catalog.hardware("ddr5-5600-dual-channel").device().withMemoryBytes(kitBytes);
            int layers = spec.layers().size();
            for (String gpu : List.of("rtx-4090", "rtx-5090")) {
                Device device = Catalog.hardware(gpu).device();
                rows.add(row(device.name() + " + experts in DDR5-5600 (--cpu-moe)",
                        base.on(Deployment.expertsInSystemRam(device, ram, layers)), context));
            }
        }
        return rows;
    }

    private static SpeedRow row(String label, Estimator estimator, int context) {
        Estimate estimate = estimator.estimate();
        DecodeSpeed decode = estimate.decode(context);
        OptionalDouble prefill = estimate.prefill(PROMPT_TOKENS).isPresent()
                ? OptionalDouble.of(estimate.prefill(PROMPT_TOKENS).get().tokensPerSecond()) : OptionalDouble.empty();
        long headroom = Long.MAX_VALUE;
        for (DeviceUsage usage : estimate.devices()) {
            headroom = Math.min(headroom, usage.headroomBytes());
        }
        return new SpeedRow(label, estimate.fits(), headroom, decode.tokensPerSecond(), decode.lowTokensPerSecond(),
                decode.highTokensPerSecond(), prefill, decode.bound().name().toLowerCase(java.util.Locale.ROOT));
    }
}
