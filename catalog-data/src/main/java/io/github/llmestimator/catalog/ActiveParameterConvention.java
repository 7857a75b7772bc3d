package io.github.llmestimator.catalog;

import io.github.llmestimator.model.ModelSpec;
import io.github.llmestimator.model.TensorRole;

/**
 * How a model card counts "active parameters": vendors differ on whether the embedding matrix and the output head
 * count. Catalog entries say which convention their card's figure follows, so that the figure can be checked against
 * the derivation; the library's own {@link ModelSpec#activeParameters()} is always {@link #TOKEN_PATH}.
 *
 * <p>This enum is immutable and thread-safe.
 */
public enum ActiveParameterConvention {
    /** What one token reads: one embedding row and the output head (OpenAI's gpt-oss card, DeepSeek, Kimi). */
    TOKEN_PATH,
    /** The whole embedding matrix counted as active, as Qwen3 MoE, Llama 4 and Granite cards do. */
    WITH_EMBEDDINGS,
    /** Neither the embedding nor the output head counted, as the GLM-4.5 card does. */
    WITHOUT_EMBEDDINGS_OR_OUTPUT;

    /**
     * Returns the model's active parameters counted under this convention.
     *
     * @param spec the model, not null
     * @return the active parameter count
     */
    public long activeParameters(ModelSpec spec) {
        long tokenPath = spec.activeParameters();
        switch (this) {
            case WITH_EMBEDDINGS:
                return tokenPath - spec.hiddenSize() + spec.parameters(TensorRole.TOKEN_EMBEDDING);
            case WITHOUT_EMBEDDINGS_OR_OUTPUT:
                return tokenPath - spec.hiddenSize() - spec.parameters(TensorRole.OUTPUT);
            default:
                return tokenPath;
        }
    }
}
