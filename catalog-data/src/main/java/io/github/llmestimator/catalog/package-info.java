/**
 * Model and hardware presets ({@link io.github.llmestimator.catalog.Catalog}, {@link io.github.llmestimator.catalog.Models})
 * and the {@link io.github.llmestimator.catalog.HuggingFaceConfigImporter} that turns any {@code config.json} into a
 * model spec.
 *
 * <p>Every preset names the public source of each of its facts. No method accepts or returns null.
 */
package io.github.llmestimator.catalog;
