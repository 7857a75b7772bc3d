package io.github.llmestimator;

import io.github.llmestimator.hardware.DeviceUsage;
import io.github.llmestimator.memory.ContextMemory;
import io.github.llmestimator.memory.DataSize;
import io.github.llmestimator.memory.MemoryKit;
import io.github.llmestimator.model.TensorRole;
import io.github.llmestimator.quant.QuantScheme;
import io.github.llmestimator.quant.QuantizedWeights;
import io.github.llmestimator.throughput.DecodeSpeed;
import io.github.llmestimator.throughput.DeploymentEstimate;
import io.github.llmestimator.throughput.PrefillSpeed;
import io.github.llmestimator.vision.VisionMemory;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The memory a model needs under one quantization and one context: weights, KV cache, recurrent state, output and
 * compute buffers and a runtime allowance, and the standard memory size to buy; and, when the estimator was given a
 * deployment ({@link Estimator#on(io.github.llmestimator.hardware.Deployment)}), what each device holds, whether it
 * fits, and the decode and prefill speeds.
 *
 * <p>All sizes are bytes ({@code long}); {@link DataSize} views convert to GB (10^9) or GiB (2^30) explicitly. The
 * device-independent figures ({@link #totalBytes()}) count the runtime allowance once; per-device figures count it on
 * every device that holds anything.
 *
 * <p>This class is immutable and thread-safe.
 */
public final class Estimate {

    private final QuantizedWeights weights;
    private final ContextMemory context;
    private final long runtimeOverheadBytes;
    private final long loraAdapterBytes;
    private final DeploymentEstimate deployment;
    private final VisionMemory vision;
    private final SpeculativeDecoding speculative;
    /** Each device's usage with the drafter's memory added; null without a drafter (the deployment's own apply). */
    private final List<DeviceUsage> usages;

    /**
     * Creates an estimate without a deployment.
     *
     * @param weights the quantized weights, not null
     * @param context the context's memory (KV cache, state, buffers), not null
     * @param runtimeOverheadBytes the allowance for the runtime itself (CUDA context, driver, allocator slack), 0
     *     to {@value DeviceUsage#MAX_RUNTIME_OVERHEAD_BYTES}
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if {@code runtimeOverheadBytes} is negative or above
     *     {@value DeviceUsage#MAX_RUNTIME_OVERHEAD_BYTES}
     */
    public Estimate(QuantizedWeights weights, ContextMemory context, long runtimeOverheadBytes) {
        this(weights, context, runtimeOverheadBytes, 0, null, null);
    }

    Estimate(QuantizedWeights weights, ContextMemory context, long runtimeOverheadBytes, long loraAdapterBytes,
            DeploymentEstimate deployment, VisionMemory vision) {
        this(weights, context, runtimeOverheadBytes, loraAdapterBytes, deployment, vision, null, 0);
    }

    Estimate(QuantizedWeights weights, ContextMemory context, long runtimeOverheadBytes, long loraAdapterBytes,
            DeploymentEstimate deployment, VisionMemory vision, SpeculativeDecoding speculative,
            int drafterFirstDevice) {
        this.weights = Objects.requireNonNull(weights, "weights");
        this.context = Objects.requireNonNull(context, "context");
        if (runtimeOverheadBytes < 0 || runtimeOverheadBytes > DeviceUsage.MAX_RUNTIME_OVERHEAD_BYTES) {
            throw new IllegalArgumentException("runtimeOverheadBytes: " + runtimeOverheadBytes + " (expected: 0 to "
                    + DeviceUsage.MAX_RUNTIME_OVERHEAD_BYTES + " bytes, 1 PiB)");
        }
        this.runtimeOverheadBytes = runtimeOverheadBytes;
        this.loraAdapterBytes = loraAdapterBytes;
        this.deployment = deployment;
        this.vision = vision;
        this.speculative = speculative;
        this.usages = speculative == null || deployment == null ? null
                : speculative.addTo(deployment.devices(), drafterFirstDevice);
    }

    /**
     * Returns what the projector and the request's images add, when the estimator loads a projector
     * ({@link Estimator#projector}): included in {@link #totalBytes()} and, on a deployment, in the first device
     * that is not system RAM.
     *
     * @return the projector's memory and image tokens, or empty
     */
    public Optional<VisionMemory> vision() {
        return Optional.ofNullable(vision);
    }

    /**
     * Returns the quantized weights.
     *
     * @return the weights, not null
     */
    public QuantizedWeights weights() {
        return weights;
    }

    /**
     * Returns the context's memory.
     *
     * @return the context memory, not null
     */
    public ContextMemory context() {
        return context;
    }

    /**
     * Returns the allowance for the runtime itself.
     *
     * @return bytes, at least 0
     */
    public long runtimeOverheadBytes() {
        return runtimeOverheadBytes;
    }

    /**
     * Returns the per-device estimate of the target model alone, when the estimator was given a deployment; with
     * speculative decoding, {@link #devices()} and {@link #fits()} add the drafter's memory to it.
     *
     * @return the deployment estimate, or empty
     */
    public Optional<DeploymentEstimate> deployment() {
        return Optional.ofNullable(deployment);
    }

    private DeploymentEstimate requireDeployment() {
        if (deployment == null) {
            throw new IllegalStateException("deployment: not set (expected: Estimator.on(device) or"
                    + " Estimator.on(deployment) before estimate())");
        }
        return deployment;
    }

    /**
     * Returns what each device of the deployment holds; see {@link DeploymentEstimate#devices()}. With speculative
     * decoding the drafter's memory is added on the devices that hold it (see {@link SpeculativeDecoding}).
     *
     * @return the usages, an immutable list
     * @throws IllegalStateException if the estimator had no deployment
     */
    public List<DeviceUsage> devices() {
        DeploymentEstimate onDevices = requireDeployment();
        return usages == null ? onDevices.devices() : usages;
    }

    /**
     * Returns whether every device of the deployment holds its share, defined as every {@link DeviceUsage#fits()} of
     * {@link #devices()} (the drafter's memory included).
     *
     * @return true when the model fits
     * @throws IllegalStateException if the estimator had no deployment
     */
    public boolean fits() {
        if (speculative == null) {
            return requireDeployment().fits();
        }
        for (DeviceUsage usage : devices()) {
            if (!usage.fits()) {
                return false;
            }
        }
        return true;
    }

    /**
     * Returns what speculative decoding adds, when the estimator was given a speculation
     * ({@link Estimator#speculative(io.github.llmestimator.throughput.Speculation)}).
     *
     * @return the drafter's memory and the speeds with it, or empty
     */
    public Optional<SpeculativeDecoding> speculative() {
        return Optional.ofNullable(speculative);
    }

    /**
     * Estimates the decode speed at a position in the context; see {@link DeploymentEstimate#decode(int)}.
     *
     * @param positionTokens tokens already in each sequence, 0 to the context per sequence
     * @return the speed, not null
     * @throws IllegalStateException if the estimator had no deployment
     * @throws IllegalArgumentException if the position is outside the context
     */
    public DecodeSpeed decode(int positionTokens) {
        return requireDeployment().decode(positionTokens);
    }

    /**
     * Estimates prompt processing; see {@link DeploymentEstimate#prefill(int)}.
     *
     * @param promptTokens the prompt length, 1 to the context per sequence
     * @return the speed, or empty when a device's throughput is unknown
     * @throws IllegalStateException if the estimator had no deployment
     * @throws IllegalArgumentException if the prompt is outside the context
     */
    public Optional<PrefillSpeed> prefill(int promptTokens) {
        return requireDeployment().prefill(promptTokens);
    }

    /**
     * Returns the weights llama.cpp loads (multi-token-prediction layers skipped), LoRA adapters included.
     *
     * @return bytes
     */
    public long weightBytes() {
        return weights.loadedBytes() + loraAdapterBytes;
    }

    /**
     * Returns the LoRA adapters' bytes (see {@link io.github.llmestimator.quant.LoraAdapter}), part of
     * {@link #weightBytes()}.
     *
     * @return bytes, 0 without adapters
     */
    public long loraAdapterBytes() {
        return loraAdapterBytes;
    }

    /**
     * Returns the weights of one tensor role.
     *
     * @param role the role, not null
     * @return bytes
     * @throws NullPointerException if {@code role} is null
     */
    public long weightBytes(TensorRole role) {
        return weights.bytes(role);
    }

    /**
     * Returns the KV cache of all attention layers.
     *
     * @return bytes
     */
    public long kvCacheBytes() {
        return context.kvCacheBytes();
    }

    /**
     * Returns the recurrent state of all recurrent layers for all sequences.
     *
     * @return bytes
     */
    public long recurrentStateBytes() {
        return context.recurrentStateBytes();
    }

    /**
     * Returns the output (logits) buffer.
     *
     * @return bytes
     */
    public long outputBufferBytes() {
        return context.outputBufferBytes();
    }

    /**
     * Returns the compute buffer (see {@link ContextMemory}).
     *
     * @return bytes
     */
    public long computeBufferBytes() {
        return context.computeBufferBytes();
    }

    /**
     * Returns the total, defined as weights + KV cache + recurrent state + output buffer + compute buffer + runtime
     * overhead, plus the projector's weights and encoder buffer when there is one ({@link #vision()}), plus
     * {@link SpeculativeDecoding#totalBytes()} with speculative decoding.
     *
     * @return bytes
     * @throws ArithmeticException if the sum overflows a {@code long}
     */
    public long totalBytes() {
        long total = Math.addExact(Math.addExact(weightBytes(), context.totalBytes()), runtimeOverheadBytes);
        total = vision == null ? total : Math.addExact(total, vision.totalBytes());
        return speculative == null ? total : Math.addExact(total, speculative.totalBytes());
    }

    /**
     * Returns {@link #totalBytes()} as a size.
     *
     * @return the total, not null
     */
    public DataSize total() {
        return DataSize.ofBytes(totalBytes());
    }

    /**
     * Returns the smallest standard memory size that holds {@link #totalBytes()}.
     *
     * @return the kit to buy, not null
     */
    public MemoryKit recommendedKit() {
        return MemoryKit.atLeast(total());
    }

    /**
     * Returns whether another object is an estimate of the same weights, context, runtime allowance and deployment.
     *
     * @param other the other object
     * @return true when equal
     */
    @Override
    public boolean equals(Object other) {
        if (this == other) {
            return true;
        }
        if (!(other instanceof Estimate)) {
            return false;
        }
        Estimate that = (Estimate) other;
        return runtimeOverheadBytes == that.runtimeOverheadBytes && weights.equals(that.weights)
                && context.equals(that.context) && Objects.equals(deployment, that.deployment)
                && Objects.equals(vision, that.vision) && Objects.equals(speculative, that.speculative);
    }

    @Override
    public int hashCode() {
        return Objects.hash(weights, context, runtimeOverheadBytes, deployment, vision, speculative);
    }

    static String schemeLabel(QuantizedWeights weights) {
        return weights.knownScheme().map(QuantScheme::name).orElse("file types");
    }

    @Override
    public String toString() {
        return "Estimate[" + weights.model().name() + " " + schemeLabel(weights) + ", context "
                + context.settings().contextTokens() + ": weights " + DataSize.ofBytes(weightBytes()) + ", KV "
                + DataSize.ofBytes(kvCacheBytes()) + ", state " + DataSize.ofBytes(recurrentStateBytes())
                + (vision == null ? "" : ", projector " + DataSize.ofBytes(vision.totalBytes()))
                + ", total " + total() + ", kit " + recommendedKit()
                + (deployment == null ? "" : ", " + deployment)
                + (speculative == null ? "" : ", " + speculative) + "]";
    }
}
