package io.github.llmestimator.model;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The model architectures this library turns into a {@link ModelSpec}, each under the name a GGUF file gives it
 * ({@code general.architecture}, llama.cpp's {@code LLM_ARCH_NAMES} in {@code src/llama-arch.cpp}) and the
 * {@code model_type}s of the Hugging Face {@code config.json} files that llama.cpp's converter
 * ({@code convert_hf_to_gguf.py}) writes under that name. Both importers consult this one table: the GGUF reader
 * maps the files whose architecture is listed here, and the config.json importer reads the model types listed here,
 * so that a model is known to both or to neither.
 *
 * <p>A spec's {@link ModelSpec#architecture()} is the {@link #ggufName()}.
 *
 * <p>This enum is immutable and thread-safe.
 */
public enum Architecture {
    /** Llama 1-3 and the models the converter writes as Llama: Mistral, Ministral 3, Mixtral. */
    LLAMA("llama", "llama", "mistral", "ministral3", "mixtral"),
    /** Llama 4: chunked attention on three of four layers, experts every {@code interleave_moe_layer_step} layers. */
    LLAMA4("llama4", "llama4_text"),
    /** Qwen2 and Qwen2.5. */
    QWEN2("qwen2", "qwen2"),
    /** Qwen3 dense. */
    QWEN3("qwen3", "qwen3"),
    /** Qwen3 mixture of experts. */
    QWEN3_MOE("qwen3moe", "qwen3_moe"),
    /** Qwen3-Next: Gated DeltaNet and gated attention, experts. */
    QWEN3_NEXT("qwen3next", "qwen3_next"),
    /** Qwen3.5 dense (its text model). */
    QWEN3_5("qwen35", "qwen3_5_text"),
    /** Qwen3.5 mixture of experts (its text model). */
    QWEN3_5_MOE("qwen35moe", "qwen3_5_moe_text"),
    /** Gemma 2. */
    GEMMA2("gemma2", "gemma2"),
    /** Gemma 3 (its text model). */
    GEMMA3("gemma3", "gemma3_text"),
    /** gpt-oss. */
    GPT_OSS("gpt-oss", "gpt_oss"),
    /** DeepSeek-V2/V3 and Kimi K2: multi-head latent attention and experts. */
    DEEPSEEK2("deepseek2", "deepseek_v2", "deepseek_v3", "kimi_k2"),
    /** GLM-4.5/4.6 mixture of experts. */
    GLM4_MOE("glm4moe", "glm4_moe"),
    /** Phi-3 and Phi-4 (fused QKV and gate/up projections). */
    PHI3("phi3", "phi3"),
    /** Mamba-2 (Mamba-Codestral): recurrent layers only. */
    MAMBA2("mamba2", "mamba2"),
    /** Nemotron-H: Mamba-2, attention and MLP layers. */
    NEMOTRON_H("nemotron_h", "nemotron_h"),
    /** Granite 4 hybrid: Mamba-2 and attention layers. */
    GRANITE_HYBRID("granitehybrid", "granitemoehybrid"),
    /** MiniMax-M2. */
    MINIMAX_M2("minimax-m2", "minimax_m2"),
    /** OLMo 2 and OLMo 3 (the converter writes both as olmo2; OLMo 3 adds sliding-window layers). */
    OLMO2("olmo2", "olmo2", "olmo3"),
    /** Granite 3 dense. */
    GRANITE("granite", "granite"),
    /** SmolLM3. */
    SMOLLM3("smollm3", "smollm3"),
    /** Command R7B / Command A (Cohere2): sliding-window layers. */
    COHERE2("cohere2", "cohere2");

    private final String ggufName;
    private final List<String> modelTypes;

    Architecture(String ggufName, String... modelTypes) {
        this.ggufName = ggufName;
        this.modelTypes = List.of(modelTypes);
    }

    /**
     * Returns the architecture's name in a GGUF file's {@code general.architecture}.
     *
     * @return the name, not null
     */
    public String ggufName() {
        return ggufName;
    }

    /**
     * Returns the {@code model_type}s of the config.json files of this architecture (those of a text model; a
     * vision-language wrapper names its text model's type in {@code text_config}).
     *
     * @return the model types, at least one, an immutable list
     */
    public List<String> modelTypes() {
        return modelTypes;
    }

    /**
     * Finds an architecture by its GGUF name.
     *
     * @param ggufName the {@code general.architecture} value, not null
     * @return the architecture, or empty when this library does not map it
     * @throws NullPointerException if {@code ggufName} is null
     */
    public static Optional<Architecture> ofGgufName(String ggufName) {
        Objects.requireNonNull(ggufName, "ggufName");
        for (Architecture a : values()) {
            if (a.ggufName.equals(ggufName)) {
                return Optional.of(a);
            }
        }
        return Optional.empty();
    }

    /**
     * Finds an architecture by a config.json {@code model_type}.
     *
     * @param modelType the model type, not null
     * @return the architecture, or empty when this library does not read it
     * @throws NullPointerException if {@code modelType} is null
     */
    public static Optional<Architecture> ofModelType(String modelType) {
        Objects.requireNonNull(modelType, "modelType");
        for (Architecture a : values()) {
            if (a.modelTypes.contains(modelType)) {
                return Optional.of(a);
            }
        }
        return Optional.empty();
    }
}
