/**
 * llm-estimator catalog data: model and hardware presets with their public sources, and the Hugging Face
 * {@code config.json} importer.
 */
module io.github.llmestimator.catalog {
    requires transitive io.github.llmestimator.core;
    requires com.fasterxml.jackson.jr.ob;
    requires org.slf4j;

    exports io.github.llmestimator.catalog;
}
