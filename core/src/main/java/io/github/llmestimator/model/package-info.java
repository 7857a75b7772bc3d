/**
 * Model architecture: {@link io.github.llmestimator.model.ModelSpec}, its layers, the sealed kinds of token mixer
 * ({@link io.github.llmestimator.model.MixerBlock}) and feed-forward block
 * ({@link io.github.llmestimator.model.FeedForwardBlock}), and the tensor inventory derived from them.
 *
 * <p>Names of settings follow a Hugging Face {@code config.json}; tensor names and shapes follow llama.cpp's GGUF files
 * ({@code ne0} is the row length). No method accepts or returns null.
 */
package io.github.llmestimator.model;
