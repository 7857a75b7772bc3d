package io.github.llmestimator.catalog;

/**
 * Typed constants for the catalog's model presets, so that an IDE lists them: {@code Models.QWEN3_5_397B_A17B}.
 * Each constant is {@code Catalog.model(id)} for the id in its javadoc; loading the first constant loads the catalog.
 *
 * <p>This class is thread-safe; the presets are immutable.
 */
public final class Models {

    /** ALLaM 7B Instruct (preview) ({@code allam-7b}). */
    public static final ModelPreset ALLAM_7B = Catalog.model("allam-7b");

    /** Code Llama 13B ({@code codellama-13b}). */
    public static final ModelPreset CODELLAMA_13B = Catalog.model("codellama-13b");

    /** Code Llama 34B ({@code codellama-34b}). */
    public static final ModelPreset CODELLAMA_34B = Catalog.model("codellama-34b");

    /** Code Llama 7B ({@code codellama-7b}). */
    public static final ModelPreset CODELLAMA_7B = Catalog.model("codellama-7b");

    /** DeepSeek LLM 7B Base ({@code deepseek-llm-7b}). */
    public static final ModelPreset DEEPSEEK_LLM_7B = Catalog.model("deepseek-llm-7b");

    /** DeepSeek-R1 ({@code deepseek-r1}). */
    public static final ModelPreset DEEPSEEK_R1 = Catalog.model("deepseek-r1");

    /** DeepSeek-R1-Distill-Llama-70B ({@code deepseek-r1-distill-llama-70b}). */
    public static final ModelPreset DEEPSEEK_R1_DISTILL_LLAMA_70B = Catalog.model("deepseek-r1-distill-llama-70b");

    /** DeepSeek-R1-Distill-Qwen-1.5B ({@code deepseek-r1-distill-qwen-1.5b}). */
    public static final ModelPreset DEEPSEEK_R1_DISTILL_QWEN_1_5B = Catalog.model("deepseek-r1-distill-qwen-1.5b");

    /** DeepSeek-V2 ({@code deepseek-v2}). */
    public static final ModelPreset DEEPSEEK_V2 = Catalog.model("deepseek-v2");

    /** DeepSeek-V2-Lite ({@code deepseek-v2-lite}). */
    public static final ModelPreset DEEPSEEK_V2_LITE = Catalog.model("deepseek-v2-lite");

    /** DeepSeek-V3 ({@code deepseek-v3}). */
    public static final ModelPreset DEEPSEEK_V3 = Catalog.model("deepseek-v3");

    /** DeepSeek-V3.1 ({@code deepseek-v3.1}). */
    public static final ModelPreset DEEPSEEK_V3_1 = Catalog.model("deepseek-v3.1");

    /** Devstral 2 123B Instruct (2512) ({@code devstral-2-123b}). */
    public static final ModelPreset DEVSTRAL_2_123B = Catalog.model("devstral-2-123b");

    /** Devstral Small 2 24B Instruct (2512) ({@code devstral-small-2-24b}). */
    public static final ModelPreset DEVSTRAL_SMALL_2_24B = Catalog.model("devstral-small-2-24b");

    /** Gemma 2 27B ({@code gemma-2-27b}). */
    public static final ModelPreset GEMMA_2_27B = Catalog.model("gemma-2-27b");

    /** Gemma 2 2B IT ({@code gemma-2-2b}). */
    public static final ModelPreset GEMMA_2_2B = Catalog.model("gemma-2-2b");

    /** Gemma 2 9B ({@code gemma-2-9b}). */
    public static final ModelPreset GEMMA_2_9B = Catalog.model("gemma-2-9b");

    /** Gemma 3 12B IT ({@code gemma-3-12b}). */
    public static final ModelPreset GEMMA_3_12B = Catalog.model("gemma-3-12b");

    /** Gemma 3 1B IT ({@code gemma-3-1b}). */
    public static final ModelPreset GEMMA_3_1B = Catalog.model("gemma-3-1b");

    /** Gemma 3 27B IT ({@code gemma-3-27b}). */
    public static final ModelPreset GEMMA_3_27B = Catalog.model("gemma-3-27b");

    /** Gemma 3 4B IT ({@code gemma-3-4b}). */
    public static final ModelPreset GEMMA_3_4B = Catalog.model("gemma-3-4b");

    /** GLM-4.5 ({@code glm-4.5}). */
    public static final ModelPreset GLM_4_5 = Catalog.model("glm-4.5");

    /** GLM-4.5-Air ({@code glm-4.5-air}). */
    public static final ModelPreset GLM_4_5_AIR = Catalog.model("glm-4.5-air");

    /** GLM-4.6 ({@code glm-4.6}). */
    public static final ModelPreset GLM_4_6 = Catalog.model("glm-4.6");

    /** gpt-oss 120B ({@code gpt-oss-120b}). */
    public static final ModelPreset GPT_OSS_120B = Catalog.model("gpt-oss-120b");

    /** gpt-oss 20B ({@code gpt-oss-20b}). */
    public static final ModelPreset GPT_OSS_20B = Catalog.model("gpt-oss-20b");

    /** Granite-4.0-H-Small ({@code granite-4.0-h-small}). */
    public static final ModelPreset GRANITE_4_0_H_SMALL = Catalog.model("granite-4.0-h-small");

    /** Kimi K2 Instruct ({@code kimi-k2}). */
    public static final ModelPreset KIMI_K2 = Catalog.model("kimi-k2");

    /** Kimi K2.5 ({@code kimi-k2.5}). */
    public static final ModelPreset KIMI_K2_5 = Catalog.model("kimi-k2.5");

    /** Llama 2 13B ({@code llama-2-13b}). */
    public static final ModelPreset LLAMA_2_13B = Catalog.model("llama-2-13b");

    /** Llama 2 70B ({@code llama-2-70b}). */
    public static final ModelPreset LLAMA_2_70B = Catalog.model("llama-2-70b");

    /** Llama 2 7B ({@code llama-2-7b}). */
    public static final ModelPreset LLAMA_2_7B = Catalog.model("llama-2-7b");

    /** Llama 3 70B ({@code llama-3-70b}). */
    public static final ModelPreset LLAMA_3_70B = Catalog.model("llama-3-70b");

    /** Llama 3 8B Instruct ({@code llama-3-8b}). */
    public static final ModelPreset LLAMA_3_8B = Catalog.model("llama-3-8b");

    /** Llama 3.1 405B ({@code llama-3.1-405b}). */
    public static final ModelPreset LLAMA_3_1_405B = Catalog.model("llama-3.1-405b");

    /** Llama 3.1 70B Instruct ({@code llama-3.1-70b}). */
    public static final ModelPreset LLAMA_3_1_70B = Catalog.model("llama-3.1-70b");

    /** Llama 3.1 8B Instruct ({@code llama-3.1-8b}). */
    public static final ModelPreset LLAMA_3_1_8B = Catalog.model("llama-3.1-8b");

    /** Llama 3.2 1B Instruct ({@code llama-3.2-1b}). */
    public static final ModelPreset LLAMA_3_2_1B = Catalog.model("llama-3.2-1b");

    /** Llama 3.2 3B Instruct ({@code llama-3.2-3b}). */
    public static final ModelPreset LLAMA_3_2_3B = Catalog.model("llama-3.2-3b");

    /** Llama 3.3 70B Instruct ({@code llama-3.3-70b}). */
    public static final ModelPreset LLAMA_3_3_70B = Catalog.model("llama-3.3-70b");

    /** Llama 4 Maverick 17B-128E Instruct ({@code llama-4-maverick-17b-128e}). */
    public static final ModelPreset LLAMA_4_MAVERICK_17B_128E = Catalog.model("llama-4-maverick-17b-128e");

    /** Llama 4 Scout 17B-16E Instruct ({@code llama-4-scout-17b-16e}). */
    public static final ModelPreset LLAMA_4_SCOUT_17B_16E = Catalog.model("llama-4-scout-17b-16e");

    /** Ministral 3 8B Instruct (2512) ({@code ministral-3-8b}). */
    public static final ModelPreset MINISTRAL_3_8B = Catalog.model("ministral-3-8b");

    /** Ministral 8B Instruct (2410) ({@code ministral-8b}). */
    public static final ModelPreset MINISTRAL_8B = Catalog.model("ministral-8b");

    /** Mistral 7B v0.1 ({@code mistral-7b-v0.1}). */
    public static final ModelPreset MISTRAL_7B_V0_1 = Catalog.model("mistral-7b-v0.1");

    /** Mistral 7B Instruct v0.3 ({@code mistral-7b-v0.3}). */
    public static final ModelPreset MISTRAL_7B_V0_3 = Catalog.model("mistral-7b-v0.3");

    /** Mistral Nemo 12B (Base 2407) ({@code mistral-nemo-12b}). */
    public static final ModelPreset MISTRAL_NEMO_12B = Catalog.model("mistral-nemo-12b");

    /** Mistral Small 3 24B Instruct (2501) ({@code mistral-small-3-24b}). */
    public static final ModelPreset MISTRAL_SMALL_3_24B = Catalog.model("mistral-small-3-24b");

    /** Mistral Small 3.1 24B Instruct (2503), standing in for 3.2 ({@code mistral-small-3.2-24b}). */
    public static final ModelPreset MISTRAL_SMALL_3_2_24B = Catalog.model("mistral-small-3.2-24b");

    /** Mixtral 8x22B v0.1 (base config; Instruct not found) ({@code mixtral-8x22b}). */
    public static final ModelPreset MIXTRAL_8X22B = Catalog.model("mixtral-8x22b");

    /** Mixtral 8x7B Instruct v0.1 ({@code mixtral-8x7b}). */
    public static final ModelPreset MIXTRAL_8X7B = Catalog.model("mixtral-8x7b");

    /** NVIDIA Nemotron 3 Nano 30B-A3B ({@code nemotron-3-nano-30b-a3b}). */
    public static final ModelPreset NEMOTRON_3_NANO_30B_A3B = Catalog.model("nemotron-3-nano-30b-a3b");

    /** Nemotron-H 56B Base 8K ({@code nemotron-h-56b}). */
    public static final ModelPreset NEMOTRON_H_56B = Catalog.model("nemotron-h-56b");

    /** Phi-3 Medium 4K Instruct ({@code phi-3-medium-4k}). */
    public static final ModelPreset PHI_3_MEDIUM_4K = Catalog.model("phi-3-medium-4k");

    /** Phi-3 Mini 4K Instruct ({@code phi-3-mini-4k}). */
    public static final ModelPreset PHI_3_MINI_4K = Catalog.model("phi-3-mini-4k");

    /** Phi-3.5 mini Instruct ({@code phi-3.5-mini}). */
    public static final ModelPreset PHI_3_5_MINI = Catalog.model("phi-3.5-mini");

    /** Phi-4 ({@code phi-4}). */
    public static final ModelPreset PHI_4 = Catalog.model("phi-4");

    /** Phi-4-mini-instruct ({@code phi-4-mini}). */
    public static final ModelPreset PHI_4_MINI = Catalog.model("phi-4-mini");

    /** Qwen1.5 110B ({@code qwen1.5-110b}). */
    public static final ModelPreset QWEN1_5_110B = Catalog.model("qwen1.5-110b");

    /** Qwen2 72B ({@code qwen2-72b}). */
    public static final ModelPreset QWEN2_72B = Catalog.model("qwen2-72b");

    /** Qwen2 7B ({@code qwen2-7b}). */
    public static final ModelPreset QWEN2_7B = Catalog.model("qwen2-7b");

    /** Qwen2.5 0.5B ({@code qwen2.5-0.5b}). */
    public static final ModelPreset QWEN2_5_0_5B = Catalog.model("qwen2.5-0.5b");

    /** Qwen2.5 14B ({@code qwen2.5-14b}). */
    public static final ModelPreset QWEN2_5_14B = Catalog.model("qwen2.5-14b");

    /** Qwen2.5 1.5B Instruct ({@code qwen2.5-1.5b}). */
    public static final ModelPreset QWEN2_5_1_5B = Catalog.model("qwen2.5-1.5b");

    /** Qwen2.5 32B Instruct ({@code qwen2.5-32b}). */
    public static final ModelPreset QWEN2_5_32B = Catalog.model("qwen2.5-32b");

    /** Qwen2.5 3B ({@code qwen2.5-3b}). */
    public static final ModelPreset QWEN2_5_3B = Catalog.model("qwen2.5-3b");

    /** Qwen2.5 72B Instruct ({@code qwen2.5-72b}). */
    public static final ModelPreset QWEN2_5_72B = Catalog.model("qwen2.5-72b");

    /** Qwen2.5 7B Instruct ({@code qwen2.5-7b}). */
    public static final ModelPreset QWEN2_5_7B = Catalog.model("qwen2.5-7b");

    /** Qwen3 0.6B ({@code qwen3-0.6b}). */
    public static final ModelPreset QWEN3_0_6B = Catalog.model("qwen3-0.6b");

    /** Qwen3 1.7B ({@code qwen3-1.7b}). */
    public static final ModelPreset QWEN3_1_7B = Catalog.model("qwen3-1.7b");

    /** Qwen3 14B ({@code qwen3-14b}). */
    public static final ModelPreset QWEN3_14B = Catalog.model("qwen3-14b");

    /** Qwen3 235B-A22B ({@code qwen3-235b-a22b}). */
    public static final ModelPreset QWEN3_235B_A22B = Catalog.model("qwen3-235b-a22b");

    /** Qwen3 235B-A22B Instruct 2507 ({@code qwen3-235b-a22b-2507}). */
    public static final ModelPreset QWEN3_235B_A22B_2507 = Catalog.model("qwen3-235b-a22b-2507");

    /** Qwen3 30B-A3B ({@code qwen3-30b-a3b}). */
    public static final ModelPreset QWEN3_30B_A3B = Catalog.model("qwen3-30b-a3b");

    /** Qwen3 32B ({@code qwen3-32b}). */
    public static final ModelPreset QWEN3_32B = Catalog.model("qwen3-32b");

    /** Qwen3 4B ({@code qwen3-4b}). */
    public static final ModelPreset QWEN3_4B = Catalog.model("qwen3-4b");

    /** Qwen3 4B Thinking 2507 ({@code qwen3-4b-2507}). */
    public static final ModelPreset QWEN3_4B_2507 = Catalog.model("qwen3-4b-2507");

    /** Qwen3 8B ({@code qwen3-8b}). */
    public static final ModelPreset QWEN3_8B = Catalog.model("qwen3-8b");

    /** Qwen3-Coder 30B-A3B Instruct ({@code qwen3-coder-30b-a3b}). */
    public static final ModelPreset QWEN3_CODER_30B_A3B = Catalog.model("qwen3-coder-30b-a3b");

    /** Qwen3-Coder 480B-A35B Instruct ({@code qwen3-coder-480b-a35b}). */
    public static final ModelPreset QWEN3_CODER_480B_A35B = Catalog.model("qwen3-coder-480b-a35b");

    /** Qwen3-Next 80B-A3B Instruct ({@code qwen3-next-80b-a3b}). */
    public static final ModelPreset QWEN3_NEXT_80B_A3B = Catalog.model("qwen3-next-80b-a3b");

    /** Qwen3.5 122B-A10B ({@code qwen3.5-122b-a10b}). */
    public static final ModelPreset QWEN3_5_122B_A10B = Catalog.model("qwen3.5-122b-a10b");

    /** Qwen3.5 27B ({@code qwen3.5-27b}). */
    public static final ModelPreset QWEN3_5_27B = Catalog.model("qwen3.5-27b");

    /** Qwen3.5 35B-A3B ({@code qwen3.5-35b-a3b}). */
    public static final ModelPreset QWEN3_5_35B_A3B = Catalog.model("qwen3.5-35b-a3b");

    /** Qwen3.5 397B-A17B ({@code qwen3.5-397b-a17b}). */
    public static final ModelPreset QWEN3_5_397B_A17B = Catalog.model("qwen3.5-397b-a17b");

    /** Qwen3.5 9B ({@code qwen3.5-9b}). */
    public static final ModelPreset QWEN3_5_9B = Catalog.model("qwen3.5-9b");

    /** Qwen3.6 35B-A3B ({@code qwen3.6-35b-a3b}). */
    public static final ModelPreset QWEN3_6_35B_A3B = Catalog.model("qwen3.6-35b-a3b");

    /** SmolLM 1.7B ({@code smollm-1.7b}). */
    public static final ModelPreset SMOLLM_1_7B = Catalog.model("smollm-1.7b");

    /** SmolLM 135M ({@code smollm-135m}). */
    public static final ModelPreset SMOLLM_135M = Catalog.model("smollm-135m");

    /** SmolLM 360M ({@code smollm-360m}). */
    public static final ModelPreset SMOLLM_360M = Catalog.model("smollm-360m");

    /** SmolLM2 135M ({@code smollm2-135m}). */
    public static final ModelPreset SMOLLM2_135M = Catalog.model("smollm2-135m");

    /** SmolLM2 1.7B ({@code smollm2-1.7b}). */
    public static final ModelPreset SMOLLM2_1_7B = Catalog.model("smollm2-1.7b");

    /** SmolLM2 360M ({@code smollm2-360m}). */
    public static final ModelPreset SMOLLM2_360M = Catalog.model("smollm2-360m");

    /** TinyLlama 1.1B Chat v1.0 ({@code tinyllama-1.1b}). */
    public static final ModelPreset TINYLLAMA_1_1B = Catalog.model("tinyllama-1.1b");

    /** Yi-1.5 34B ({@code yi-1.5-34b}). */
    public static final ModelPreset YI_1_5_34B = Catalog.model("yi-1.5-34b");

    /** Yi-1.5 6B ({@code yi-1.5-6b}). */
    public static final ModelPreset YI_1_5_6B = Catalog.model("yi-1.5-6b");

    private Models() {
    }
}
