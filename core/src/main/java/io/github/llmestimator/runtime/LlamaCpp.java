package io.github.llmestimator.runtime;

import io.github.llmestimator.memory.ContextSettings;
import io.github.llmestimator.memory.KvCacheType;
import io.github.llmestimator.quant.QuantScheme;
import java.util.Objects;

/**
 * llama.cpp: the estimator's own accounting. The cache is padded cells in one stream per sequence (or one unified
 * stream), sized by {@link ContextSettings}; weights are GGUF files; the runtime allowance and compute buffer are the
 * estimator's ({@link io.github.llmestimator.Estimator#DEFAULT_RUNTIME_OVERHEAD_BYTES}, {@code ContextMemory}).
 */
public record LlamaCpp() implements Runtime {

    static final LlamaCpp INSTANCE = new LlamaCpp();

    private static final SupportedArchitectures ARCHITECTURES = SupportedArchitectures.read("llama.cpp");

    /**
     * Returns llama.cpp's settings for a context ({@link ContextSettings#defaults(int)}).
     *
     * @param contextTokens the context, at least 1
     * @return the settings
     * @throws IllegalArgumentException if {@code contextTokens} is not positive or too large
     */
    public ContextSettings contextSettings(int contextTokens) {
        return ContextSettings.defaults(contextTokens);
    }

    @Override
    public String name() {
        return "llama.cpp";
    }

    @Override
    public String id() {
        return "llama.cpp";
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
