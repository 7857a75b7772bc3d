/**
 * Vision towers and their llama.cpp projector files ({@code mmproj-*.gguf}, loaded by {@code libmtmd}): the weights
 * of each tower kind as llama.cpp's converter writes them, the image tokens each model's rule gives an image, and an
 * estimate of the encoder's compute buffer.
 *
 * <p>No method accepts or returns null.
 */
package io.github.llmestimator.vision;
