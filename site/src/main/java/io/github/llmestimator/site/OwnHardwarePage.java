package io.github.llmestimator.site;

import io.github.llmestimator.Estimate;
import io.github.llmestimator.Estimator;
import io.github.llmestimator.catalog.ModelPreset;
import io.github.llmestimator.hardware.Device;
import io.github.llmestimator.hardware.DeviceKind;
import io.github.llmestimator.model.ModelSpec;
import io.github.llmestimator.quant.QuantScheme;
import io.github.llmestimator.throughput.DecodeSpeed;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The "your own hardware" page: memory and bandwidth typed in, every catalog model answered with the best scheme that
 * fits and its decode speed.
 *
 * <p>Fit is a comparison of the library's totals with the memory typed in. Decode speed on one device is, in the
 * library's step model, {@code 1 / (bytes per step / (c * bandwidth) + fixed seconds)}: the bytes per step come from
 * the library for each model, scheme and context ({@code DecodeSpeed.bytesPerStep}), and {@code c} (achieved bytes
 * per second per GB/s of peak) and the fixed time per step for each model and kind of device are solved from the
 * library's speeds at two bandwidths. The page repeats only this one line of arithmetic;
 * {@code SiteBrowserIT} checks it against the library on random memories, bandwidths, models, schemes and contexts.
 */
final class OwnHardwarePage {

    /** Apple's default GPU working set: the share of unified memory the GPU may use. */
    static final double APPLE_GPU_SHARE = 0.75;

    /** The schemes the page weighs, most bits first: the ones people download. */
    static final List<QuantScheme> SCHEMES = List.of(QuantScheme.BF16, QuantScheme.Q8_0, QuantScheme.Q6_K,
            QuantScheme.Q5_K_M, QuantScheme.Q4_K_M, QuantScheme.IQ4_XS, QuantScheme.Q3_K_M, QuantScheme.Q2_K,
            QuantScheme.IQ2_XXS, QuantScheme.IQ1_S);

    /** The contexts the page offers. */
    static final List<Integer> CONTEXTS = List.of(4096, 8192, 32768, 131072);

    private static final double LOW_BANDWIDTH = 100;
    private static final double HIGH_BANDWIDTH = 1000;

    private OwnHardwarePage() {
    }

    /**
     * Builds a device of the page's kinds, as the page describes it.
     *
     * @param kind the kind
     * @param memoryBytes the memory typed in
     * @param bandwidthGBps the bandwidth typed in
     * @return the device
     */
    static Device device(DeviceKind kind, long memoryBytes, double bandwidthGBps) {
        Device.Builder builder = Device.builder("your " + kind.name().toLowerCase(Locale.ROOT), kind)
                .memoryBytes(memoryBytes).memoryBandwidthGBps(bandwidthGBps);
        if (kind == DeviceKind.UNIFIED_MEMORY) {
            builder.gpuMemoryFraction(APPLE_GPU_SHARE);
        }
        return builder.build();
    }

    static Map<String, Object> data(List<ModelPreset> presets) {
        List<Map<String, Object>> models = new ArrayList<>();
        for (ModelPreset preset : presets) {
            ModelSpec spec = preset.spec();
            List<QuantScheme> supported = ModelPage.supportedSchemes(spec);
            Map<String, Object> model = new LinkedHashMap<>();
            model.put("id", preset.id());
            model.put("name", preset.displayName());
            model.put("maxContext", spec.maxContextTokens());
            List<Object> schemes = new ArrayList<>();
            for (QuantScheme scheme : SCHEMES) {
                if (!supported.contains(scheme)) {
                    continue;
                }
                List<Long> totals = new ArrayList<>();
                List<Long> bytesPerStep = new ArrayList<>();
                for (int context : CONTEXTS) {
                    if (context > spec.maxContextTokens()) {
                        break;
                    }
                    Estimator chosen = Estimator.of(spec).quant(scheme).context(context);
                    totals.add(chosen.estimate().totalBytes());
                    bytesPerStep.add(chosen.on(device(DeviceKind.DISCRETE_GPU, 1L << 50, 1000)).estimate()
                            .decode(context).bytesPerStep());
                }
                schemes.add(List.of(scheme.name(), totals, bytesPerStep));
            }
            model.put("schemes", schemes);
            Map<String, Object> step = new LinkedHashMap<>();
            for (DeviceKind kind : DeviceKind.values()) {
                step.put(kind.name(), stepModel(spec, kind));
            }
            model.put("step", step);
            models.add(model);
        }
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("contexts", CONTEXTS);
        data.put("appleGpuShare", APPLE_GPU_SHARE);
        data.put("models", models);
        return data;
    }

    /**
     * Solves {@code [c, fixed seconds]} for the expected, low and high efficiencies from the library's decode speeds
     * at two bandwidths (Q4_K_M, 8K tokens; neither depends on the scheme or the context).
     */
    private static List<double[]> stepModel(ModelSpec spec, DeviceKind kind) {
        Estimator chosen = Estimator.of(spec).quant(QuantScheme.Q4_K_M).context(8192);
        DecodeSpeed low = chosen.on(device(kind, 1L << 50, LOW_BANDWIDTH)).estimate().decode(8192);
        DecodeSpeed high = chosen.on(device(kind, 1L << 50, HIGH_BANDWIDTH)).estimate().decode(8192);
        double bytes = low.bytesPerStep();
        List<double[]> result = new ArrayList<>();
        double[][] pairs = {{low.tokensPerSecond(), high.tokensPerSecond()},
            {low.lowTokensPerSecond(), high.lowTokensPerSecond()},
            {low.highTokensPerSecond(), high.highTokensPerSecond()}};
        for (double[] pair : pairs) {
            double slow = 1 / pair[0];
            double fast = 1 / pair[1];
            // s = bytes / (c * bw) + fixed at both bandwidths: two equations, two unknowns
            double fixed = (slow * LOW_BANDWIDTH - fast * HIGH_BANDWIDTH) / (LOW_BANDWIDTH - HIGH_BANDWIDTH);
            double c = bytes / ((slow - fixed) * LOW_BANDWIDTH);
            result.add(new double[] {c, fixed});
        }
        return result;
    }

    static String html(List<ModelPreset> presets) {
        StringBuilder contexts = new StringBuilder();
        for (int context : CONTEXTS) {
            contexts.append("<option value=\"").append(context).append("\"").append(context == 8192 ? " selected" : "")
                    .append(">").append(ModelPage.shortTokens(context)).append("</option>");
        }
        String body = "<h1>Your own hardware</h1>\n"
                + "<p class=\"lead\">Type in your memory and its bandwidth: for every catalog model, the best of the"
                + " usual schemes that fits, its total memory and the decode speed at the end of the context"
                + " (llama.cpp, one sequence, f16 cache). The answers are the library's estimates for one device.</p>\n"
                + "<form id=\"hw\" class=\"calc\">\n"
                + "<div class=\"field\"><label for=\"kind\">Kind of memory</label><select id=\"kind\">"
                + "<option value=\"DISCRETE_GPU\">GPU memory (CUDA, ROCm, Vulkan)</option>"
                + "<option value=\"SYSTEM_RAM\">System RAM, CPU only</option>"
                + "<option value=\"UNIFIED_MEMORY\">Apple unified memory (the GPU may use 75 %)</option>"
                + "</select></div>\n"
                + "<div class=\"field\"><label for=\"memory\">Memory (GiB)</label><input id=\"memory\" type=\"number\""
                + " min=\"1\" max=\"100000\" step=\"1\" value=\"24\" inputmode=\"numeric\"></div>\n"
                + "<div class=\"field\"><label for=\"bandwidth\">Memory bandwidth (GB/s)</label><input id=\"bandwidth\""
                + " type=\"number\" min=\"1\" max=\"100000\" step=\"any\" value=\"1008\" inputmode=\"decimal\"></div>\n"
                + "<div class=\"field\"><label for=\"hw-context\">Context</label><select id=\"hw-context\">" + contexts
                + "</select></div>\n</form>\n"
                + "<p id=\"hw-error\" class=\"error\" role=\"alert\" hidden></p>\n"
                + "<p class=\"note\">Examples: RTX 4090 1008 GB/s; dual-channel DDR5-5600 89.6 GB/s; M3 Ultra 819"
                + " GB/s. The speed is the expected figure with the fit's range (llama.cpp's published measurements,"
                + " see the project README).</p>\n"
                + "<div class=\"scroll\"><table id=\"hw-table\" aria-live=\"polite\"><thead><tr><th scope=\"col\">Model"
                + "</th><th scope=\"col\">Best scheme that fits</th><th scope=\"col\">Total</th><th scope=\"col\">"
                + "Decode tokens/s (range)</th></tr></thead><tbody></tbody></table></div>\n";
        String scripts = "<script id=\"hw-data\" type=\"application/json\">" + Html.json(data(presets))
                + "</script>\n<script src=\"assets/common.js\"></script>\n<script src=\"assets/hardware.js\"></script>\n";
        return Html.page("Your own hardware — llm-estimator", "", body, scripts);
    }
}
