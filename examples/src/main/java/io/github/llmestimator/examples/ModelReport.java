package io.github.llmestimator.examples;

import io.github.llmestimator.Estimate;
import io.github.llmestimator.Estimator;
import io.github.llmestimator.catalog.Catalog;
import io.github.llmestimator.catalog.ModelPreset;
import io.github.llmestimator.memory.ContextMemory;
import io.github.llmestimator.memory.ContextSettings;
import io.github.llmestimator.memory.DataSize;
import io.github.llmestimator.memory.KvCacheType;
import io.github.llmestimator.model.MixerBlock;
import io.github.llmestimator.model.FeedForwardBlock;
import io.github.llmestimator.model.Layer;
import io.github.llmestimator.model.ModelSpec;
import io.github.llmestimator.quant.QuantScheme;
import io.github.llmestimator.runtime.Runtime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

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
     * @param args {@code --json} for JSON output, then model (catalog id, alias, config.json or .gguf), scheme,
     *     context; each optional
     */
    public static void main(String[] args) {
        List<String> positional = new ArrayList<>(List.of(args));
        boolean json = positional.remove("--json");
        ModelSource source = ModelSource.resolve(positional.size() > 0 ? positional.get(0) : "qwen3.5-397b-a17b");
        QuantScheme scheme = QuantScheme.ofName(positional.size() > 1 ? positional.get(1) : "Q4_K_M");
        int context = positional.size() > 2 ? parseContext(positional.get(2)) : 8192;
        Estimator chosen = source.estimator().quant(scheme).context(context);
        System.out.print(json ? renderJson(source, chosen) : render(source, chosen));
        System.out.flush();
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
     * @param source the model
     * @param chosen the estimator with the chosen scheme, context and settings, and no deployment
     * @return the report text
     */
    public static String render(ModelSource source, Estimator chosen) {
        StringBuilder out = new StringBuilder();
        ModelSpec spec = source.spec();
        line(out, "%s — memory report (llm-estimator, catalog data %s)", source.displayName(), Catalog.dataVersion());
        out.append('\n');
        specs(out, spec, source.preset().orElse(null));
        Estimate estimate = chosen.estimate();
        out.append('\n');
        line(out, "Chosen: %s; %s", schemeLabel(estimate), Views.settingsLine(estimate));
        line(out, "  %-20s %s", "Weight formats", Views.weightFormatsLine(estimate));
        row(out, "Weights", estimate.weightBytes());
        if (estimate.loraAdapterBytes() > 0) {
            line(out, "  %-20s %s (part of the weights: %s)", "LoRA adapters",
                    DataSize.ofBytes(estimate.loraAdapterBytes()), Views.adaptersLine(chosen.loraAdapters()));
        }
        long inFile = estimate.weights().fileTensorBytes();
        boolean mtpLoaded = estimate.speculative().map(s -> s.speculation().isMtp()).orElse(false);
        if (inFile != estimate.weights().loadedBytes()) {
            line(out, "  %-20s %s (tensor data; the MTP layers are in the file, %s)", "In the file",
                    DataSize.ofBytes(inFile), mtpLoaded ? "loaded for --mtp: see Speculative drafter" : "not loaded");
        }
        row(out, "KV cache", estimate.kvCacheBytes());
        row(out, "Recurrent state", estimate.recurrentStateBytes());
        row(out, "Output buffer", estimate.outputBufferBytes());
        row(out, "Compute buffer", estimate.computeBufferBytes());
        row(out, "Runtime allowance", estimate.runtimeOverheadBytes());
        estimate.vision().ifPresent(vision -> {
            row(out, "Projector (mmproj)", vision.projectorBytes());
            if (vision.encoderEstimated()) {
                line(out, "  %-20s %s (an estimate: one encoder block's activations)", "Image encoder",
                        DataSize.ofBytes(vision.encoderComputeBytes()));
            }
            if (vision.images() > 0) {
                line(out, "  %-20s %d per sequence x %d tokens = %d tokens of the context", "Images", vision.images(),
                        vision.tokensPerImage(), vision.imageTokens());
            }
        });
        if (estimate.speculative().isPresent()) {
            row(out, "Speculative drafter", estimate.speculative().get().totalBytes());
        }
        row(out, "Total", estimate.totalBytes());
        line(out, "  %-20s %s kit: the smallest standard memory size that holds the total (kits are sold in binary"
                + " sizes: \"%s\" = %s GiB)", "Memory to buy", estimate.recommendedKit(), estimate.recommendedKit(),
                estimate.recommendedKit().nominalGiB());
        Estimate unquantized = chosen.quant(QuantScheme.BF16).estimate();
        line(out, "  %-20s %s (BF16 scheme: %s), %s kit", "Unquantized", unquantized.total(),
                Views.weightFormatsLine(unquantized), unquantized.recommendedKit());
        for (String warning : Views.warnings(estimate)) {
            line(out, "  warning: %s", warning);
        }
        out.append('\n');
        weightTable(out, spec, estimate.weights().isFromFile() ? null : estimate.weights().scheme());
        out.append('\n');
        contextTable(out, spec);
        out.append('\n');
        List<SpeedRow> speeds = SpeedMatrix.rows(chosen, estimate);
        speedTable(out, speeds, Views.sequenceContext(estimate));
        out.append('\n');
        line(out, "Hardware profile: %s", HardwareProfile.describe(estimate.totalBytes(), speeds));
        return out.toString();
    }

    private static String schemeLabel(Estimate estimate) {
        return estimate.weights().isFromFile() ? "the GGUF file's own tensor types"
                : estimate.weights().scheme().name();
    }

    /**
     * Renders the same content as {@link #render(ModelSource, Estimator)} as JSON, for tools that embed the library.
     * Sizes are objects of bytes, GiB and GB; speeds are tokens per second.
     *
     * @param source the model
     * @param chosen the estimator with the chosen scheme, context and settings, and no deployment
     * @return the JSON text
     */
    public static String renderJson(ModelSource source, Estimator chosen) {
        ModelSpec spec = source.spec();
        Estimate estimate = chosen.estimate();
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("model", model(source));
        root.put("settings", Views.settings(estimate));
        root.put("weightFormats", formats(estimate));
        root.put("memory", Views.memory(estimate));
        root.put("warnings", Views.warnings(estimate));
        List<Map<String, Object>> weights = new ArrayList<>();
        for (QuantScheme each : REPORTED_SCHEMES) {
            var assigned = each.assign(spec);
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("scheme", each.name());
            row.put("bitsPerWeight", Views.round(assigned.bitsPerWeight()));
            row.put("weights", Views.size(assigned.loadedBytes()));
            weights.add(row);
        }
        root.put("weightsByScheme", weights);
        List<Map<String, Object>> speeds = new ArrayList<>();
        List<SpeedRow> rows = SpeedMatrix.rows(chosen, estimate);
        for (SpeedRow r : rows) {
            speeds.add(r.json());
        }
        root.put("speedMatrix", speeds);
        root.put("hardwareProfile", HardwareProfile.describe(estimate.totalBytes(), rows));
        return Views.json(root);
    }

    /**
     * Describes the model as JSON: names, catalog entry, parameters, architecture, trained context.
     *
     * @param source the model
     * @return the object
     */
    public static Map<String, Object> model(ModelSource source) {
        ModelSpec spec = source.spec();
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("name", source.displayName());
        model.put("catalogId", source.preset().map(ModelPreset::id).orElse(null));
        model.put("catalogDataVersion", Catalog.dataVersion());
        model.put("ggufFile", source.gguf().isPresent() ? source.argument() : null);
        model.put("architecture", spec.architecture());
        model.put("totalParameters", spec.totalParameters());
        model.put("activeParameters", spec.activeParameters());
        model.put("layers", layerSummary(spec));
        model.put("nextTokenPredictionLayers", spec.nextTokenPredictionLayers().size());
        model.put("publishedFilesKeepMtp", source.preset().filter(p -> !p.spec().nextTokenPredictionLayers().isEmpty())
                .map(ModelPreset::publishedFilesKeepMtp).orElse(null));
        model.put("maxContextTokens", spec.maxContextTokens());
        model.put("runtimes", runtimes(spec).stream().map(Runtime::id).collect(Collectors.toList()));
        return model;
    }

    /**
     * Returns the storage types of the weights with their sizes, largest first, as JSON.
     *
     * @param estimate the estimate
     * @return one object per type
     */
    public static List<Map<String, Object>> formats(Estimate estimate) {
        List<Map<String, Object>> formats = new ArrayList<>();
        Views.weightFormats(estimate).forEach((type, bytes) -> {
            Map<String, Object> format = new LinkedHashMap<>();
            format.put("type", type);
            format.put("weights", Views.size(bytes));
            formats.add(format);
        });
        return formats;
    }

    private static void speedTable(StringBuilder out, List<SpeedRow> rows, int position) {
        line(out, "Speed matrix (decode at position %,d; prefill of a %,d-token prompt; expected, with the fit's range)",
                position, Views.promptTokens(position));
        int width = rows.stream().mapToInt(r -> r.label().length()).max().orElse(8);
        String format = "    %-" + width + "s  %-28s  %-24s  %s";
        line(out, format, "hardware", "decode tokens/s", "prefill tokens/s", "fits");
        for (SpeedRow row : rows) {
            line(out, format, row.label(), row.decodeText(), row.prefillText(), row.fitText());
        }
        line(out, "    [bw] bound by memory bandwidth, [compute] by arithmetic, [pcie] by weights streamed over PCIe,"
                + " [launch] by the fixed time per layer; speeds only where the model fits");
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
        List<Runtime> runtimes = runtimes(spec);
        line(out, "  %-20s %s (architecture %s in each runtime's model list, sources in the runtime package)",
                "Runtimes", runtimes.isEmpty() ? "none of llama.cpp, Ollama, vLLM, SGLang, MLX"
                        : runtimes.stream().map(Runtime::name).collect(Collectors.joining(", ")), spec.architecture());
        if (preset != null && !preset.spec().nextTokenPredictionLayers().isEmpty()) {
            line(out, "  %-20s %s (%s)", "MTP in files", preset.publishedFilesKeepMtp()
                    ? "the files people download commonly hold the MTP layer"
                    : "the files people download commonly lack the MTP layer: --no-mtp estimates them",
                    preset.publishedFilesMtpSource());
        }
        if (preset != null) {
            line(out, "  %-20s %s", "Config source", preset.configSource());
        }
    }

    /** The runtimes whose supported-architecture lists hold the model's architecture, in Runtime.all()'s order. */
    private static List<Runtime> runtimes(ModelSpec spec) {
        return Runtime.all().stream().filter(r -> r.supports(spec)).collect(Collectors.toList());
    }

    private static String layerSummary(ModelSpec spec) {
        Map<String, Integer> kinds = new LinkedHashMap<>();
        for (Layer layer : spec.layers()) {
            kinds.merge(describe(layer.mixer()), 1, Integer::sum);
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
            text.append("; ").append(spec.nextTokenPredictionLayers().size())
                    .append(" MTP layer (in the file, not loaded; --no-mtp for a file without)");
        }
        return text.toString();
    }

    private static String describe(MixerBlock attention) {
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

    /** Marks the chosen scheme's row; {@code chosen} is null for a GGUF file's own types, and no row is marked. */
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
        List<Integer> contexts = new ArrayList<>();
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
