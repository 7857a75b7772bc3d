/**
 * Runtimes: what llama.cpp, Ollama, vLLM, SGLang and MLX each allocate for the KV cache and beside it, which weight
 * formats they load, and which architectures they support ({@link io.github.llmestimator.runtime.Runtime}). The
 * estimator defaults to llama.cpp; {@link io.github.llmestimator.Estimator#runtime(Runtime)} switches.
 */
package io.github.llmestimator.runtime;
