package io.github.llmestimator.examples;

import com.fasterxml.jackson.jr.ob.JSON;
import io.github.llmestimator.Estimate;
import io.github.llmestimator.Estimator;
import io.github.llmestimator.catalog.Catalog;
import io.github.llmestimator.catalog.HuggingFaceConfigImporter;
import io.github.llmestimator.catalog.ModelPreset;
import io.github.llmestimator.memory.ContextMemory;
import io.github.llmestimator.memory.ContextSettings;
import io.github.llmestimator.memory.DataSize;
import io.github.llmestimator.memory.KvCacheType;
import io.github.llmestimator.model.AttentionBlock;
import io.github.llmestimator.model.FeedForwardBlock;
import io.github.llmestimator.model.Layer;
import io.github.llmestimator.model.ModelSpec;
import io.github.llmestimator.quant.QuantScheme;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The main example: a memory report for a catalog model (or a {@code config.json} file), the way a user first meets
 * the library.
 *
 * <p>Usage: {@code ModelReport [--json] [model-id | path/to/config.json] [scheme] [context]}; defaults
 * {@code qwen3.5-397b-a17b Q4_K_M 8192}, the case of the calculator page this project replaces.
 */
public final class ModelReport {

    private static final int[] CONTEXTS = {1024, 8192, 32768, 65536, 131072};

    private static final List<QuantScheme> REPORTED_SCHEMES = List.of(QuantScheme.BF16, QuantScheme.Q8_0,
            QuantScheme.Q6_K, QuantScheme.Q5_K_M, QuantScheme.Q4_K_M, QuantScheme.Q4_K_S, QuantScheme.IQ4_XS,
            QuantScheme.Q3_K_M, QuantScheme.Q2_K, QuantScheme.IQ2_XXS, QuantScheme.IQ1_S, QuantScheme.FP8,
            QuantScheme.AWQ_INT4);

    private ModelReport() {
    }

    /**
     * Prints the report for the model, scheme and context given as arguments.
     *
     * @param args {@code --json} for JSON output, then model id or config.json path, scheme, context; each optional
     */
    public static void main(String[] args) {
        List<String> positional = new java.util.ArrayList<>(List.of(args));
        boolean json = positional.remove("--json");
        String model = positional.size() > 0 ? positional.get(0) : "qwen3.5-397b-a17b";
        QuantScheme scheme = QuantScheme.ofName(positional.size() > 1 ? positional.get(1) : "Q4_K_M");
        int context = positional.size() > 2 ? parseContext(positional.get(2)) : 8192;
        System.out.print(json ? renderJson(model, scheme, context) : render(model, scheme, context));
    }

    private static int parseContext(String text) {
        try {
            return Integer.parseInt(text.replace("_", ""));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("context: '" + text + "' (expected: a whole number of tokens, e.g. 8192)", e);
        }
    }

    /**
     * Renders the report.
     *
     * @param model a catalog id or the path of a config.json file
     * @param scheme the chosen scheme
     * @param context the chosen context in tokens
     * @return the report text
     */
    public static String render(String model, QuantScheme scheme, int context) {
        StringBuilder out = new StringBuilder();
        ModelSpec spec = resolve(model);
        ModelPreset preset = Catalog.findModel(model).orElse(null);
        line(out, "%s — memory report (llm-estimator, catalog data %s)", spec.name(), Catalog.dataVersion());
        out.append('\n');
        specs(out, spec, preset);
        Estimate chosen = Estimator.of(spec).quant(scheme).context(context).estimate();
        out.append('\n');
        line(out, "Chosen: %s, context %,d tokens, f16 KV cache, 1 sequence, flash attention on", scheme, context);
        row(out, "Weights", chosen.weightBytes());
        row(out, "KV cache", chosen.kvCacheBytes());
        row(out, "Recurrent state", chosen.recurrentStateBytes());
        row(out, "Output buffer", chosen.outputBufferBytes());
        row(out, "Compute buffer", chosen.computeBufferBytes());
        row(out, "Runtime allowance", chosen.runtimeOverheadBytes());
        row(out, "Total", chosen.totalBytes());
        line(out, "  %-20s %s kit (kits are sold in binary sizes: \"%s\" = %s GiB)", "Memory to buy",
                chosen.recommendedKit(), chosen.recommendedKit(), chosen.recommendedKit().nominalGB());
        Estimate fp16 = Estimator.of(spec).quant(QuantScheme.BF16).context(context).estimate();
        line(out, "  %-20s %s (BF16 weights), %s kit", "Unquantized", fp16.total(), fp16.recommendedKit());
        out.append('\n');
        weightTable(out, spec, scheme);
        out.append('\n');
        contextTable(out, spec);
        out.append('\n');
        List<SpeedRow> speeds = SpeedMatrix.rows(spec, scheme, context, chosen);
        speedTable(out, speeds, context);
        out.append('\n');
        line(out, "Hardware profile: %s", HardwareProfile.describe(chosen.totalBytes(), speeds));
        return out.toString();
    }

    /**
     * Renders the same content as {@link #render(String, QuantScheme, int)} as JSON, for tools that embed the library.
     * Sizes are bytes; speeds are tokens per second.
     *
     * @param model a catalog id or the path of a config.json file
     * @param scheme the chosen scheme
     * @param context the chosen context in tokens
     * @return the JSON text
     */
    public static String renderJson(String model, QuantScheme scheme, int context) {
        ModelSpec spec = resolve(model);
        ModelPreset preset = Catalog.findModel(model).orElse(null);
        Estimate chosen = Estimator.of(spec).quant(scheme).context(context).estimate();
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("model", spec.name());
        root.put("catalogId", preset == null ? null : preset.id());
        root.put("catalogDataVersion", Catalog.dataVersion());
        Map<String, Object> specs = new LinkedHashMap<>();
        specs.put("totalParameters", spec.totalParameters());
        specs.put("activeParameters", spec.activeParameters());
        specs.put("architecture", spec.architecture());
        specs.put("layers", layerSummary(spec));
        specs.put("maxContextTokens", spec.maxContextTokens());
        root.put("specs", specs);
        Map<String, Object> memory = new LinkedHashMap<>();
        memory.put("scheme", scheme.name());
        memory.put("contextTokens", context);
        memory.put("weightBytes", chosen.weightBytes());
        memory.put("kvCacheBytes", chosen.kvCacheBytes());
        memory.put("recurrentStateBytes", chosen.recurrentStateBytes());
        memory.put("outputBufferBytes", chosen.outputBufferBytes());
        memory.put("computeBufferBytes", chosen.computeBufferBytes());
        memory.put("runtimeOverheadBytes", chosen.runtimeOverheadBytes());
        memory.put("totalBytes", chosen.totalBytes());
        memory.put("recommendedKitGB", chosen.recommendedKit().nominalGB());
        root.put("memory", memory);
        List<Map<String, Object>> weights = new java.util.ArrayList<>();
        for (QuantScheme each : REPORTED_SCHEMES) {
            var assigned = each.assign(spec);
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("scheme", each.name());
            row.put("bitsPerWeight", assigned.bitsPerWeight());
            row.put("weightBytes", assigned.loadedBytes());
            weights.add(row);
        }
        root.put("weightsByScheme", weights);
        List<Map<String, Object>> speeds = new java.util.ArrayList<>();
        List<SpeedRow> rows = SpeedMatrix.rows(spec, scheme, context, chosen);
        for (SpeedRow r : rows) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("hardware", r.label());
            row.put("fits", r.fits());
            row.put("decodeTokensPerSecond", r.decodeTokensPerSecond());
            row.put("decodeLowTokensPerSecond", r.decodeLow());
            row.put("decodeHighTokensPerSecond", r.decodeHigh());
            row.put("prefillTokensPerSecond", r.prefillTokensPerSecond().isPresent()
                    ? r.prefillTokensPerSecond().getAsDouble() : null);
            row.put("bound", r.bound());
            speeds.add(row);
        }
        root.put("speeds", speeds);
        root.put("hardwareProfile", HardwareProfile.describe(chosen.totalBytes(), rows));
        try {
            return JSON.std.with(JSON.Feature.PRETTY_PRINT_OUTPUT).asString(root) + "\n";
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void speedTable(StringBuilder out, List<SpeedRow> rows, int context) {
        line(out, "Speed matrix (decode at position %,d; prefill of a %,d-token prompt; expected, with the fit's range)",
                context, SpeedMatrix.PROMPT_TOKENS);
        line(out, "    %-62s %-5s %-26s %-22s %s", "hardware", "fits", "decode tokens/s", "prefill tokens/s",
                "bound");
        for (SpeedRow row : rows) {
            line(out, "    %-62s %-5s %-26s %-22s %s", row.label(), row.fits() ? "yes" : "no", row.decodeText(),
                    row.prefillText(), row.bound());
        }
    }

    /** A catalog id, or else the path of a config.json file. */
    static ModelSpec resolve(String model) {
        ModelPreset preset = Catalog.findModel(model).orElse(null);
        if (preset != null) {
            return preset.spec();
        }
        if (Files.isRegularFile(Path.of(model))) {
            return HuggingFaceConfigImporter.fromPath(Path.of(model));
        }
        try {
            return Catalog.model(model).spec();
        } catch (IllegalArgumentException unknown) {
            throw new IllegalArgumentException("model: '" + model + "' is neither a catalog id nor a config.json file ("
                    + unknown.getMessage() + ")", unknown);
        }
    }

    private static void specs(StringBuilder out, ModelSpec spec, ModelPreset preset) {
        line(out, "Technical specs");
        String total = String.format(Locale.ROOT, "%.2f B", spec.totalParameters() / 1e9);
        String active = String.format(Locale.ROOT, "%.2f B", spec.activeParameters() / 1e9);
        if (preset != null) {
            total += String.format(Locale.ROOT, " (model card: %.1f B)", preset.statedTotalParameters() / 1e9);
            if (preset.statedActiveParameters().isPresent()) {
                active += String.format(Locale.ROOT, " (model card: %.1f B)",
                        preset.statedActiveParameters().getAsLong() / 1e9);
            }
        }
        line(out, "  %-20s %s", "Total parameters", total);
        line(out, "  %-20s %s (one embedding row, attention, %s)", "Active per token", active,
                spec.isMixtureOfExperts() ? "shared and routed experts in use, output head" : "feed-forward, output head");
        line(out, "  %-20s %s, %s", "Architecture", spec.isMixtureOfExperts() ? "mixture of experts" : "dense",
                layerSummary(spec));
        line(out, "  %-20s %,d tokens", "Maximum context", spec.maxContextTokens());
        if (preset != null) {
            line(out, "  %-20s %s", "Config source", preset.configSource());
        }
    }

    private static String layerSummary(ModelSpec spec) {
        Map<String, Integer> kinds = new LinkedHashMap<>();
        for (Layer layer : spec.layers()) {
            kinds.merge(describe(layer.attention()), 1, Integer::sum);
        }
        StringBuilder text = new StringBuilder().append(spec.layers().size()).append(" layers (");
        kinds.forEach((kind, count) -> text.append(count).append(' ').append(kind).append(", "));
        text.setLength(text.length() - 2);
        text.append(')');
        FeedForwardBlock moe = spec.layers().stream().map(Layer::feedForward).filter(f -> f.routedExperts() > 0)
                .findFirst().orElse(null);
        if (moe != null) {
            text.append(String.format(Locale.ROOT, "; %d experts, %d per token", moe.routedExperts(),
                    moe.expertsPerToken()));
        }
        if (!spec.nextTokenPredictionLayers().isEmpty()) {
            text.append("; ").append(spec.nextTokenPredictionLayers().size()).append(" MTP layer (not loaded)");
        }
        return text.toString();
    }

    private static String describe(AttentionBlock attention) {
        if (attention.isRecurrent()) {
            return attention.getClass().getSimpleName().equals("Mamba2") ? "Mamba-2" : "gated DeltaNet";
        }
        if (!attention.hasKvCache()) {
            return "feed-forward only";
        }
        if (attention.slidingWindowTokens() > 0) {
            return "sliding-window (" + attention.slidingWindowTokens() + ")";
        }
        return attention.valueCacheElementsPerToken() == 0 ? "latent attention (MLA)" : "full attention";
    }

    private static void weightTable(StringBuilder out, ModelSpec spec, QuantScheme chosen) {
        line(out, "Weights by scheme (llama.cpp recipes; tensor data as llama.cpp loads it)");
        line(out, "    %-10s %6s %12s %12s", "scheme", "bpw", "GiB", "GB");
        for (QuantScheme scheme : REPORTED_SCHEMES) {
            var weights = scheme.assign(spec);
            DataSize size = DataSize.ofBytes(weights.loadedBytes());
            line(out, "  %s %-10s %6.2f %12.2f %12.2f", scheme == chosen ? ">" : " ", scheme, weights.bitsPerWeight(),
                    size.toGiB(), size.toGB());
        }
    }

    private static void contextTable(StringBuilder out, ModelSpec spec) {
        line(out, "KV cache + recurrent state by context, 1 sequence (GiB)");
        StringBuilder header = new StringBuilder(String.format(Locale.ROOT, "    %-6s", "cache"));
        List<Integer> contexts = new java.util.ArrayList<>();
        for (int c : CONTEXTS) {
            if (c < spec.maxContextTokens()) {
                contexts.add(c);
            }
        }
        contexts.add(spec.maxContextTokens());
        for (int c : contexts) {
            header.append(String.format(Locale.ROOT, " %10s", c >= 1024 && c % 1024 == 0 ? c / 1024 + "K" : c));
        }
        line(out, "%s", header);
        for (KvCacheType type : List.of(KvCacheType.F16, KvCacheType.Q8_0)) {
            StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "    %-6s", type.name().toLowerCase(Locale.ROOT)));
            for (int c : contexts) {
                ContextMemory memory = ContextMemory.of(spec, ContextSettings.defaults(c).withCacheTypes(type, type));
                row.append(String.format(Locale.ROOT, " %10.2f",
                        (memory.kvCacheBytes() + memory.recurrentStateBytes()) / (double) (1L << 30)));
            }
            line(out, "%s", row);
        }
    }

    private static void row(StringBuilder out, String label, long bytes) {
        line(out, "  %-20s %s", label, DataSize.ofBytes(bytes));
    }

    private static void line(StringBuilder out, String format, Object... args) {
        out.append(String.format(Locale.ROOT, format, args)).append('\n');
    }
}
