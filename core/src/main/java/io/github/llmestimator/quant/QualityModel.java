package io.github.llmestimator.quant;

import java.util.Optional;

/**
 * What a scheme costs in quality: the expected mean KL-divergence of a scheme on a model, from measurements (a table
 * such as llama.cpp's published scoreboard, or a user's own {@code llama-perplexity --kl-divergence} runs) or a stated
 * rule. Core ships no table; the catalog module implements this with llama.cpp's published figures.
 *
 * <p>Implementations are immutable and thread-safe.
 */
@FunctionalInterface
public interface QualityModel {

    /**
     * Returns the expected quality loss of a scheme.
     *
     * @param scheme the scheme, not null
     * @param bitsPerWeight the scheme's bits per weight on the model at hand
     *     ({@link QuantizedWeights#bitsPerWeight()}), for rules that go by size; finite and positive
     * @return the expected loss, or empty when the model has no figure and no rule for the scheme
     * @throws NullPointerException if {@code scheme} is null
     * @throws IllegalArgumentException if {@code bitsPerWeight} is not finite and positive
     */
    Optional<QuantQuality> quality(QuantScheme scheme, double bitsPerWeight);
}
