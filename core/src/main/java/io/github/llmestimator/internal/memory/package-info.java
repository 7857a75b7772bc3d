/**
 * How llama.cpp sizes a context, worked out once per model and cache setting: the per-cell KV layout of each cached
 * layer, and the compute buffer replayed from llama.cpp's graph builders through a mirror of ggml's graph allocator.
 * The public face of this is {@link io.github.llmestimator.memory.ContextMemory#of}; the estimator and the per-device
 * cache split use the layout directly.
 *
 * <p>Not API: the module does not export this package, so that its classes can change shape in any release.
 */
package io.github.llmestimator.internal.memory;
