/**
 * llm-estimator hub: exact numbers for a published model before it is downloaded. GGUF and safetensors headers are read
 * over HTTP range requests (never the tensor data) from Hugging Face repositories, plain URLs and the Ollama registry.
 */
module io.github.llmestimator.hub {
    requires transitive io.github.llmestimator.core;
    requires transitive io.github.llmestimator.catalog;
    requires java.net.http;
    requires com.fasterxml.jackson.jr.ob;
    requires com.fasterxml.jackson.core;

    exports io.github.llmestimator.hub;
}
