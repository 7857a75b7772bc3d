/**
 * llm-estimator core: memory and speed estimates for running large language models, with no dependencies.
 */
module io.github.llmestimator.core {
    exports io.github.llmestimator;
    exports io.github.llmestimator.gguf;
    exports io.github.llmestimator.hardware;
    exports io.github.llmestimator.memory;
    exports io.github.llmestimator.model;
    exports io.github.llmestimator.planning;
    exports io.github.llmestimator.quant;
    exports io.github.llmestimator.runtime;
    exports io.github.llmestimator.throughput;
    exports io.github.llmestimator.vision;
}
