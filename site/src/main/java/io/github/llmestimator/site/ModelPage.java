package io.github.llmestimator.site;

import io.github.llmestimator.Estimate;
import io.github.llmestimator.Estimator;
import io.github.llmestimator.catalog.Catalog;
import io.github.llmestimator.catalog.ModelPreset;
import io.github.llmestimator.examples.HardwareProfile;
import io.github.llmestimator.examples.ModelReport;
import io.github.llmestimator.examples.ModelSource;
import io.github.llmestimator.examples.SpeedMatrix;
import io.github.llmestimator.examples.SpeedRow;
import io.github.llmestimator.examples.Views;
import io.github.llmestimator.hardware.Device;
import io.github.llmestimator.memory.ContextMemory;
import io.github.llmestimator.memory.ContextSettings;
import io.github.llmestimator.memory.DataSize;
import io.github.llmestimator.memory.KvCacheType;
import io.github.llmestimator.memory.MemoryKit;
import io.github.llmestimator.model.ModelSpec;
import io.github.llmestimator.planning.ContextPlan;
import io.github.llmestimator.planning.SchemePlan;
import io.github.llmestimator.quant.QuantScheme;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One catalog model's page: the calculator's tables (weights per scheme; KV cache, state and buffers per 256-token
 * block for each cache type), the speed matrix per scheme in files of their own that the page loads when a scheme is
 * picked, and the static sections (recommendation, specs, FAQ) whose answers are computed here.
 */
final class ModelPage {

    /** The setting the page opens with, the seed's: Q4_K_M at 8K tokens. */
    static final QuantScheme DEFAULT_SCHEME = QuantScheme.Q4_K_M;
    static final int DEFAULT_CONTEXT = 8192;

    /**
     * Cache types whose speed matrix is precomputed: llama.cpp's default and the quantized one people use most. Each
     * more would add a third to the time the site takes to build (placing the weights on each device dominates it).
     */
    static final List<KvCacheType> SPEED_CACHE_TYPES = List.of(KvCacheType.F16, KvCacheType.Q8_0);

    private final ModelPreset preset;
    private final ModelSpec spec;
    private final List<QuantScheme> schemes;
    private final List<KvCacheType> cacheTypes;

    ModelPage(ModelPreset preset) {
        this.preset = preset;
        this.spec = preset.spec();
        this.schemes = supportedSchemes(spec);
        this.cacheTypes = acceptedCacheTypes(spec);
    }

    /** The schemes whose recipe llama.cpp (or the checkpoint format) applies to this model, most bits first. */
    static List<QuantScheme> supportedSchemes(ModelSpec spec) {
        List<QuantScheme> result = new ArrayList<>();
        Map<QuantScheme, Double> bits = new LinkedHashMap<>();
        for (QuantScheme scheme : QuantScheme.values()) {
            try {
                bits.put(scheme, scheme.assign(spec).bitsPerWeight());
                result.add(scheme);
            } catch (IllegalArgumentException notForThisModel) {
                // the recipe refuses this model (a format it cannot hold): the page does not offer the scheme
            }
        }
        result.sort(Comparator.comparing((QuantScheme s) -> -bits.get(s)).thenComparing(Enum::ordinal));
        return result;
    }

    /** The cache types llama.cpp accepts for this model with flash attention on (its default). */
    static List<KvCacheType> acceptedCacheTypes(ModelSpec spec) {
        List<KvCacheType> result = new ArrayList<>();
        for (KvCacheType type : KvCacheType.values()) {
            try {
                ContextMemory.of(spec, ContextSettings.defaults(DEFAULT_CONTEXT).withCacheTypes(type, type));
                result.add(type);
            } catch (IllegalArgumentException refused) {
                // llama.cpp refuses this cache type for the model (a row its block does not divide)
            }
        }
        return result;
    }

    /** The longest context of the doubling grid: beyond it (a 10M-token model) only the maximum is added. */
    static final int LONGEST_GRID_CONTEXT = 262_144;

    /**
     * The contexts whose speed matrix is precomputed: 1K, 2K, 4K ... 256K below the maximum, and the maximum. A grid
     * keeps the page small and the build fast; the page says which of these its speeds are for.
     */
    static List<Integer> speedContexts(int maxContext) {
        List<Integer> contexts = new ArrayList<>();
        for (int c = 1024; c < maxContext && c <= LONGEST_GRID_CONTEXT; c *= 2) {
            contexts.add(c);
        }
        contexts.add(maxContext);
        return contexts;
    }

    String id() {
        return preset.id();
    }

    List<QuantScheme> schemes() {
        return schemes;
    }

    private QuantScheme defaultScheme() {
        return schemes.contains(DEFAULT_SCHEME) ? DEFAULT_SCHEME : schemes.get(schemes.size() / 2);
    }

    private int defaultContext() {
        return Math.min(DEFAULT_CONTEXT, spec.maxContextTokens());
    }

    /** The data the page's script reads: weights per scheme and context memory per block for each cache type. */
    Map<String, Object> data() {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("id", preset.id());
        data.put("name", preset.displayName());
        data.put("maxContext", spec.maxContextTokens());
        data.put("blockTokens", ContextSettings.CONTEXT_PADDING);
        data.put("defaultScheme", defaultScheme().name());
        data.put("defaultContext", defaultContext());
        data.put("runtimeBytes", Estimator.of(spec).quant(defaultScheme()).context(defaultContext()).estimate().runtimeOverheadBytes());
        data.put("kitsGB", MemoryKit.STANDARD_SIZES_GIB);
        List<Map<String, Object>> schemeRows = new ArrayList<>();
        for (QuantScheme scheme : schemes) {
            Estimate estimate = Estimator.of(spec).quant(scheme).context(defaultContext()).estimate();
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("name", scheme.name());
            row.put("bpw", String.format(Locale.ROOT, "%.2f", estimate.weights().bitsPerWeight()));
            row.put("weights", estimate.weightBytes());
            schemeRows.add(row);
        }
        data.put("schemes", schemeRows);
        int blocks = (int) (ContextSettings.pad(spec.maxContextTokens()) / ContextSettings.CONTEXT_PADDING);
        List<Map<String, Object>> caches = new ArrayList<>();
        for (KvCacheType type : cacheTypes) {
            long[] kv = new long[blocks];
            long[] state = new long[blocks];
            long[] buffers = new long[blocks];
            Estimator base = Estimator.of(spec).quant(defaultScheme()).kvCacheType(type);
            for (int b = 1; b <= blocks; b++) {
                // the block's last token: the padded context of every context in the block
                int context = (int) Math.min((long) b * ContextSettings.CONTEXT_PADDING, spec.maxContextTokens());
                Estimate estimate = base.context(context).estimate();
                kv[b - 1] = estimate.kvCacheBytes();
                state[b - 1] = estimate.recurrentStateBytes();
                buffers[b - 1] = estimate.outputBufferBytes() + estimate.computeBufferBytes();
            }
            Map<String, Object> cache = new LinkedHashMap<>();
            cache.put("name", type.name().toLowerCase(Locale.ROOT));
            cache.put("speeds", SPEED_CACHE_TYPES.contains(type));
            cache.put("kv", Runs.encode(kv));
            cache.put("state", Runs.encode(state));
            cache.put("buffers", Runs.encode(buffers));
            caches.add(cache);
        }
        data.put("cacheTypes", caches);
        data.put("speedContexts", speedContexts(spec.maxContextTokens()));
        return data;
    }

    /**
     * The speed matrix of one scheme for every precomputed cache type and context, as the report prints it, with the
     * hardware profile in words.
     */
    Map<String, Object> speeds(QuantScheme scheme) {
        Map<String, Object> byCache = new LinkedHashMap<>();
        for (KvCacheType type : SPEED_CACHE_TYPES) {
            if (!cacheTypes.contains(type)) {
                continue;
            }
            Map<String, Object> byContext = new LinkedHashMap<>();
            for (int context : speedContexts(spec.maxContextTokens())) {
                Estimator chosen = Estimator.of(spec).quant(scheme).context(context).kvCacheType(type);
                Estimate estimate = chosen.estimate();
                List<SpeedRow> rows = SpeedMatrix.rows(chosen, estimate);
                List<List<Object>> cells = new ArrayList<>();
                for (SpeedRow row : rows) {
                    cells.add(List.of(row.label(), row.fits(), row.fitText(), row.decodeText(), row.prefillText()));
                }
                Map<String, Object> matrix = new LinkedHashMap<>();
                matrix.put("prompt", Views.promptTokens(context));
                matrix.put("rows", cells);
                matrix.put("profile", HardwareProfile.describe(estimate.totalBytes(), rows));
                byContext.put(Integer.toString(context), matrix);
            }
            byCache.put(type.name().toLowerCase(Locale.ROOT), byContext);
        }
        return byCache;
    }

    /** The script file that hands one scheme's speed matrix to the page. */
    String speedScript(QuantScheme scheme) {
        return "(window.LLME_SPEEDS = window.LLME_SPEEDS || {})[" + Html.json(scheme.name()) + "] = "
                + Html.json(speeds(scheme)) + ";\n";
    }

    /** The page. */
    String html() {
        String name = Html.escape(preset.displayName());
        StringBuilder body = new StringBuilder();
        body.append("<h1>").append(name).append(" — memory and speed calculator</h1>\n");
        body.append("<p class=\"lead\">How much memory ").append(name).append(" needs with llama.cpp, and how fast it"
                + " runs, for every quantization it supports. Figures from llm-estimator, catalog data ")
                .append(Html.escape(Catalog.dataVersion())).append(".</p>\n");
        body.append(recommendation());
        body.append(calculator());
        body.append("<section aria-labelledby=\"chart-h\"><h2 id=\"chart-h\">Memory against context</h2>\n"
                + "<p>Total memory (weights, KV cache, state, buffers and the runtime allowance) per scheme at the"
                + " precomputed contexts, for the chosen cache type; the chosen scheme is drawn thick.</p>\n"
                + "<div class=\"chart\" id=\"chart\"></div></section>\n");
        body.append(speedSection());
        body.append(weightTable());
        body.append(specs());
        body.append(faq());
        String scripts = "<script id=\"model-data\" type=\"application/json\">" + Html.json(data()) + "</script>\n"
                + "<script src=\"../assets/common.js\"></script>\n<script src=\"../assets/model.js\"></script>\n";
        return Html.page(preset.displayName() + " — memory and speed calculator (llm-estimator)", "../",
                body.toString(), scripts);
    }

    private String recommendation() {
        QuantScheme scheme = defaultScheme();
        int context = defaultContext();
        Estimate estimate = Estimator.of(spec).quant(scheme).context(context).estimate();
        return String.format(Locale.ROOT, "<section aria-labelledby=\"rec-h\" class=\"recommendation\">"
                + "<h2 id=\"rec-h\">Recommendation</h2>\n<p>At %s and %,d tokens of context, %s needs"
                + " <strong>%s</strong> in all: <strong>buy %s</strong> of memory (the smallest standard size that"
                + " holds it). Weights %s, KV cache + state %s.</p></section>\n",
                scheme, context, Html.escape(preset.displayName()), DataSize.ofBytes(estimate.totalBytes()),
                estimate.recommendedKit(), DataSize.ofBytes(estimate.weightBytes()),
                DataSize.ofBytes(estimate.kvCacheBytes() + estimate.recurrentStateBytes()));
    }

    private String calculator() {
        StringBuilder options = new StringBuilder();
        for (QuantScheme scheme : schemes) {
            Estimate estimate = Estimator.of(spec).quant(scheme).context(defaultContext()).estimate();
            options.append(String.format(Locale.ROOT, "<option value=\"%s\"%s>%s — %.2f bits/weight, %s</option>",
                    scheme.name(), scheme == defaultScheme() ? " selected" : "", scheme.name(),
                    estimate.weights().bitsPerWeight(), DataSize.ofBytes(estimate.weightBytes())));
        }
        StringBuilder caches = new StringBuilder();
        for (KvCacheType type : cacheTypes) {
            String value = type.name().toLowerCase(Locale.ROOT);
            caches.append("<option value=\"").append(value).append("\"").append(type == KvCacheType.F16 ? " selected"
                    : "").append(">").append(value).append(type == KvCacheType.F16 ? " (llama.cpp default)" : "")
                    .append("</option>");
        }
        StringBuilder presets = new StringBuilder();
        for (int context : speedContexts(spec.maxContextTokens())) {
            presets.append("<button type=\"button\" data-context=\"").append(context).append("\">")
                    .append(shortTokens(context)).append("</button>");
        }
        int max = spec.maxContextTokens();
        return "<section aria-labelledby=\"calc-h\"><h2 id=\"calc-h\">Calculator</h2>\n<form id=\"calc\" class=\"calc\">\n"
                + "<div class=\"field\"><label for=\"scheme\">Quantization</label><select id=\"scheme\">"
                + options + "</select></div>\n"
                + "<div class=\"field\"><label for=\"context\">Context (tokens, 1 to " + String.format(Locale.ROOT,
                        "%,d", max) + ")</label><input id=\"context\" type=\"number\" min=\"1\" max=\"" + max
                + "\" step=\"1\" value=\"" + defaultContext() + "\" inputmode=\"numeric\">"
                + "<input id=\"context-range\" type=\"range\" min=\"1\" max=\"" + max + "\" step=\"1\" value=\""
                + defaultContext() + "\" aria-label=\"Context slider\">"
                + "<div class=\"presets\" role=\"group\" aria-label=\"Context presets\">" + presets + "</div></div>\n"
                + "<div class=\"field\"><label for=\"cache\">KV cache type (-ctk/-ctv)</label><select id=\"cache\">"
                + caches + "</select></div>\n</form>\n"
                + "<p id=\"context-error\" class=\"error\" role=\"alert\" hidden></p>\n"
                + "<table id=\"memory\" class=\"memory\" aria-live=\"polite\"><caption id=\"memory-caption\">Memory"
                + "</caption><tbody>\n"
                + "<tr><th scope=\"row\">Weights</th><td id=\"weights\"></td></tr>\n"
                + "<tr><th scope=\"row\">KV cache</th><td id=\"kv\"></td></tr>\n"
                + "<tr><th scope=\"row\">Recurrent state</th><td id=\"state\"></td></tr>\n"
                + "<tr><th scope=\"row\">KV cache + state</th><td id=\"kv-state\"></td></tr>\n"
                + "<tr><th scope=\"row\">Output and compute buffers</th><td id=\"buffers\"></td></tr>\n"
                + "<tr><th scope=\"row\">Runtime allowance</th><td id=\"runtime\"></td></tr>\n"
                + "<tr class=\"total\"><th scope=\"row\">Total</th><td id=\"total\"></td></tr>\n"
                + "<tr class=\"total\"><th scope=\"row\">Memory to buy</th><td id=\"kit\"></td></tr>\n"
                + "</tbody></table>\n"
                + "<p class=\"note\">llama.cpp pads the context to a multiple of 256 cells, so memory changes in steps"
                + " of 256 tokens. One sequence (-np 1), flash attention on, micro-batch 512 (-ub), llama.cpp's"
                + " defaults. \"Memory to buy\": the smallest standard kit that holds the total (kits are sold in"
                + " binary sizes: 256 GB = 256 GiB).</p></section>\n";
    }

    private String speedSection() {
        return "<section aria-labelledby=\"speed-h\"><h2 id=\"speed-h\">Speed matrix</h2>\n"
                + "<p id=\"speed-context\"></p>\n"
                + "<div class=\"scroll\"><table id=\"speeds\" class=\"speeds\"><caption class=\"visually-hidden\">"
                + "Speed per hardware</caption><thead><tr><th scope=\"col\">Hardware</th><th scope=\"col\">Fits</th>"
                + "<th scope=\"col\">Decode tokens/s (range) [bound]</th><th scope=\"col\">Prefill tokens/s [bound]"
                + "</th></tr></thead><tbody></tbody></table></div>\n"
                + "<p class=\"note\">[bw] bound by memory bandwidth, [compute] by arithmetic, [pcie] by weights"
                + " streamed over PCIe, [launch] by the fixed time per layer. System RAM rows are sized to the memory"
                + " to buy; speeds only where the model fits.</p>\n"
                + "<h3>Hardware profile</h3><p id=\"profile\"></p></section>\n";
    }

    private String weightTable() {
        StringBuilder rows = new StringBuilder();
        for (QuantScheme scheme : schemes) {
            Estimate estimate = Estimator.of(spec).quant(scheme).context(defaultContext()).estimate();
            DataSize size = DataSize.ofBytes(estimate.weightBytes());
            rows.append(String.format(Locale.ROOT, "<tr data-scheme=\"%s\"><th scope=\"row\">%s</th><td>%.2f</td>"
                    + "<td>%.2f</td><td>%.2f</td><td>%s</td></tr>\n", scheme.name(), scheme.name(),
                    estimate.weights().bitsPerWeight(), size.toGiB(), size.toGB(),
                    Html.escape(Views.weightFormatsLine(estimate))));
        }
        return "<section aria-labelledby=\"weights-h\"><h2 id=\"weights-h\">Weights by scheme</h2>\n"
                + "<p>llama.cpp's per-tensor recipes (<code>src/llama-quant.cpp</code>) for the GGUF file types;"
                + " checkpoint formats as vLLM loads them. Tensor data as llama.cpp loads it.</p>\n"
                + "<div class=\"scroll\"><table><thead><tr><th scope=\"col\">Scheme</th><th scope=\"col\">Bits/weight"
                + "</th><th scope=\"col\">GiB</th><th scope=\"col\">GB</th><th scope=\"col\">Storage types</th></tr>"
                + "</thead><tbody>\n" + rows + "</tbody></table></div></section>\n";
    }

    private String specs() {
        Map<String, Object> model = ModelReport.model(ModelSource.resolve(preset.id()));
        StringBuilder dl = new StringBuilder();
        item(dl, "Total parameters", String.format(Locale.ROOT, "%.2f B (model card: %.1f B)",
                spec.totalParameters() / 1e9, preset.statedTotalParameters() / 1e9));
        String active = String.format(Locale.ROOT, "%.2f B", spec.activeParameters() / 1e9);
        if (preset.statedActiveParameters().isPresent()) {
            active += String.format(Locale.ROOT, " (model card: %.1f B)",
                    preset.statedActiveParameters().getAsLong() / 1e9);
        }
        item(dl, "Active parameters per token", active);
        item(dl, "Architecture", (spec.isMixtureOfExperts() ? "mixture of experts, " : "dense, ") + model.get("layers"));
        item(dl, "llama.cpp architecture", spec.architecture());
        item(dl, "Maximum context", String.format(Locale.ROOT, "%,d tokens", spec.maxContextTokens()));
        item(dl, "Runtimes", "llama.cpp and the tools built on it (GGUF schemes); vLLM and transformers"
                + " (checkpoint schemes: FP8, AWQ, GPTQ, NVFP4, the publisher's own)");
        if (!spec.nextTokenPredictionLayers().isEmpty()) {
            item(dl, "MTP layers in published files", (preset.publishedFilesKeepMtp() ? "commonly kept" : "commonly"
                    + " left out (the page counts loaded weights either way)") + "; source: "
                    + preset.publishedFilesMtpSource());
        }
        item(dl, "Hugging Face repository", preset.huggingFaceRepo());
        item(dl, "Parameter counts from", preset.parameterSource());
        item(dl, "Configuration from", preset.configSource());
        if (!preset.notes().isEmpty()) {
            item(dl, "Notes", preset.notes());
        }
        return "<section aria-labelledby=\"specs-h\"><h2 id=\"specs-h\">Technical specs</h2>\n<dl class=\"specs\">"
                + dl + "</dl></section>\n";
    }

    private static void item(StringBuilder dl, String term, String value) {
        dl.append("<dt>").append(Html.escape(term)).append("</dt><dd>").append(linkify(value)).append("</dd>\n");
    }

    /** Escapes a source text and turns its URLs into links. */
    private static String linkify(String text) {
        StringBuilder out = new StringBuilder();
        for (String word : text.split(" ", -1)) {
            if (out.length() > 0) {
                out.append(' ');
            }
            if (word.startsWith("https://") || word.startsWith("http://")) {
                String url = word.replaceAll("[),;.:]+$", "");
                out.append("<a href=\"").append(Html.escape(url)).append("\">").append(Html.escape(url)).append("</a>")
                        .append(Html.escape(word.substring(url.length())));
            } else {
                out.append(Html.escape(word));
            }
        }
        return out.toString();
    }

    private String faq() {
        StringBuilder faq = new StringBuilder();
        String name = preset.displayName();
        int context = defaultContext();
        if (schemes.contains(QuantScheme.Q4_K_M)) {
            Estimate q4 = Estimator.of(spec).quant(QuantScheme.Q4_K_M).context(context).estimate();
            question(faq, "How much RAM does " + name + " need at 4-bit?", String.format(Locale.ROOT,
                    "At Q4_K_M (%.2f bits per weight on average) and %,d tokens: weights %s, KV cache + state %s,"
                            + " %s in all with buffers and the runtime allowance; a %s kit holds it.",
                    q4.weights().bitsPerWeight(), context, DataSize.ofBytes(q4.weightBytes()),
                    DataSize.ofBytes(q4.kvCacheBytes() + q4.recurrentStateBytes()), q4.total(), q4.recommendedKit()));
        }
        QuantScheme unquantized = schemes.contains(QuantScheme.BF16) ? QuantScheme.BF16 : schemes.get(0);
        Estimate full = Estimator.of(spec).quant(unquantized).context(context).estimate();
        question(faq, "What does it need unquantized (16-bit)?", String.format(Locale.ROOT,
                "At %s (%s): weights %s, %s in all at %,d tokens; a %s kit.", unquantized,
                Views.weightFormatsLine(full), DataSize.ofBytes(full.weightBytes()), full.total(), context,
                full.recommendedKit()));
        double share = (double) spec.activeParameters() / spec.totalParameters();
        Estimator chosen = Estimator.of(spec).quant(defaultScheme()).context(context);
        Estimate estimate = chosen.estimate();
        // the report's DDR5 row: system RAM sized to the kit, where every model fits
        SpeedRow ddr5 = SpeedMatrix.rows(chosen, estimate).get(1);
        String reads = ddr5.fits() ? String.format(Locale.ROOT, " At %s and %,d tokens one decoded token reads %.2f GB"
                + " (weights in use, KV cache, state) of the %.2f GB in memory, and %s decodes %s tokens/s (range %s-%s).",
                defaultScheme(), context, ddr5.decode().bytesPerStep() / 1e9, estimate.totalBytes() / 1e9,
                ddr5.label(), Views.speed(ddr5.decode().tokensPerSecond()),
                Views.speed(ddr5.decode().lowTokensPerSecond()), Views.speed(ddr5.decode().highTokensPerSecond()))
                : "";
        if (spec.isMixtureOfExperts()) {
            question(faq, "Is it dense or mixture-of-experts, and what does that mean for speed?", String.format(
                    Locale.ROOT, "Mixture of experts: each token uses %.2f B of its %.2f B parameters (%.1f %%). All"
                            + " of them must be in memory, but a token reads only the active ones, which is why it"
                            + " decodes far faster than a dense model of its size on the same memory, and why the"
                            + " experts can sit in system RAM beside a GPU (the \"experts in DDR5\" rows).%s",
                    spec.activeParameters() / 1e9, spec.totalParameters() / 1e9, 100 * share, reads));
        } else {
            question(faq, "Is it dense or mixture-of-experts, and what does that mean for speed?", String.format(
                    Locale.ROOT, "Dense: each token uses %.2f B of its %.2f B parameters (every layer and the output"
                            + " head; of the embedding table, one row), so decode speed follows memory bandwidth over"
                            + " the weights' size.%s", spec.activeParameters() / 1e9, spec.totalParameters() / 1e9,
                    reads));
        }
        int max = spec.maxContextTokens();
        Estimate shortContext = Estimator.of(spec).quant(defaultScheme()).context(context).estimate();
        Estimate longContext = Estimator.of(spec).quant(defaultScheme()).context(max).estimate();
        Estimate longQ8 = cacheTypes.contains(KvCacheType.Q8_0)
                ? Estimator.of(spec).quant(defaultScheme()).context(max).kvCacheType(KvCacheType.Q8_0).estimate()
                : null;
        question(faq, "How does the context change memory?", String.format(Locale.ROOT,
                "KV cache + state is %s at %,d tokens and %s at the maximum of %,d (f16 cache)%s. The weights do not"
                        + " change with the context.%s",
                DataSize.ofBytes(shortContext.kvCacheBytes() + shortContext.recurrentStateBytes()), context,
                DataSize.ofBytes(longContext.kvCacheBytes() + longContext.recurrentStateBytes()), max,
                longQ8 == null ? "" : String.format(Locale.ROOT, ", %s with a q8_0 cache",
                        DataSize.ofBytes(longQ8.kvCacheBytes() + longQ8.recurrentStateBytes())),
                shortContext.recurrentStateBytes() > 0 ? String.format(Locale.ROOT, " Its recurrent layers keep a"
                        + " state of %s per sequence whatever the context, so only its attention layers grow.",
                        DataSize.ofBytes(shortContext.recurrentStateBytes())) : ""));
        Device gpu = Catalog.hardware("rtx-4090").device();
        SchemePlan best = SchemePlan.of(Estimator.of(spec).context(context).on(gpu));
        ContextPlan longest = ContextPlan.of(Estimator.of(spec).quant(QuantScheme.Q4_K_M).on(gpu));
        question(faq, "What runs on one " + gpu.name() + "?", (best.fits()
                ? String.format(Locale.ROOT, "At %,d tokens the best scheme that fits is %s (%.2f bits per weight).",
                        context, best.scheme(), best.bitsPerWeight())
                : String.format(Locale.ROOT, "At %,d tokens no scheme fits: even the smallest misses by %s.",
                        context, DataSize.ofBytes(-best.headroomBytes())))
                + (longest.fits() ? String.format(Locale.ROOT, " At Q4_K_M its longest context is %,d tokens.",
                        longest.contextTokens()) : " Q4_K_M does not fit at any context."));
        return "<section aria-labelledby=\"faq-h\"><h2 id=\"faq-h\">FAQ</h2>\n" + faq + "</section>\n";
    }

    private static void question(StringBuilder faq, String question, String answer) {
        faq.append("<h3>").append(Html.escape(question)).append("</h3>\n<p>").append(Html.escape(answer))
                .append("</p>\n");
    }

    static String shortTokens(int tokens) {
        return tokens % 1024 == 0 ? tokens / 1024 + "K" : String.format(Locale.ROOT, "%,d", tokens);
    }
}
