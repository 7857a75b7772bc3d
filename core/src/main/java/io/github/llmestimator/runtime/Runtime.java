package io.github.llmestimator.runtime;

import io.github.llmestimator.memory.KvCacheType;
import io.github.llmestimator.model.ModelSpec;
import io.github.llmestimator.quant.QuantScheme;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * The inference runtime a model runs on: what it allocates for the KV cache and beside it, which weight formats it
 * loads, its default cache type, and which architectures it supports. One value per runtime:
 * <ul>
 *   <li>{@link LlamaCpp}: padded cells and per-sequence streams
 *       ({@link io.github.llmestimator.memory.ContextSettings}), GGUF files. The estimator's default.</li>
 *   <li>{@link Ollama}: llama.cpp with Ollama's defaults for context, cache type, flash attention and parallel
 *       requests.</li>
 *   <li>{@link Vllm}: paged blocks in what {@code --gpu-memory-utilization} leaves after the weights, the profiled
 *       activation peak and non-torch memory ({@link PagedPool}); Hugging Face checkpoints.</li>
 *   <li>{@link SgLang}: a token pool in what {@code --mem-fraction-static} leaves after the weights, the fraction
 *       covering weights and pool together.</li>
 *   <li>{@link Mlx}: unified memory, MLX's group-wise affine quantization (4 bits with group 64 cost 4.5 bits per
 *       weight), a cache that grows in steps of 256 tokens.</li>
 * </ul>
 * The speed model's efficiency tables are fitted on llama.cpp measurements; {@link #llamaCppKernels()} says where they
 * apply, so that a runtime's own tables can later sit behind this interface.
 */
public sealed interface Runtime permits LlamaCpp, Ollama, Vllm, SgLang, Mlx {

    /**
     * Returns the runtime's display name, such as {@code "vLLM"}.
     *
     * @return the name, not null
     */
    String name();

    /**
     * Returns the name the command line accepts for this runtime: {@code llama.cpp}, {@code ollama}, {@code vllm},
     * {@code sglang} or {@code mlx}.
     *
     * @return the identifier, lower case
     */
    String id();

    /**
     * Returns whether the runtime loads weights stored with this scheme: GGUF file types for llama.cpp and Ollama,
     * checkpoint formats (the publisher's own, FP8, AWQ, GPTQ, NVFP4) for vLLM and SGLang, the publisher's own for MLX
     * (which quantizes with its own format, {@link Mlx}).
     *
     * @param scheme the scheme, not null
     * @return true when the runtime loads it
     * @throws NullPointerException if {@code scheme} is null
     */
    boolean loads(QuantScheme scheme);

    /**
     * Returns the element type the runtime caches K and V in by default: f16 for llama.cpp and Ollama, the model's
     * 16-bit type (BF16 for the checkpoints of this library's presets) for vLLM's and SGLang's {@code auto} and for
     * MLX.
     *
     * @return the default cache type, not null
     */
    KvCacheType defaultKvCacheType();

    /**
     * Returns the architectures the runtime loads, with their source.
     *
     * @return the list, not null
     */
    SupportedArchitectures architectures();

    /**
     * Returns whether the speed model's efficiency tables (fitted on llama.cpp's kernels) describe this runtime: true
     * for llama.cpp and Ollama, which runs llama.cpp's kernels; false for the others, whose speeds the library does not
     * model separately yet.
     *
     * @return true for the llama.cpp family
     */
    boolean llamaCppKernels();

    /**
     * Returns whether the runtime loads the model's architecture, defined as
     * {@code architectures().contains(model.architecture())}.
     *
     * @param model the model, not null
     * @return true when the runtime's list has the architecture
     * @throws NullPointerException if {@code model} is null
     */
    default boolean supports(ModelSpec model) {
        return architectures().contains(Objects.requireNonNull(model, "model").architecture());
    }

    /**
     * Returns llama.cpp.
     *
     * @return llama.cpp
     */
    static LlamaCpp llamaCpp() {
        return LlamaCpp.INSTANCE;
    }

    /**
     * Returns Ollama with the defaults its FAQ documents ({@link Ollama#FAQ_DEFAULTS}).
     *
     * @return Ollama
     */
    static Ollama ollama() {
        return Ollama.FAQ_DEFAULTS;
    }

    /**
     * Returns vLLM with its defaults ({@link Vllm#DEFAULTS}).
     *
     * @return vLLM
     */
    static Vllm vllm() {
        return Vllm.DEFAULTS;
    }

    /**
     * Returns SGLang with its defaults ({@link SgLang#DEFAULTS}).
     *
     * @return SGLang
     */
    static SgLang sglang() {
        return SgLang.DEFAULTS;
    }

    /**
     * Returns MLX with mlx-lm's default quantization ({@link Mlx#DEFAULTS}: 4 bits, group 64).
     *
     * @return MLX
     */
    static Mlx mlx() {
        return Mlx.DEFAULTS;
    }

    /**
     * Returns every runtime with its defaults, in a fixed order: llama.cpp, Ollama, vLLM, SGLang, MLX.
     *
     * @return the runtimes, an immutable list
     */
    static List<Runtime> all() {
        return List.of(llamaCpp(), ollama(), vllm(), sglang(), mlx());
    }

    /**
     * Returns the runtime with the given identifier ({@link #id()}), ignoring case, with its defaults.
     *
     * @param id the identifier, such as {@code "vllm"}, not null
     * @return the runtime
     * @throws NullPointerException if {@code id} is null
     * @throws IllegalArgumentException if no runtime has that identifier; the message lists them
     */
    static Runtime ofName(String id) {
        Objects.requireNonNull(id, "id");
        String wanted = id.trim().toLowerCase(Locale.ROOT);
        for (Runtime runtime : all()) {
            if (runtime.id().equals(wanted)) {
                return runtime;
            }
        }
        throw new IllegalArgumentException("runtime: '" + id + "' (expected one of llama.cpp, ollama, vllm, sglang,"
                + " mlx)");
    }
}
