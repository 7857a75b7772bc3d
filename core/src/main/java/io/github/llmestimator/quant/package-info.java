/**
 * Storage types ({@link io.github.llmestimator.quant.TensorType} for ggml, group-quantized checkpoint types) and the
 * quantization schemes a user picks ({@link io.github.llmestimator.quant.QuantScheme}), which assign a type to each
 * tensor the way llama.cpp's {@code llama-quantize} does. What a scheme costs in quality is a
 * {@link io.github.llmestimator.quant.QualityModel}'s answer ({@link io.github.llmestimator.quant.QuantQuality}, a
 * mean KL-divergence with its range); core ships no figures.
 *
 * <p>Bits per weight are exact: {@code 8 * bytesPerBlock / blockSize}. No method accepts or returns null.
 */
package io.github.llmestimator.quant;
