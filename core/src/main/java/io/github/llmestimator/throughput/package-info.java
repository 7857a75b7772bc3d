/**
 * Roofline speed estimates for a model on a {@link io.github.llmestimator.hardware.Deployment}: decode tokens per
 * second at a position in the context ({@link io.github.llmestimator.throughput.DecodeSpeed}) and prefill tokens per
 * second with the time to the first token ({@link io.github.llmestimator.throughput.PrefillSpeed}).
 *
 * <h2>The model</h2>
 * A step (one decoded token per sequence, or one prompt micro-batch) runs a sequence of kernels: one per group of
 * weight tensors on a device, the embedding lookup, attention over the KV cache, the recurrent update. Each kernel
 * takes {@code max(bytes / achievedBandwidth, flops / achievedThroughput)} on the device that runs it: the bytes it
 * reads (weights actually touched: for a mixture of experts the shared part plus the routed experts in use; the
 * embedding's rows only; the KV cache up to the position; the recurrent state read and written) and the FLOPs it does.
 * Devices that hold different parts of a model work one after another, so their times add; tensor-parallel devices work
 * at the same time. Achieved bandwidth is the datasheet peak times an efficiency per device kind, fitted on published
 * llama.cpp decode speeds; achieved throughput is the peak of the precision the kernels use times an efficiency; both
 * are constants of the library's speed model, each with its source and fit error in the source code. For prompt micro-batches of 32 tokens or more, weights
 * in system RAM are copied over the host link to the GPU and multiplied there, as llama.cpp's scheduler does.
 *
 * <h2>Vocabulary</h2>
 * {@code ...PerSecond} rates say what they count ({@code tokensPerSecond}); {@code ...Seconds} are wall-clock seconds;
 * {@code low...} and {@code high...} bound an estimate by the fit error of the efficiencies (low = slow). Each speed
 * names its {@link io.github.llmestimator.throughput.Bound}. Estimates are not measurements.
 *
 * <p>{@link io.github.llmestimator.throughput.TokenEnergy} turns a speed into joules per token and cost per million
 * tokens, from the devices' published power ({@link io.github.llmestimator.hardware.Power}) and a stated utilisation
 * rule.
 *
 * <p>No method accepts or returns null.
 */
package io.github.llmestimator.throughput;
