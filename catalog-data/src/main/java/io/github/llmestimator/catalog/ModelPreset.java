package io.github.llmestimator.catalog;

import io.github.llmestimator.model.ModelSpec;
import io.github.llmestimator.model.ModelSpecSource;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * A catalog model: its spec, read from the model's own {@code config.json}, with the parameter counts its model card
 * states and where each fact comes from.
 *
 * @param id the stable lower-case id, such as {@code qwen3.5-397b-a17b}
 * @param displayName the name people use, such as {@code Qwen3.5-397B-A17B}
 * @param huggingFaceRepo the Hugging Face repository the config belongs to
 * @param spec the architecture, not null
 * @param statedTotalParameters total parameters as the model card states them (rounded as the card rounds)
 * @param statedActiveParameters active parameters per token as the card states them (equal to the total for a
 *     dense model), or empty when it states none
 * @param parameterSource where the stated counts come from (URL and wording)
 * @param configSource where the config.json comes from (URL, pinned to a commit where possible)
 * @param activeConvention how the card counts active parameters
 * @param looseCountsReason why the card's counts are only a rough rounding (a name such as "4B" that includes a
 *     vision tower, "1T" for 1.03T), or empty when they are precise to their last digit
 * @param notes doubts, roundings and derivations; empty when there are none
 * @param publishedFilesKeepMtp whether the GGUF files people download of this model commonly hold its
 *     multi-token-prediction (MTP) layers; false for a model without them. The spec always holds them, as
 *     llama.cpp's converter writes them by default; {@link ModelSpec#withoutNextTokenPredictionLayers()} gives a file
 *     converted without them.
 * @param publishedFilesMtpSource where that comes from (URL and what it shows); empty for a model without MTP layers
 */
public record ModelPreset(String id, String displayName, String huggingFaceRepo, ModelSpec spec,
        long statedTotalParameters, OptionalLong statedActiveParameters, ActiveParameterConvention activeConvention,
        String looseCountsReason, String parameterSource, String configSource, String notes,
        boolean publishedFilesKeepMtp, String publishedFilesMtpSource) implements ModelSpecSource {

    /**
     * Validates the components.
     *
     * @param id the stable lower-case id, such as {@code qwen3.5-397b-a17b}
     * @param displayName the name people use, such as {@code Qwen3.5-397B-A17B}
     * @param huggingFaceRepo the Hugging Face repository the config belongs to
     * @param spec the architecture, not null
     * @param statedTotalParameters total parameters as the model card states them (rounded as the card rounds)
     * @param statedActiveParameters active parameters per token as the card states them (equal to the total for a
     *     dense model), or empty when it states none
     * @param parameterSource where the stated counts come from (URL and wording)
     * @param configSource where the config.json comes from (URL, pinned to a commit where possible)
     * @param activeConvention how the card counts active parameters
     * @param looseCountsReason why the card's counts are only a rough rounding (a name such as "4B" that includes a
     *     vision tower, "1T" for 1.03T), or empty when they are precise to their last digit
     * @param notes doubts, roundings and derivations; empty when there are none
     * @param publishedFilesKeepMtp whether the GGUF files people download of this model commonly hold its MTP layers
     * @param publishedFilesMtpSource where that comes from; empty for a model without MTP layers
     * @throws NullPointerException if a component is null
     * @throws IllegalArgumentException if the id is not lower-case, a source is blank, a count is not positive, or the
     *     MTP facts do not fit the spec (a source for a model with MTP layers, none and false for one without)
     */
    public ModelPreset {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(displayName, "displayName");
        Objects.requireNonNull(huggingFaceRepo, "huggingFaceRepo");
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(statedActiveParameters, "statedActiveParameters");
        Objects.requireNonNull(parameterSource, "parameterSource");
        Objects.requireNonNull(configSource, "configSource");
        Objects.requireNonNull(notes, "notes");
        Objects.requireNonNull(activeConvention, "activeConvention");
        Objects.requireNonNull(looseCountsReason, "looseCountsReason");
        Objects.requireNonNull(publishedFilesMtpSource, "publishedFilesMtpSource");
        if (!id.matches("[a-z0-9][a-z0-9.\\-]*")) {
            throw new IllegalArgumentException("id: '" + id + "' (expected: lower-case letters, digits, '.' and '-')");
        }
        if (parameterSource.isBlank() || configSource.isBlank()) {
            throw new IllegalArgumentException("sources of " + id + ": blank (expected: a URL or citation for each)");
        }
        boolean hasMtp = !spec.nextTokenPredictionLayers().isEmpty();
        if (hasMtp == publishedFilesMtpSource.isBlank() || !hasMtp && publishedFilesKeepMtp) {
            throw new IllegalArgumentException("published files' MTP layers of " + id + ": keep " + publishedFilesKeepMtp
                    + ", source '" + publishedFilesMtpSource + "' (expected: a source when the model has MTP layers,"
                    + " no source and false when it has none; it has " + spec.nextTokenPredictionLayers().size() + ")");
        }
        if (statedTotalParameters < 1 || statedActiveParameters.orElse(1) < 1) {
            throw new IllegalArgumentException("stated parameters of " + id + ": " + statedTotalParameters + " / "
                    + statedActiveParameters + " (expected: total >= 1, active empty or >= 1)");
        }
    }

    /**
     * Returns the preset's spec, so that {@code Estimator.of(Models.QWEN3_8B)} takes the preset itself.
     *
     * @return the spec, not null
     */
    @Override
    public ModelSpec modelSpec() {
        return spec;
    }

    @Override
    public String toString() {
        return id + " (" + displayName + ")";
    }
}
