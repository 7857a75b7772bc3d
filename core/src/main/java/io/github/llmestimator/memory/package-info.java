/**
 * Memory other than weights (KV cache, recurrent state, output and compute buffers, sized as llama.cpp sizes them), the
 * {@link io.github.llmestimator.memory.DataSize} value with explicit GB (10^9) and GiB (2^30), and the standard
 * {@link io.github.llmestimator.memory.MemoryKit} sizes a person can buy.
 *
 * <p>No method accepts or returns null.
 */
package io.github.llmestimator.memory;
