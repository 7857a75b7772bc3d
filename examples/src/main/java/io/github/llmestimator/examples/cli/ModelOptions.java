package io.github.llmestimator.examples.cli;

import io.github.llmestimator.Estimator;
import io.github.llmestimator.examples.ModelSource;
import io.github.llmestimator.hub.Hub;
import io.github.llmestimator.memory.KvCacheType;
import io.github.llmestimator.quant.LoraAdapter;
import io.github.llmestimator.quant.LoraTarget;
import io.github.llmestimator.quant.QuantScheme;
import io.github.llmestimator.quant.TensorType;
import io.github.llmestimator.throughput.Speculation;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/**
 * The model and the llama.cpp settings every command shares, named as llama.cpp names them.
 */
final class ModelOptions {

    /** llama.cpp's {@code -fa}: {@code auto} turns flash attention on where the backend has it (CPU, CUDA, Metal). */
    enum FlashAttention { ON, OFF, AUTO }

    @Option(names = {"-m", "--model"}, required = true, paramLabel = "MODEL",
            description = "Catalog id (qwen3-8b), Hugging Face repo (Qwen/Qwen3-8B), Ollama name (qwen3:8b),"
                    + " a config.json or its folder, or a .gguf file. Read remotely, headers only:"
                    + " hf:OWNER/REPO[:SCHEME-or-file], https://.../x.gguf, ollama:NAME[:TAG]"
                    + " (HF_ENDPOINT, HF_TOKEN and LLM_ESTIMATOR_OLLAMA_REGISTRY apply).")
    String model;

    @Option(names = {"-q", "--quant"}, paramLabel = "SCHEME",
            description = "Quantization scheme (default: Q4_K_M; for a .gguf file, the file's own types)."
                    + " One of: ${COMPLETION-CANDIDATES}.")
    QuantScheme scheme;

    @Option(names = {"-c", "--ctx-size", "--context"}, paramLabel = "TOKENS", defaultValue = "8192",
            converter = TokenCount.class,
            description = "Context in tokens, all sequences together (default: ${DEFAULT-VALUE}); 32k and 1M work too.")
    int context;

    @Option(names = {"-ctk", "--cache-type-k"}, paramLabel = "TYPE", defaultValue = "f16",
            converter = CacheType.class, description = "K-cache type: f32, f16, bf16, q8_0, q5_1, q5_0, q4_1, q4_0,"
                    + " iq4_nl (default: ${DEFAULT-VALUE}).")
    KvCacheType cacheTypeK;

    @Option(names = {"-ctv", "--cache-type-v"}, paramLabel = "TYPE", defaultValue = "f16",
            converter = CacheType.class, description = "V-cache type, as -ctk (default: ${DEFAULT-VALUE}).")
    KvCacheType cacheTypeV;

    @Option(names = {"-fa", "--flash-attn"}, paramLabel = "on|off|auto", defaultValue = "auto",
            description = "Flash attention (default: ${DEFAULT-VALUE}, which is on).")
    FlashAttention flashAttention;

    @Option(names = "--swa-full", description = "Full-size cache for sliding-window layers.")
    boolean swaFull;

    @Option(names = {"-np", "--parallel"}, paramLabel = "N", defaultValue = "1",
            description = "Parallel sequences (default: ${DEFAULT-VALUE}).")
    int parallel;

    @Option(names = {"-kvu", "--kv-unified"}, description = "One KV stream shared by all sequences.")
    boolean kvUnified;

    @Option(names = {"-b", "--batch-size"}, paramLabel = "N", defaultValue = "2048",
            description = "Logical batch (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = {"-ub", "--ubatch-size"}, paramLabel = "N", defaultValue = "512",
            description = "Micro-batch (default: ${DEFAULT-VALUE}).")
    int ubatch;

    @Option(names = "--imatrix", description = "The file was quantized with an importance matrix (changes a few"
            + " tensor types of Q4_0, Q5_0, IQ4_XS, IQ4_NL, IQ3_XXS).")
    boolean imatrix;

    @Option(names = "--lora", paramLabel = "RANK:TARGETS[:TYPE]",
            description = "Repeatable: a LoRA adapter loaded with llama.cpp's --lora, e.g. 16:q,k,v,o or"
                    + " 64:q,k,v,o,gate,up,down:q8_0 (targets q k v o gate up down embed lm_head; type f16 (default),"
                    + " bf16, f32 or q8_0).")
    List<String> lora = new java.util.ArrayList<>();

    @Option(names = "--no-mtp", description = "The file was converted without the model's multi-token-prediction"
            + " layers (llama.cpp's convert_hf_to_gguf.py --no-mtp, and files converted before it kept them).")
    boolean noMtp;

    /** The projector and images of each request (issue 16). */
    @Mixin
    VisionOptions vision;

    @Option(names = "--mtp", description = "Speculative decoding with the model's own multi-token-prediction layer"
            + " (llama.cpp --spec-type draft-mtp): its weights, its draft context and the speed-up.")
    boolean mtp;

    @Option(names = {"-md", "--draft", "--model-draft"}, paramLabel = "MODEL",
            description = "Speculative decoding with a draft model (llama.cpp -md), named as -m; it must share the"
                    + " model's vocabulary.")
    String draft;

    @Option(names = "--draft-quant", paramLabel = "SCHEME",
            description = "The draft model's scheme (default: the model's, or a .gguf draft's own file type).")
    QuantScheme draftScheme;

    @Option(names = {"--draft-max", "--spec-draft-n-max"}, paramLabel = "N",
            description = "Tokens drafted per step (llama.cpp --spec-draft-n-max; default: "
                    + Speculation.DEFAULT_DRAFT_TOKENS + ").")
    Integer draftMax;

    @Option(names = "--acceptance", paramLabel = "A",
            description = "Per-token acceptance of drafted tokens, 0 to below 1 (default: published llama.cpp runs,"
                    + " about 0.84 for MTP and 0.89 for a same-family draft model; llama.cpp prints accepted/drafted,"
                    + " which --acceptance-rate takes).")
    Double acceptance;

    @Option(names = "--acceptance-rate", paramLabel = "R",
            description = "Accepted over drafted tokens as llama.cpp prints it ('draft acceptance rate'), at the"
                    + " --draft-max length; converted to a per-token acceptance.")
    Double acceptanceRate;

    @Option(names = {"-ctkd", "--cache-type-draft"}, paramLabel = "TYPE", converter = CacheType.class,
            description = "K and V cache type of the draft context (llama.cpp -ctkd/-ctvd; default: f16).")
    KvCacheType draftCacheType;

    /** llama.cpp's most parallel sequences ({@code LLAMA_MAX_SEQ}, src/llama-cparams.h). */
    static final int MAX_SEQUENCES = io.github.llmestimator.planning.ConcurrencyPlan.LLAMA_MAX_SEQUENCES;

    private ModelSource source;

    ModelSource source() {
        if (source == null) {
            ModelSource resolved = ModelSource.resolve(model);
            if (noMtp) {
                if (resolved.gguf().isPresent()) {
                    throw new IllegalArgumentException("--no-mtp: a .gguf file holds the layers it holds (expected:"
                            + " --no-mtp only with a catalog model or a config.json)");
                }
                if (resolved.spec().nextTokenPredictionLayers().isEmpty()) {
                    throw new IllegalArgumentException("--no-mtp: " + resolved.displayName() + " has no"
                            + " multi-token-prediction layers (expected: --no-mtp only for a model that has them)");
                }
                resolved = new ModelSource(resolved.argument(), resolved.spec().withoutNextTokenPredictionLayers(),
                        resolved.preset(), resolved.gguf());
            }
            source = resolved;
        }
        return source;
    }

    /** The schemes of the files an {@code hf:owner/repo} model publishes, if that is what was named. */
    Optional<List<QuantScheme>> publishedSchemes() {
        return ModelSource.publishedSchemes(model, Hub.fromEnvironment());
    }

    /** The estimator with every option but the hardware applied. */
    Estimator estimator() {
        requireRange("-np/--parallel", parallel, 1, MAX_SEQUENCES);
        requireRange("-b/--batch-size", batch, 1, Integer.MAX_VALUE);
        requireRange("-ub/--ubatch-size", ubatch, 1, Integer.MAX_VALUE);
        ModelSource resolved = source();
        Estimator estimator = resolved.estimator();
        if (scheme != null || resolved.gguf().isEmpty()) {
            estimator = estimator.quant(scheme == null ? QuantScheme.Q4_K_M : scheme);
            if (imatrix) {
                estimator = estimator.importanceMatrix(true);
            }
        } else if (imatrix) {
            throw new IllegalArgumentException("--imatrix: a .gguf file's tensor types are read from the file"
                    + " (expected: --quant SCHEME as well, to estimate the file requantized)");
        }
        if (!lora.isEmpty()) {
            try {
                estimator = estimator.loraAdapters(loraAdapters());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(e.getMessage().startsWith("--lora") ? e.getMessage()
                        : "--lora: " + e.getMessage(), e);
            }
        }
        estimator = estimator.context(context).kvCacheTypes(cacheTypeK, cacheTypeV)
                .flashAttention(flashAttention != FlashAttention.OFF).fullSlidingWindowCache(swaFull)
                .parallelSequences(parallel).unifiedKvCache(kvUnified).batch(batch, ubatch);
        estimator = vision.apply(estimator, model, resolved);
        Optional<Speculation> speculation = speculation(estimator);
        return speculation.isPresent() ? estimator.speculative(speculation.get()) : estimator;
    }

    /** The speculative-decoding setup the options name, if any. */
    private Optional<Speculation> speculation(Estimator target) {
        if (!mtp && draft == null) {
            if (draftScheme != null || draftMax != null || acceptance != null || acceptanceRate != null
                    || draftCacheType != null) {
                throw new IllegalArgumentException("--draft-quant/--draft-max/--acceptance/--acceptance-rate/-ctkd"
                        + " without --mtp or --draft (expected: one of them, to choose the drafter)");
            }
            return Optional.empty();
        }
        if (mtp && draft != null) {
            throw new IllegalArgumentException("--mtp and --draft together (expected: one drafter)");
        }
        if (acceptance != null && acceptanceRate != null) {
            throw new IllegalArgumentException("--acceptance and --acceptance-rate together (expected: one of them)");
        }
        int tokens = draftMax == null ? Speculation.DEFAULT_DRAFT_TOKENS : draftMax;
        requireRange("--draft-max", tokens, 1, Speculation.MAX_DRAFT_TOKENS);
        Speculation speculation;
        if (mtp) {
            if (draftScheme != null) {
                throw new IllegalArgumentException("--draft-quant with --mtp (expected: no scheme: the MTP layer is"
                        + " quantized with the model)");
            }
            speculation = Speculation.mtp().withDraftTokens(tokens);
        } else {
            ModelSource drafter = ModelSource.resolve(draft);
            QuantScheme chosen = draftScheme;
            if (chosen == null && drafter.gguf().isPresent()) {
                chosen = drafter.estimator().estimate().weights().knownScheme().orElseThrow(() ->
                        new IllegalArgumentException("--draft " + draft + ": the file's type is not a known scheme"
                                + " (expected: --draft-quant SCHEME)"));
            }
            if (chosen == null) {
                chosen = scheme == null ? QuantScheme.Q4_K_M : scheme;
            }
            speculation = Speculation.draftModel(drafter.spec(), chosen).withDraftTokens(tokens);
        }
        if (acceptance != null) {
            speculation = speculation.withAcceptance(acceptance);
        } else if (acceptanceRate != null) {
            speculation = speculation.withAcceptance(Speculation.perTokenAcceptance(acceptanceRate, tokens));
        }
        return Optional.of(draftCacheType == null ? speculation : speculation.withDraftCacheType(draftCacheType));
    }

    private List<LoraAdapter> loraAdapters() {
        List<LoraAdapter> adapters = new java.util.ArrayList<>();
        for (String text : lora) {
            String[] parts = text.split(":", -1);
            if (parts.length < 2 || parts.length > 3 || !parts[0].matches("\\d{1,4}")) {
                throw new IllegalArgumentException("--lora: '" + text + "' (expected: RANK:TARGETS[:TYPE], e.g."
                        + " 16:q,k,v,o or 16:q,k,v,o:q8_0)");
            }
            java.util.Set<LoraTarget> targets = java.util.EnumSet.noneOf(LoraTarget.class);
            for (String target : parts[1].split(",", -1)) {
                try {
                    targets.add(LoraTarget.of(target.trim()));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("--lora: '" + text + "': target '" + target + "' (expected:"
                            + " q, k, v, o, gate, up, down, embed or lm_head, comma-separated)", e);
                }
            }
            TensorType type = TensorType.F16;
            if (parts.length == 3) {
                type = switch (parts[2].trim().toLowerCase(Locale.ROOT)) {
                    case "f16" -> TensorType.F16;
                    case "bf16" -> TensorType.BF16;
                    case "f32" -> TensorType.F32;
                    case "q8_0" -> TensorType.Q8_0;
                    default -> throw new IllegalArgumentException("--lora: '" + text + "': type '" + parts[2]
                            + "' (expected: f16, bf16, f32 or q8_0)");
                };
            }
            try {
                adapters.add(new LoraAdapter(Integer.parseInt(parts[0]), targets, type));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--lora: '" + text + "': " + e.getMessage(), e);
            }
        }
        return adapters;
    }

    private static void requireRange(String option, int value, int min, int max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(option + ": " + value + " (expected: " + min + " to " + max + ")");
        }
    }

    /** Reads a token count: digits, optionally with _ or , separators, or a k/K (x1024) or M (x1048576) suffix. */
    static final class TokenCount implements ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            String text = value.trim().replace("_", "").replace(",", "").toLowerCase(Locale.ROOT);
            long multiplier = 1;
            if (text.endsWith("k")) {
                multiplier = 1024;
                text = text.substring(0, text.length() - 1);
            } else if (text.endsWith("m")) {
                multiplier = 1L << 20;
                text = text.substring(0, text.length() - 1);
            }
            long tokens;
            try {
                tokens = Long.parseLong(text) * multiplier;
            } catch (NumberFormatException e) {
                throw new TypeConversionException("'" + value + "' is not a token count (expected: a whole number such"
                        + " as 8192, 32k or 1M)");
            }
            if (tokens < 1 || tokens > Integer.MAX_VALUE) {
                throw new TypeConversionException("'" + value + "' (expected: 1 to " + Integer.MAX_VALUE + " tokens)");
            }
            return (int) tokens;
        }
    }

    /** Reads a cache type as llama.cpp spells it. */
    static final class CacheType implements ITypeConverter<KvCacheType> {
        @Override
        public KvCacheType convert(String value) {
            try {
                return KvCacheType.ofName(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }
}
