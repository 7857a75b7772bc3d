/**
 * Devices and deployments: a {@link io.github.llmestimator.hardware.Device} (system RAM with a CPU, a discrete GPU, or
 * unified memory) with its capacity, peak memory bandwidth and peak dense throughput per
 * {@link io.github.llmestimator.hardware.Precision}, and a {@link io.github.llmestimator.hardware.Deployment}: one or
 * more devices and a {@link io.github.llmestimator.hardware.Placement} that says which device holds which tensor and
 * which layer's cache (everything on one device, llama.cpp's {@code -ngl}, {@code --n-cpu-moe} and
 * {@code --tensor-split}, and vLLM-style tensor parallelism).
 *
 * <h2>Vocabulary</h2>
 * <ul>
 *   <li>Capacities are bytes in a {@code long} named {@code ...Bytes}.</li>
 *   <li>Bandwidths are decimal gigabytes per second (10^9 B/s, as datasheets print them) in a {@code double} named
 *       {@code ...GBps}.</li>
 *   <li>Throughputs are dense (no 2:4 sparsity) tera-operations per second named {@code ...Tflops}; for
 *       {@link io.github.llmestimator.hardware.Precision#INT8} that is TOPS.</li>
 *   <li>A <em>share</em> is the fraction (0 to 1) of a tensor's bytes, or of a layer's cache, that one device
 *       holds.</li>
 * </ul>
 *
 * <p>No method accepts or returns null: a null argument throws {@link java.lang.NullPointerException} naming the
 * parameter. Bad values throw {@link java.lang.IllegalArgumentException} with the parameter, the value and what is
 * allowed; an incomplete builder throws {@link java.lang.IllegalStateException} naming the missing setting.
 */
package io.github.llmestimator.hardware;
