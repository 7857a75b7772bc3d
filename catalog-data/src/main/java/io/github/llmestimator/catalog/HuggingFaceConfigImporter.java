package io.github.llmestimator.catalog;

import com.fasterxml.jackson.jr.ob.JSON;
import io.github.llmestimator.model.Architecture;
import io.github.llmestimator.model.MixerBlock;
import io.github.llmestimator.model.CheckpointFormat;
import io.github.llmestimator.model.DenseFeedForward;
import io.github.llmestimator.model.FeedForwardBlock;
import io.github.llmestimator.model.FullAttention;
import io.github.llmestimator.model.GatedDeltaNet;
import io.github.llmestimator.model.LatentAttention;
import io.github.llmestimator.model.Layer;
import io.github.llmestimator.model.Mamba2;
import io.github.llmestimator.model.MixtureOfExperts;
import io.github.llmestimator.model.ModelSpec;
import io.github.llmestimator.model.NoAttention;
import io.github.llmestimator.model.NoFeedForward;
import io.github.llmestimator.model.SlidingWindowAttention;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a Hugging Face {@code config.json} into a {@link ModelSpec}, the way llama.cpp's converter reads it.
 *
 * <p>Supported {@code model_type}s: see {@link #supportedModelTypes()}. Vision-language checkpoints (Qwen3.5, Gemma 3,
 * Mistral Small 3.x and Devstral 2, Llama 4, Kimi K2.5) are read from their nested {@code text_config}; the vision
 * tower is not part of the spec. Per-layer facts ({@code layer_types}, {@code full_attention_interval}, sliding-window patterns,
 * {@code first_k_dense_replace}, {@code hybrid_override_pattern}, MTP layers) become per-layer blocks. Keys a family
 * does not read are ignored and logged at debug level. Keys that transformers fills from defaults when a file omits
 * them (Gemma 3 writes few keys) take those defaults, as {@code transformers}' configuration classes state them.
 *
 * <p>Known approximations: Phi-3's fused QKV and gate/up projections are split into their parts (same parameter
 * count; llama.cpp's recipe treats a fused QKV like attn_v, so a Phi-3 GGUF differs by a few MB), and Gemma's extra
 * post-norms (a few vectors per layer) are not listed.
 *
 * <p>This class is stateless and thread-safe.
 */
public final class HuggingFaceConfigImporter {

    private static final Logger LOG = LoggerFactory.getLogger(HuggingFaceConfigImporter.class);

    private interface Family {
        ModelSpec build(ConfigReader c, String name, String architecture);
    }

    private static final Map<String, Family> FAMILIES = new HashMap<>();

    static {
        FAMILIES.put("llama", (c, n, a) -> dense(c, n, a, false, false));
        FAMILIES.put("mistral", (c, n, a) -> dense(c, n, a, false, false));
        // Mistral's 2025 text models (Devstral 2, Ministral 3): the Mistral layout under a new name; its YaRN and
        // attention-temperature keys change no tensor
        FAMILIES.put("ministral3", (c, n, a) -> dense(c, n, a, false, false));
        FAMILIES.put("qwen2", (c, n, a) -> dense(c, n, a, false, true));
        FAMILIES.put("qwen3", (c, n, a) -> dense(c, n, a, true, false));
        FAMILIES.put("phi3", (c, n, a) -> dense(c, n, a, false, false));
        FAMILIES.put("mixtral", HuggingFaceConfigImporter::mixtral);
        FAMILIES.put("qwen3_moe", HuggingFaceConfigImporter::qwen3Moe);
        FAMILIES.put("qwen3_next", (c, n, a) -> qwenHybrid(c, n, a, true));
        FAMILIES.put("qwen3_5_text", (c, n, a) -> qwenHybrid(c, n, a, false));
        FAMILIES.put("qwen3_5_moe_text", (c, n, a) -> qwenHybrid(c, n, a, true));
        FAMILIES.put("gemma2", HuggingFaceConfigImporter::gemma2);
        FAMILIES.put("gemma3_text", HuggingFaceConfigImporter::gemma3);
        FAMILIES.put("gpt_oss", HuggingFaceConfigImporter::gptOss);
        FAMILIES.put("deepseek_v3", HuggingFaceConfigImporter::deepSeek);
        FAMILIES.put("deepseek_v2", HuggingFaceConfigImporter::deepSeek);
        FAMILIES.put("kimi_k2", HuggingFaceConfigImporter::deepSeek);
        FAMILIES.put("glm4_moe", HuggingFaceConfigImporter::glm4Moe);
        FAMILIES.put("granitemoehybrid", HuggingFaceConfigImporter::graniteHybrid);
        FAMILIES.put("nemotron_h", HuggingFaceConfigImporter::nemotronH);
        FAMILIES.put("mamba2", HuggingFaceConfigImporter::mamba2);
        FAMILIES.put("llama4_text", HuggingFaceConfigImporter::llama4);
        FAMILIES.put("minimax_m2", HuggingFaceConfigImporter::miniMaxM2);
        FAMILIES.put("olmo2", (c, n, a) -> olmo(c, n, a, false));
        FAMILIES.put("olmo3", (c, n, a) -> olmo(c, n, a, true));
        FAMILIES.put("granite", HuggingFaceConfigImporter::granite);
        FAMILIES.put("cohere2", HuggingFaceConfigImporter::cohere2);
        // SmolLM3 skips RoPE on every fourth layer (no_rope_layers), which changes no tensor; transformers' config
        // class ties the embeddings unless the file says otherwise
        FAMILIES.put("smollm3", (c, n, a) -> base(c, n, a, true).addLayers(layers(c),
                Layer.of(gqa(c, false, false), DenseFeedForward.gated(c.integer("intermediate_size")))).build());
    }

    /** Wrapper model types whose language model lives in {@code text_config}, and the text type if it is absent. */
    private static final Map<String, String> WRAPPERS = Map.of(
            "qwen3_5", "qwen3_5_text", "qwen3_5_moe", "qwen3_5_moe_text", "gemma3", "gemma3_text",
            "mistral3", "mistral", "llama4", "llama4_text", "kimi_k25", "kimi_k2");

    private HuggingFaceConfigImporter() {
    }

    /** The text model types that have a family here, without the wrappers: each must be in the architecture table. */
    static Set<String> familyModelTypes() {
        return Set.copyOf(FAMILIES.keySet());
    }

    /**
     * Returns the {@code model_type}s this importer reads (wrappers with a {@code text_config} included).
     *
     * @return the model types, sorted, immutable
     */
    public static Set<String> supportedModelTypes() {
        TreeSet<String> types = new TreeSet<>(FAMILIES.keySet());
        types.addAll(WRAPPERS.keySet());
        return java.util.Collections.unmodifiableSortedSet(types);
    }

    /**
     * Reads a {@code config.json} file; the spec is named after the file's folder (as in {@code Qwen3-8B/config.json}).
     *
     * @param path the file, not null
     * @return the spec
     * @throws NullPointerException if {@code path} is null
     * @throws IOException if the file cannot be read
     * @throws ConfigImportException if the file is not a supported config.json
     */
    public static ModelSpec fromPath(Path path) throws IOException {
        Objects.requireNonNull(path, "path");
        Path folder = path.toAbsolutePath().getParent();
        String name = folder == null || folder.getFileName() == null ? path.getFileName().toString()
                : folder.getFileName().toString();
        String text;
        try {
            text = Files.readString(path, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IOException("config.json: cannot read " + path + " (" + e + ")", e);
        }
        return fromString(text, name);
    }

    /**
     * Reads a {@code config.json} from a stream (read to its end, not closed).
     *
     * @param in the stream, not null
     * @param name the display name of the model, not null or blank
     * @return the spec
     * @throws NullPointerException if an argument is null
     * @throws IOException if the stream cannot be read
     * @throws ConfigImportException if the text is not a supported config.json
     */
    public static ModelSpec fromStream(InputStream in, String name) throws IOException {
        Objects.requireNonNull(in, "in");
        return fromString(new String(in.readAllBytes(), StandardCharsets.UTF_8), name);
    }

    /**
     * Reads a {@code config.json} text.
     *
     * @param json the JSON text, not null
     * @param name the display name of the model, not null or blank
     * @return the spec
     * @throws NullPointerException if an argument is null
     * @throws ConfigImportException if the text is not valid JSON, its {@code model_type} is unsupported, or a key is
     *     missing or of the wrong type
     */
    public static ModelSpec fromString(String json, String name) {
        Objects.requireNonNull(json, "json");
        Objects.requireNonNull(name, "name");
        Map<String, Object> root;
        try {
            root = ConfigReader.readObject(JSON.std.getStreamingFactory().createParser(json));
        } catch (IOException | RuntimeException e) {
            throw new ConfigImportException("config.json: not a JSON object (" + e.getMessage() + ")", e);
        }
        if (root == null) {
            throw new ConfigImportException("config.json: empty (expected: a JSON object)");
        }
        return fromMap(root, name);
    }

    /**
     * Reads a {@code config.json} already parsed into maps, lists, strings, numbers and booleans (as a JSON library
     * returns them).
     *
     * @param config the top-level object, not null
     * @param name the display name of the model, not null or blank
     * @return the spec
     * @throws NullPointerException if an argument is null
     * @throws ConfigImportException if the {@code model_type} is unsupported, or a key is missing or of the wrong type
     */
    public static ModelSpec fromMap(Map<String, Object> config, String name) {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(name, "name");
        ConfigReader top = new ConfigReader(config, "config.json");
        String modelType = top.string("model_type");
        ConfigReader text = top;
        String textType = modelType;
        if (WRAPPERS.containsKey(modelType)) {
            text = new ConfigReader(top.object("text_config"), "config.json text_config");
            textType = text.string("model_type", WRAPPERS.get(modelType));
            if (textType.equals("qwen3_5") || textType.equals("qwen3_5_moe") || textType.equals("gemma3")
                    || textType.equals("llama4")) {
                textType = WRAPPERS.get(textType);
            }
            if (top.has("tie_word_embeddings") && !text.has("tie_word_embeddings")) {
                text = withKey(text, config, "tie_word_embeddings");
            }
            if (top.has("quantization_config") && !text.has("quantization_config")) {
                text = withKey(text, config, "quantization_config");
            }
        }
        Family family = FAMILIES.get(textType);
        Architecture architecture = Architecture.ofModelType(textType).orElse(null);
        if (family == null || architecture == null) {
            throw new ConfigImportException("config.json: model_type '" + modelType + "' (expected one of "
                    + supportedModelTypes() + ")");
        }
        ModelSpec spec;
        try {
            spec = family.build(text, name, architecture.ggufName());
        } catch (IllegalArgumentException | IllegalStateException e) {
            if (e instanceof ConfigImportException) {
                throw e;
            }
            throw new ConfigImportException("config.json (" + textType + "): " + e.getMessage(), e);
        }
        if (LOG.isDebugEnabled()) {
            LOG.debug("{}: keys not used for the spec: {}", name, text.unreadKeys());
        }
        return spec;
    }

    /** A reader over text_config with one top-level key added where text_config lacks it. */
    private static ConfigReader withKey(ConfigReader text, Map<String, Object> top, String key) {
        Map<String, Object> merged = new HashMap<>(text.rawValues());
        merged.put(key, top.get(key));
        return new ConfigReader(merged, "config.json text_config");
    }

    private static final String KEY_MAX_CONTEXT = "max_position_embeddings";

    // ---- shared pieces ----------------------------------------------------------------------------------------

    private static ModelSpec.Builder base(ConfigReader c, String name, String architecture, boolean tiedByDefault) {
        return ModelSpec.builder(name).architecture(architecture).hiddenSize(c.integer("hidden_size"))
                .vocabularySize(c.integer("vocab_size")).maxContextTokens(maxContext(c, 0))
                .tiedEmbeddings(c.bool("tie_word_embeddings", tiedByDefault));
    }

    /** {@code max_position_embeddings}, by default {@code defaultValue} (0: required), within a spec's bound. */
    private static int maxContext(ConfigReader c, int defaultValue) {
        String why = "so that llama.cpp's padding of the context to 256 stays an int";
        return defaultValue == 0 ? c.integerInRange(KEY_MAX_CONTEXT, 1, ModelSpec.MAX_CONTEXT_TOKENS, why)
                : c.integerInRange(KEY_MAX_CONTEXT, defaultValue, 1, ModelSpec.MAX_CONTEXT_TOKENS, why);
    }

    /** {@code num_hidden_layers}, at most llama.cpp's layer limit. */
    private static int layers(ConfigReader c) {
        return c.integerInRange("num_hidden_layers", 1, ModelSpec.MAX_LAYERS, "llama.cpp's LLAMA_MAX_LAYERS");
    }

    /** Multi-token-prediction layers from {@code key}: with the {@code layers} before them, within the layer limit. */
    private static int nextTokenPredictionLayers(ConfigReader c, String key, int layers) {
        return c.integerInRange(key, 0, 0, ModelSpec.MAX_LAYERS - layers, "so that with num_hidden_layers = " + layers
                + " the layers stay within " + ModelSpec.MAX_LAYERS + ", llama.cpp's LLAMA_MAX_LAYERS");
    }

    /** A sliding window or attention chunk from {@code key}, no longer than the trained context. */
    private static int window(ConfigReader c, String key, int window, int maxContext) {
        if (window > maxContext) {
            throw c.inconsistent("keys '" + key + "' = " + window + " and '" + KEY_MAX_CONTEXT + "' = " + maxContext,
                    key + " <= " + KEY_MAX_CONTEXT);
        }
        return window;
    }

    /** The width of {@code count} shared experts of {@code width} each, which must fit an int. */
    private static int sharedExperts(ConfigReader c, String countKey, int count, String widthKey, int width) {
        if (count > Integer.MAX_VALUE / width) {
            throw c.inconsistent("keys '" + countKey + "' = " + count + " and '" + widthKey + "' = " + width,
                    countKey + " * " + widthKey + " <= " + Integer.MAX_VALUE);
        }
        return count * width;
    }

    private static int heads(ConfigReader c) {
        return c.integer("num_attention_heads");
    }

    private static int kvHeads(ConfigReader c) {
        int heads = heads(c);
        return c.divisorOf("num_key_value_heads", heads, "num_attention_heads", heads);
    }

    /** The head size: {@code head_dim}, or else transformers' {@code hidden_size / num_attention_heads}, whole. */
    private static int headDim(ConfigReader c) {
        if (c.has("head_dim")) {
            return c.integer("head_dim");
        }
        int hidden = c.integer("hidden_size");
        int heads = heads(c);
        if (hidden % heads != 0) {
            throw c.inconsistent("keys 'hidden_size' = " + hidden + " and 'num_attention_heads' = " + heads,
                    "num_attention_heads to divide hidden_size, or a 'head_dim' key");
        }
        return hidden / heads;
    }

    /** Routed experts from {@code expertsKey} and {@code num_experts_per_tok}, each expert {@code expertSize} wide. */
    private static MixtureOfExperts experts(ConfigReader c, String expertsKey, int expertSize) {
        int experts = c.integerAtLeast(expertsKey, 2);
        return MixtureOfExperts.of(experts, c.atMost("num_experts_per_tok", expertsKey, experts), expertSize);
    }

    private static FullAttention gqa(ConfigReader c, boolean qkNorm, boolean qkvBias) {
        FullAttention attention = FullAttention.of(heads(c), kvHeads(c), headDim(c));
        if (qkNorm) {
            attention = attention.withQkNorm();
        }
        return qkvBias ? attention.withQkvBias() : attention;
    }

    private static CheckpointFormat checkpointFormat(ConfigReader c) {
        if (!c.has("quantization_config")) {
            return CheckpointFormat.BF16;
        }
        Object method = c.object("quantization_config").get("quant_method");
        if ("fp8".equals(method)) {
            return CheckpointFormat.FP8;
        }
        if ("mxfp4".equals(method)) {
            return CheckpointFormat.MXFP4_EXPERTS;
        }
        return CheckpointFormat.BF16;
    }

    // ---- families ---------------------------------------------------------------------------------------------

    private static ModelSpec dense(ConfigReader c, String name, String architecture, boolean qkNorm, boolean bias) {
        boolean qkvBias = bias || c.bool("attention_bias", false);
        Layer layer = Layer.of(gqa(c, qkNorm, qkvBias), DenseFeedForward.gated(c.integer("intermediate_size")));
        return base(c, name, architecture, false).addLayers(layers(c), layer).build();
    }

    private static ModelSpec mixtral(ConfigReader c, String name, String architecture) {
        FeedForwardBlock moe = experts(c, "num_local_experts", c.integer("intermediate_size"));
        return base(c, name, architecture, false).addLayers(layers(c), Layer.of(gqa(c, false, false), moe))
                .build();
    }

    private static ModelSpec qwen3Moe(ConfigReader c, String name, String architecture) {
        int layers = layers(c);
        FeedForwardBlock moe = experts(c, "num_experts", c.integer("moe_intermediate_size"));
        Set<Integer> mlpOnly = c.has("mlp_only_layers") ? Set.copyOf(c.integerList("mlp_only_layers")) : Set.of();
        int step = c.integer("decoder_sparse_step", 1);
        ModelSpec.Builder b = base(c, name, architecture, false);
        MixerBlock attention = gqa(c, true, c.bool("attention_bias", false));
        for (int i = 0; i < layers; i++) {
            boolean sparse = !mlpOnly.contains(i) && (i + 1) % step == 0;
            b.addLayer(Layer.of(attention, sparse ? moe : DenseFeedForward.gated(c.integer("intermediate_size"))));
        }
        return b.build();
    }

    /** Qwen3-Next and Qwen3.5: gated DeltaNet layers with a gated full-attention layer every few layers. */
    private static ModelSpec qwenHybrid(ConfigReader c, String name, String architecture, boolean moe) {
        int layers = layers(c);
        boolean gate = c.bool("attn_output_gate", true);
        FullAttention full = new FullAttention(heads(c), kvHeads(c), headDim(c), headDim(c), gate, true, false);
        int keyHeads = c.integer("linear_num_key_heads");
        MixerBlock linear = new GatedDeltaNet(keyHeads,
                c.multipleOf("linear_num_value_heads", "linear_num_key_heads", keyHeads), c.integer("linear_key_head_dim"),
                c.integer("linear_value_head_dim"), c.integer("linear_conv_kernel_dim"));
        FeedForwardBlock ffn;
        if (moe) {
            MixtureOfExperts experts = experts(c, "num_experts", c.integer("moe_intermediate_size"));
            int shared = c.nonNegativeInteger("shared_expert_intermediate_size", 0);
            ffn = shared > 0 ? experts.withSharedExperts(shared) : experts;
        } else {
            ffn = DenseFeedForward.gated(c.integer("intermediate_size"));
        }
        boolean[] isFull = layerKinds(c, layers, "full_attention", "linear_attention", "full_attention_interval", 4);
        ModelSpec.Builder b = base(c, name, architecture, false);
        for (int i = 0; i < layers; i++) {
            b.addLayer(Layer.of(isFull[i] ? full : linear, ffn));
        }
        int mtp = nextTokenPredictionLayers(c, "mtp_num_hidden_layers", layers);
        for (int i = 0; i < mtp; i++) {
            b.addNextTokenPredictionLayer(Layer.of(full, ffn));
        }
        return b.build();
    }

    /**
     * Which layers are of the "marked" kind: from {@code layer_types} when present, else every {@code interval}-th
     * layer (the last of each group), as llama.cpp's {@code full_attention_interval} and Gemma's pattern say.
     */
    private static boolean[] layerKinds(ConfigReader c, int layers, String marked, String other, String intervalKey,
            int defaultInterval) {
        boolean[] result = new boolean[layers];
        if (c.has("layer_types")) {
            List<String> types = c.stringList("layer_types", layers);
            for (int i = 0; i < layers; i++) {
                String type = types.get(i);
                if (!type.equals(marked) && !type.equals(other)) {
                    throw new ConfigImportException("config.json: key 'layer_types' entry " + i + " = \"" + type
                            + "\" (expected: \"" + marked + "\" or \"" + other + "\")");
                }
                result[i] = type.equals(marked);
            }
            c.markRead(intervalKey);
            return result;
        }
        int interval = c.integer(intervalKey, defaultInterval);
        for (int i = 0; i < layers; i++) {
            result[i] = (i + 1) % interval == 0;
        }
        return result;
    }

    private static ModelSpec gemma2(ConfigReader c, String name, String architecture) {
        int layers = layers(c);
        int window = window(c, "sliding_window", c.integer("sliding_window", 4096), maxContext(c, 0));
        ModelSpec.Builder b = base(c, name, architecture, true);
        for (int i = 0; i < layers; i++) {
            // transformers' Gemma2: even layers slide, odd layers attend globally
            MixerBlock attention = i % 2 == 0 ? SlidingWindowAttention.of(heads(c), kvHeads(c), headDim(c), window)
                    : FullAttention.of(heads(c), kvHeads(c), headDim(c));
            b.addLayer(Layer.of(attention, DenseFeedForward.gated(c.integer("intermediate_size"))));
        }
        return b.build();
    }

    /** Defaults of transformers' {@code Gemma3TextConfig}, which Gemma 3 checkpoints rely on for omitted keys. */
    private static ModelSpec gemma3(ConfigReader c, String name, String architecture) {
        int layers = layers(c);
        int heads = c.integer("num_attention_heads", 8);
        int kvHeads = c.divisorOf("num_key_value_heads", 4, "num_attention_heads", heads);
        int headDim = c.integer("head_dim", 256);
        int maxContext = maxContext(c, 131072);
        int window = window(c, "sliding_window", c.integer("sliding_window", 4096), maxContext);
        boolean[] global = layerKinds(c, layers, "full_attention", "sliding_attention", "sliding_window_pattern", 6);
        ModelSpec.Builder b = ModelSpec.builder(name).architecture(architecture).hiddenSize(c.integer("hidden_size"))
                .vocabularySize(c.integer("vocab_size", 262208))
                .maxContextTokens(maxContext)
                .tiedEmbeddings(c.bool("tie_word_embeddings", true));
        for (int i = 0; i < layers; i++) {
            MixerBlock attention = global[i] ? FullAttention.of(heads, kvHeads, headDim).withQkNorm()
                    : SlidingWindowAttention.of(heads, kvHeads, headDim, window).withQkNorm();
            b.addLayer(Layer.of(attention, DenseFeedForward.gated(c.integer("intermediate_size"))));
        }
        return b.build();
    }

    private static ModelSpec gptOss(ConfigReader c, String name, String architecture) {
        int layers = layers(c);
        int experts = c.integerAtLeast("num_local_experts", 2);
        int perToken = c.has("num_experts_per_tok") ? c.atMost("num_experts_per_tok", "num_local_experts", experts)
                : c.atMost("experts_per_token", "num_local_experts", experts);
        c.markRead("experts_per_token");
        FeedForwardBlock moe = MixtureOfExperts.of(experts, perToken, c.integer("intermediate_size")).withBiases();
        boolean[] full = layerKinds(c, layers, "full_attention", "sliding_attention", "sliding_window_pattern", 2);
        int window = window(c, "sliding_window", c.integer("sliding_window"), maxContext(c, 0));
        ModelSpec.Builder b = base(c, name, architecture, false).checkpointFormat(checkpointFormat(c));
        for (int i = 0; i < layers; i++) {
            MixerBlock attention = full[i] ? FullAttention.of(heads(c), kvHeads(c), headDim(c)).withQkvBias()
                    : SlidingWindowAttention.of(heads(c), kvHeads(c), headDim(c), window).withQkvBias();
            b.addLayer(Layer.of(attention, moe));
        }
        return b.build();
    }

    /** DeepSeek-V2/V3/R1 and Kimi K2: MLA, a leading run of dense layers, routed and shared experts, MTP layers. */
    private static ModelSpec deepSeek(ConfigReader c, String name, String architecture) {
        int layers = layers(c);
        MixerBlock mla = new LatentAttention(heads(c), c.nonNegativeInteger("q_lora_rank", 0),
                c.integer("kv_lora_rank"), c.integer("qk_rope_head_dim"), c.integer("qk_nope_head_dim"),
                c.integer("v_head_dim"));
        FeedForwardBlock sparse = routedAndSharedExperts(c);
        int firstDense = c.nonNegativeInteger("first_k_dense_replace", 0);
        int frequency = c.integer("moe_layer_freq", 1);
        FeedForwardBlock dense = DenseFeedForward.gated(c.integer("intermediate_size"));
        ModelSpec.Builder b = base(c, name, architecture, false).checkpointFormat(checkpointFormat(c));
        for (int i = 0; i < layers; i++) {
            boolean isSparse = i >= firstDense && i % frequency == 0;
            b.addLayer(Layer.of(mla, isSparse ? sparse : dense));
        }
        int mtp = nextTokenPredictionLayers(c, "num_nextn_predict_layers", layers);
        for (int i = 0; i < mtp; i++) {
            b.addNextTokenPredictionLayer(Layer.of(mla, sparse));
        }
        return b.build();
    }

    /** DeepSeek-style experts: {@code n_routed_experts} plus {@code n_shared_experts} of the same width. */
    private static FeedForwardBlock routedAndSharedExperts(ConfigReader c) {
        int expertSize = c.integer("moe_intermediate_size");
        MixtureOfExperts moe = experts(c, "n_routed_experts", expertSize);
        int shared = c.nonNegativeInteger("n_shared_experts", 0);
        return shared > 0 ? moe.withSharedExperts(
                sharedExperts(c, "n_shared_experts", shared, "moe_intermediate_size", expertSize)) : moe;
    }

    private static ModelSpec glm4Moe(ConfigReader c, String name, String architecture) {
        int layers = layers(c);
        MixerBlock attention = gqa(c, c.bool("use_qk_norm", false), c.bool("attention_bias", false));
        FeedForwardBlock sparse = routedAndSharedExperts(c);
        int firstDense = c.nonNegativeInteger("first_k_dense_replace", 0);
        FeedForwardBlock dense = DenseFeedForward.gated(c.integer("intermediate_size"));
        ModelSpec.Builder b = base(c, name, architecture, false);
        for (int i = 0; i < layers; i++) {
            b.addLayer(Layer.of(attention, i < firstDense ? dense : sparse));
        }
        int mtp = nextTokenPredictionLayers(c, "num_nextn_predict_layers", layers);
        for (int i = 0; i < mtp; i++) {
            b.addNextTokenPredictionLayer(Layer.of(attention, sparse));
        }
        return b.build();
    }

    private static ModelSpec graniteHybrid(ConfigReader c, String name, String architecture) {
        int layers = layers(c);
        boolean[] attention = layerKinds(c, layers, "attention", "mamba", "attention_interval", Integer.MAX_VALUE);
        int mambaHeads = c.integer("mamba_n_heads");
        MixerBlock mamba = new Mamba2(mambaHeads, c.integer("mamba_d_head"), c.integer("mamba_d_state"),
                c.divisorOf("mamba_n_groups", 1, "mamba_n_heads", mambaHeads), c.integer("mamba_d_conv", 4));
        MixerBlock gqa = gqa(c, false, c.bool("attention_bias", false));
        int shared = c.nonNegativeInteger("shared_intermediate_size", 0);
        FeedForwardBlock ffn;
        if (c.nonNegativeInteger("num_local_experts", 0) > 0) {
            MixtureOfExperts moe = experts(c, "num_local_experts", c.integer("intermediate_size"));
            ffn = shared > 0 ? moe.withSharedExperts(shared) : moe;
        } else {
            ffn = DenseFeedForward.gated(shared > 0 ? shared : c.integer("intermediate_size"));
        }
        ModelSpec.Builder b = base(c, name, architecture, true);
        for (int i = 0; i < layers; i++) {
            b.addLayer(Layer.of(attention[i] ? gqa : mamba, ffn));
        }
        return b.build();
    }

    /**
     * Mamba-2 (Mamba-Codestral): recurrent layers only, read as llama.cpp's converter reads them
     * ({@code convert_hf_to_gguf.py}, {@code Mamba2Model}): an inner width of {@code intermediate_size} (else twice
     * the hidden size) in heads of {@code head_dim} (default 64), {@code n_groups} (default 1), {@code state_size}
     * (default 128) and {@code conv_kernel} (default 4); the vocabulary padded up to a multiple of
     * {@code pad_vocab_size_multiple} (default 16); and the context the converter writes, 2^20 tokens, as the
     * checkpoint states none. transformers' {@code Mamba2Config} leaves the embeddings untied by default.
     */
    private static ModelSpec mamba2(ConfigReader c, String name, String architecture) {
        int hidden = c.integerInRange("hidden_size", 1, 1 << 24, "so that twice it, the default inner width, is an int");
        int inner = c.integer("intermediate_size", 2 * hidden);
        int headDim = c.divisorOf("head_dim", 64, "intermediate_size", inner);
        int heads = inner / headDim;
        int groups = c.divisorOf("n_groups", 1, "intermediate_size / head_dim", heads);
        int pad = c.integer("pad_vocab_size_multiple", 16);
        long padded = ((long) c.integer("vocab_size") + pad - 1) / pad * pad;
        if (padded > Integer.MAX_VALUE) {
            throw new ConfigImportException("config.json: key 'vocab_size' padded to " + padded + " (expected: at most "
                    + Integer.MAX_VALUE + ")");
        }
        Mamba2 mixer = new Mamba2(heads, headDim, c.integer("state_size", 128), groups, c.integer("conv_kernel", 4));
        return ModelSpec.builder(name).architecture(architecture).hiddenSize(hidden).vocabularySize((int) padded)
                .maxContextTokens(1 << 20).tiedEmbeddings(c.bool("tie_word_embeddings", false))
                .addLayers(layers(c), Layer.of(mixer, NoFeedForward.INSTANCE)).build();
    }

    /** Nemotron-H: one block per character of the pattern: M Mamba-2, * attention, - MLP, E mixture of experts. */
    private static ModelSpec nemotronH(ConfigReader c, String name, String architecture) {
        String pattern = c.string("hybrid_override_pattern");
        int layers = layers(c);
        if (pattern.length() != layers) {
            throw new ConfigImportException("config.json: key 'hybrid_override_pattern' = \"" + pattern
                    + "\" (expected: " + layers + " characters, one per layer)");
        }
        ModelSpec.Builder b = base(c, name, architecture, false);
        for (int i = 0; i < layers; i++) {
            switch (pattern.charAt(i)) {
                case 'M':
                    int mambaHeads = c.integer("mamba_num_heads");
                    b.addLayer(Layer.of(new Mamba2(mambaHeads, c.integer("mamba_head_dim"), c.integer("ssm_state_size"),
                            c.divisorOf("n_groups", 1, "mamba_num_heads", mambaHeads), c.integer("conv_kernel", 4)),
                            NoFeedForward.INSTANCE));
                    break;
                case '*':
                    b.addLayer(Layer.of(gqa(c, false, c.bool("attention_bias", false)), NoFeedForward.INSTANCE));
                    break;
                case '-':
                    b.addLayer(Layer.of(NoAttention.INSTANCE,
                            new DenseFeedForward(c.integer("intermediate_size"), false)));
                    break;
                case 'E':
                    int sharedWidth = c.nonNegativeInteger("moe_shared_expert_intermediate_size", 0);
                    int shared = sharedWidth == 0 ? 0 : sharedExperts(c, "n_shared_experts",
                            c.integer("n_shared_experts", 1), "moe_shared_expert_intermediate_size", sharedWidth);
                    MixtureOfExperts routed = experts(c, "n_routed_experts", c.integer("moe_intermediate_size"));
                    b.addLayer(Layer.of(NoAttention.INSTANCE, new MixtureOfExperts(routed.experts(),
                            routed.expertsPerToken(), routed.expertSize(), shared, false, false)));
                    break;
                default:
                    throw new ConfigImportException("config.json: key 'hybrid_override_pattern' character " + i
                            + " = '" + pattern.charAt(i) + "' (expected: M, *, - or E)");
            }
        }
        return b.build();
    }

    /**
     * MiniMax-M2 (and M2.1, M2.5, M2.7, which share its {@code config.json} layout): full attention on every layer with
     * one RMS norm over the whole Q and the whole K projection ({@code qk_norm_type} "per_layer"), 256 routed experts
     * with a sigmoid router and a per-expert correction bias, no shared expert. The {@code num_mtp_modules} are not
     * part of the spec: llama.cpp's {@code minimax-m2} loader has no tensors for them ({@code src/models/minimax-m2.cpp},
     * {@code load_arch_tensors}). What that loader cannot hold (shared experts, per-head or no QK norms, no router
     * bias) is refused rather than estimated.
     */
    private static ModelSpec miniMaxM2(ConfigReader c, String name, String architecture) {
        int layers = layers(c);
        if (!c.bool("use_qk_norm", true)) {
            throw new ConfigImportException("config.json: key 'use_qk_norm' = false (expected: true; llama.cpp's "
                    + "minimax-m2 loader requires attn_q_norm and attn_k_norm)");
        }
        String normType = c.string("qk_norm_type", "per_layer");
        if (!normType.equals("per_layer")) {
            throw new ConfigImportException("config.json: key 'qk_norm_type' = \"" + normType
                    + "\" (expected: \"per_layer\", the one norm over all heads that llama.cpp's minimax-m2 loader holds)");
        }
        if (!c.bool("use_routing_bias", true)) {
            throw new ConfigImportException("config.json: key 'use_routing_bias' = false (expected: true; llama.cpp's "
                    + "minimax-m2 loader requires the router's exp_probs_b)");
        }
        int shared = c.nonNegativeInteger("shared_intermediate_size", 0);
        if (shared != 0) {
            throw new ConfigImportException("config.json: key 'shared_intermediate_size' = " + shared
                    + " (expected: 0; llama.cpp's minimax-m2 loader has no shared expert)");
        }
        MixerBlock attention = gqa(c, true, false);
        FeedForwardBlock moe = experts(c, "num_local_experts", c.integer("intermediate_size"));
        return base(c, name, architecture, false).checkpointFormat(checkpointFormat(c))
                .addLayers(layers, Layer.of(attention, moe)).build();
    }

    /**
     * OLMo 2 and OLMo 3, which llama.cpp converts to one architecture ({@code olmo2}): a norm after each block instead
     * of before it, and one RMS norm over the whole Q and the whole K projection. OLMo 3 adds sliding-window layers
     * from {@code layer_types}, else three of every four as llama.cpp's converter assumes ({@code conversion/olmo.py},
     * {@code Olmo2Model}).
     */
    private static ModelSpec olmo(ConfigReader c, String name, String architecture, boolean sliding) {
        int layers = layers(c);
        FullAttention full = gqa(c, true, false);
        FeedForwardBlock ffn = DenseFeedForward.gated(c.integer("intermediate_size"));
        ModelSpec.Builder b = base(c, name, architecture, false);
        if (!sliding) {
            return b.addLayers(layers, Layer.of(full, ffn)).build();
        }
        int window = window(c, "sliding_window", c.integer("sliding_window"), maxContext(c, 0));
        MixerBlock local = SlidingWindowAttention.of(heads(c), kvHeads(c), headDim(c), window).withQkNorm();
        boolean[] isFull = layerKinds(c, layers, "full_attention", "sliding_attention", "sliding_window_pattern", 4);
        for (int i = 0; i < layers; i++) {
            b.addLayer(Layer.of(isFull[i] ? full : local, ffn));
        }
        return b.build();
    }

    /**
     * Granite 3.x dense: the Llama layout with four scalar multipliers (embedding, attention, residual, logits) that
     * change no tensor. llama.cpp's converter drops {@code head_dim} and its loader derives the head size as
     * {@code hidden_size / num_attention_heads} ({@code conversion/granite.py}, {@code src/models/granite.cpp}), so a
     * different {@code head_dim} is refused; so are the projection biases, which this importer does not model.
     */
    private static ModelSpec granite(ConfigReader c, String name, String architecture) {
        for (String key : List.of("attention_bias", "mlp_bias")) {
            if (c.bool(key, false)) {
                throw new ConfigImportException("config.json: key '" + key + "' = true (expected: false; biases of "
                        + "Granite's projections are not modelled)");
            }
        }
        int hidden = c.integer("hidden_size");
        if (c.has("head_dim") && (long) c.integer("head_dim") * heads(c) != hidden) {
            throw c.inconsistent("keys 'head_dim' = " + c.integer("head_dim") + ", 'num_attention_heads' = "
                    + heads(c) + " and 'hidden_size' = " + hidden, "head_dim * num_attention_heads = hidden_size, "
                    + "the head size llama.cpp's granite loader derives");
        }
        Layer layer = Layer.of(gqa(c, false, false), DenseFeedForward.gated(c.integer("intermediate_size")));
        return base(c, name, architecture, false).addLayers(layers(c), layer).build();
    }

    /**
     * Command R7B and Command A ({@code cohere2}): attention and feed-forward side by side after one norm (no
     * {@code ffn_norm}), sliding-window attention on three layers of four ({@code layer_types}, else
     * {@code sliding_window_pattern}, 4 by default as in transformers' config class), the output head tied to the
     * embeddings. llama.cpp's loader has no output tensor of its own ({@code src/models/cohere2.cpp}), so untied
     * embeddings are refused.
     */
    private static ModelSpec cohere2(ConfigReader c, String name, String architecture) {
        int layers = layers(c);
        if (!c.bool("tie_word_embeddings", true)) {
            throw new ConfigImportException("config.json: key 'tie_word_embeddings' = false (expected: true; llama.cpp's "
                    + "cohere2 loader reads the output head from the token embedding)");
        }
        int window = window(c, "sliding_window", c.integer("sliding_window", 4096), maxContext(c, 0));
        boolean[] full = layerKinds(c, layers, "full_attention", "sliding_attention", "sliding_window_pattern", 4);
        FeedForwardBlock ffn = DenseFeedForward.gated(c.integer("intermediate_size"));
        ModelSpec.Builder b = base(c, name, architecture, true);
        for (int i = 0; i < layers; i++) {
            MixerBlock attention = full[i] ? FullAttention.of(heads(c), kvHeads(c), headDim(c))
                    : SlidingWindowAttention.of(heads(c), kvHeads(c), headDim(c), window);
            b.addLayer(Layer.of(attention, ffn));
        }
        return b.build();
    }

    /**
     * Llama 4: chunked local attention ({@code attention_chunk_size}) on three of every four layers, global attention
     * on the fourth (llama.cpp's swa pattern 4); MoE every {@code interleave_moe_layer_step} layers, dense
     * {@code intermediate_size_mlp} otherwise; one shared expert of {@code intermediate_size}. Its QK norm has no weights.
     */
    private static ModelSpec llama4(ConfigReader c, String name, String architecture) {
        int layers = layers(c);
        int chunk = window(c, "attention_chunk_size", c.integer("attention_chunk_size", 8192), maxContext(c, 0));
        int expertSize = c.integer("intermediate_size");
        FeedForwardBlock moe = experts(c, "num_local_experts", expertSize).withSharedExperts(expertSize);
        FeedForwardBlock dense = DenseFeedForward.gated(c.integer("intermediate_size_mlp", expertSize));
        int step = c.integer("interleave_moe_layer_step", 1);
        ModelSpec.Builder b = base(c, name, architecture, false);
        for (int i = 0; i < layers; i++) {
            MixerBlock attention = i % 4 < 3 ? SlidingWindowAttention.of(heads(c), kvHeads(c), headDim(c), chunk)
                    : FullAttention.of(heads(c), kvHeads(c), headDim(c));
            b.addLayer(Layer.of(attention, (i + 1) % step == 0 ? moe : dense));
        }
        return b.build();
    }
}
