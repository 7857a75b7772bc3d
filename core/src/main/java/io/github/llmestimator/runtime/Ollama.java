package io.github.llmestimator.runtime;

import io.github.llmestimator.memory.ContextSettings;
import io.github.llmestimator.memory.DataSize;
import io.github.llmestimator.memory.KvCacheType;
import io.github.llmestimator.quant.QuantScheme;
import java.util.Objects;

/**
 * Ollama: llama.cpp (the copy it vendors under {@code llama/llama.cpp}) with Ollama's own defaults for the context,
 * the cache type, flash attention and parallel requests. Ollama gives each of {@code numParallel} requests the whole
 * {@code num_ctx}: "a 2K context with 4 parallel requests will result in an 8K context" (Ollama FAQ,
 * https://docs.ollama.com/faq), so llama.cpp runs with {@code -c num_ctx * numParallel -np numParallel}.
 *
 * @param contextTokens {@code num_ctx} ({@code OLLAMA_CONTEXT_LENGTH}), per request, at least 1
 * @param kvCacheType the cache type ({@code OLLAMA_KV_CACHE_TYPE}: f16, q8_0 or q4_0), not null
 * @param flashAttention whether flash attention is on ({@code OLLAMA_FLASH_ATTENTION})
 * @param numParallel parallel requests per model ({@code OLLAMA_NUM_PARALLEL}), at least 1
 */
public record Ollama(int contextTokens, KvCacheType kvCacheType, boolean flashAttention, int numParallel)
        implements Runtime {

    /**
     * The defaults Ollama's FAQ documents (https://docs.ollama.com/faq): "By default, Ollama uses a context window
     * size of 4096 tokens", the K/V cache type f16 unless {@code OLLAMA_KV_CACHE_TYPE} says otherwise, flash
     * attention off unless {@code OLLAMA_FLASH_ATTENTION=1}, and {@code OLLAMA_NUM_PARALLEL} "default 1". Earlier
     * releases defaulted to 2048 tokens (as client libraries still document it, e.g. Koog's
     * {@code ContextWindowStrategy.None}: "the default value of 2048"); newer ones size the context by VRAM
     * ({@link #defaultsForVram(DataSize)}).
     */
    public static final Ollama FAQ_DEFAULTS = new Ollama(4096, KvCacheType.F16, false, 1);

    private static final SupportedArchitectures ARCHITECTURES = SupportedArchitectures.read("ollama");

    /** The largest context llama.cpp pads into an int ({@link ContextSettings}). */
    private static final long MAX_TOTAL_CONTEXT =
            Integer.MAX_VALUE / ContextSettings.CONTEXT_PADDING * ContextSettings.CONTEXT_PADDING;

    /**
     * Validates the settings.
     *
     * @param contextTokens {@code num_ctx}, at least 1
     * @param kvCacheType the cache type: f16, q8_0 or q4_0, not null
     * @param flashAttention whether flash attention is on
     * @param numParallel parallel requests, 1 to {@value ContextSettings#MAX_PARALLEL_SEQUENCES}
     * @throws NullPointerException if {@code kvCacheType} is null
     * @throws IllegalArgumentException if a count is out of range, the total context is beyond llama.cpp's, the cache
     *     type is not one Ollama accepts, or a quantized cache is asked for without flash attention (Ollama then keeps
     *     f16)
     */
    public Ollama {
        Objects.requireNonNull(kvCacheType, "kvCacheType");
        if (contextTokens < 1) {
            throw new IllegalArgumentException("contextTokens: " + contextTokens + " (expected: >= 1)");
        }
        if (numParallel < 1 || numParallel > ContextSettings.MAX_PARALLEL_SEQUENCES) {
            throw new IllegalArgumentException("numParallel: " + numParallel + " (expected: 1 to "
                    + ContextSettings.MAX_PARALLEL_SEQUENCES + ")");
        }
        if ((long) contextTokens * numParallel > MAX_TOTAL_CONTEXT) {
            throw new IllegalArgumentException("contextTokens: " + contextTokens + " x numParallel " + numParallel
                    + " (expected: a total of at most " + MAX_TOTAL_CONTEXT + " cells, llama.cpp's padded int)");
        }
        if (kvCacheType != KvCacheType.F16 && kvCacheType != KvCacheType.Q8_0 && kvCacheType != KvCacheType.Q4_0) {
            throw new IllegalArgumentException("kvCacheType: " + kvCacheType
                    + " (expected: F16, Q8_0 or Q4_0, the types OLLAMA_KV_CACHE_TYPE accepts)");
        }
        if (kvCacheType != KvCacheType.F16 && !flashAttention) {
            throw new IllegalArgumentException("kvCacheType: " + kvCacheType
                    + " without flash attention (expected: flash attention on, as Ollama needs it for a quantized"
                    + " cache)");
        }
    }

    /**
     * Returns the defaults of Ollama releases that size the context by the GPU's memory: "&lt; 24 GiB VRAM: 4k context,
     * 24-48 GiB VRAM: 32k context, &gt;= 48 GiB VRAM: 256k context" (docs/context-length.mdx at ollama commit
     * 948f69330acf96a2310f1b53fdfc211731a386d8), otherwise as {@link #FAQ_DEFAULTS}.
     *
     * @param vram the GPU memory, not null
     * @return the defaults for that memory
     * @throws NullPointerException if {@code vram} is null
     */
    public static Ollama defaultsForVram(DataSize vram) {
        long vramBytes = Objects.requireNonNull(vram, "vram").bytes();
        int context = vramBytes < 24L << 30 ? 4096 : vramBytes < 48L << 30 ? 32_768 : 262_144;
        return FAQ_DEFAULTS.withContextTokens(context);
    }

    /**
     * Returns a copy with another {@code num_ctx}.
     *
     * @param contextTokens the context per request, at least 1
     * @return the copy; this instance is immutable and unaffected by this method call
     * @throws IllegalArgumentException if {@code contextTokens} is not positive
     */
    public Ollama withContextTokens(int contextTokens) {
        return new Ollama(contextTokens, kvCacheType, flashAttention, numParallel);
    }

    /**
     * Returns the llama.cpp settings Ollama runs with: context {@code contextTokens * numParallel}, {@code numParallel}
     * sequences, {@code kvCacheType} for K and V, flash attention as set; batch sizes as llama.cpp's.
     *
     * @return the settings
     */
    public ContextSettings contextSettings() {
        return ContextSettings.defaults(contextTokens * numParallel).withParallelSequences(numParallel)
                .withCacheTypes(kvCacheType, kvCacheType).withFlashAttention(flashAttention);
    }

    @Override
    public String name() {
        return "Ollama";
    }

    @Override
    public String id() {
        return "ollama";
    }

    @Override
    public boolean loads(QuantScheme scheme) {
        return Objects.requireNonNull(scheme, "scheme").isGguf();
    }

    @Override
    public KvCacheType defaultKvCacheType() {
        return KvCacheType.F16;
    }

    @Override
    public SupportedArchitectures architectures() {
        return ARCHITECTURES;
    }

    @Override
    public boolean llamaCppKernels() {
        return true;
    }
}
