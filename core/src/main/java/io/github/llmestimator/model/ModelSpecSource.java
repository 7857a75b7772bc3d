package io.github.llmestimator.model;

/**
 * Something that describes a model: a catalog preset, a GGUF file's header, a caller's own registry entry. The
 * estimator takes one directly ({@code Estimator.of(Models.QWEN3_8B)}, {@code Estimator.of(ggufModel)}), so that a
 * caller need not know which kind of source it holds.
 *
 * <p>Implementations are immutable and thread-safe.
 */
public interface ModelSpecSource {

    /**
     * Returns the model's spec.
     *
     * @return the spec, not null
     * @throws IllegalStateException if the source cannot describe the model (a GGUF file of an architecture this
     *     library does not map)
     */
    ModelSpec modelSpec();
}
