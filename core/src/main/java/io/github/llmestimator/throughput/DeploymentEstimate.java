package io.github.llmestimator.throughput;

import io.github.llmestimator.hardware.Deployment;
import io.github.llmestimator.hardware.Device;
import io.github.llmestimator.hardware.DeviceUsage;
import io.github.llmestimator.hardware.SplitModeTensor;
import io.github.llmestimator.internal.throughput.CacheSplit;
import io.github.llmestimator.internal.throughput.DeploymentEstimates;
import io.github.llmestimator.internal.throughput.PlacedWeights;
import io.github.llmestimator.internal.throughput.StepModel;
import io.github.llmestimator.memory.ContextMemory;
import io.github.llmestimator.memory.ContextSettings;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A model, quantization and context on a deployment: the memory each device holds and whether it fits, and the decode
 * and prefill speeds (see the package documentation for the model of a step).
 *
 * <p>Obtained from {@link io.github.llmestimator.Estimate#deployment()}. Per device: its weights (its share of every loaded
 * tensor, shards rounded up, plus a copy of a tied embedding where it holds the output head but not the embedding);
 * the KV cache and recurrent state of the layers whose cache it
 * holds, sized as {@link ContextMemory} sizes them; the output buffer on the host if the deployment has system RAM,
 * else with the output head; the compute buffer of {@link ContextMemory} on every device that runs a layer or the
 * output head, and the smaller host buffer {@code 4 * n_ubatch * (n_embd + n_kv)} (input embeddings and the KQ mask
 * the host builds, as Ollama's {@code fs/ggml/ggml.go} GraphSize sizes it) on a device that only holds weights; and
 * the runtime allowance on every device that holds anything.
 *
 * <p>Attention FLOPs per cached cell and query token are {@code 2 * heads * (keyWidth + valueWidth)} per layer, with
 * the head widths {@code kCache / kvHeads} and {@code vCache / kvHeads}; MLA's value (a view of the latent) is taken as
 * wide as its cached K, which overstates MLA attention by {@code ropeDim / (2 * kvLoraRank + ropeDim)} (6 % for
 * DeepSeek-V3). A recurrent layer's update costs {@code 4} FLOPs per state element and token [heuristic].
 *
 * <p>The caches each device holds and the kernels of the step model are pooled once per placement and cache setting;
 * so an estimate is a few operations per device, and {@link #decode(int)} and {@link #prefill(int)} are arithmetic
 * only. This class is immutable and thread-safe.
 */
public final class DeploymentEstimate {

    private final PlacedWeights placed;
    private final ContextMemory context;
    private final long runtimeOverheadBytes;
    /** The adapters' bytes per device, a copy; null when there are none. */
    private final long[] adapterBytes;
    private final long projectorBytes;
    private final long encoderComputeBytes;
    private final CacheSplit split;
    /** The compute buffer of a device that only holds weights (see the class comment). */
    private final long hostBuffer;
    private final long fullCells;
    private final boolean fits;
    /**
     * The per-device usages, made on first request from the figures {@link #fits} was worked out from: an estimate
     * that is only asked whether it fits (a solver's probe) makes no object per device. Not volatile: the usages are
     * immutable values, so a thread that sees null makes the same list again.
     */
    private List<DeviceUsage> usages;

    private final int sequences;
    private final int microBatchTokens;
    private final boolean flashAttention;
    private final StepModel steps;

    private DeploymentEstimate(PlacedWeights placed, ContextMemory context, long runtimeOverheadBytes,
            long[] adapterBytes, long projectorBytes, long encoderComputeBytes) {
        this.placed = placed;
        this.context = context;
        this.runtimeOverheadBytes = runtimeOverheadBytes;
        this.adapterBytes = adapterBytes;
        this.projectorBytes = projectorBytes;
        this.encoderComputeBytes = encoderComputeBytes;
        ContextSettings settings = context.settings();
        sequences = settings.parallelSequences();
        microBatchTokens = settings.effectiveMicroBatchTokens();
        flashAttention = settings.llamaCpp().flashAttention();
        split = placed.cacheSplit(settings);
        steps = split.steps();
        hostBuffer = 4L * microBatchTokens * (placed.weights().model().hiddenSize()
                + Math.max(context.fullAttentionCells(), context.slidingWindowCells()));
        fullCells = settings.paddedContextTokens();
        List<Device> devices = placed.deployment().devices();
        boolean all = true;
        long kv = 0;
        long state = 0;
        for (int d = 0; d < placed.deviceCount(); d++) {
            if (d == 0 || !split.sameAsPrevious(d)) {
                kv = kvBytes(d);
                state = stateBytes(d);
            }
            all &= totalBytes(d, kv, state) <= devices.get(d).usableMemoryBytes();
        }
        fits = all;
    }

    /** The model's weights on a device, adapters included, the projector not. */
    private long modelWeightBytes(int d) {
        return adapterBytes == null ? placed.weightBytes(d) : Math.addExact(placed.weightBytes(d), adapterBytes[d]);
    }

    private long weightBytes(int d, long modelWeights) {
        return d == placed.projectorDevice() ? Math.addExact(modelWeights, projectorBytes) : modelWeights;
    }

    private long kvBytes(int d) {
        return split.kvBytes(d, context.settings(), fullCells);
    }

    private long stateBytes(int d) {
        return split.stateBytes(d, sequences);
    }

    private long outputBytes(int d) {
        return d == placed.outputBufferDevice() ? context.outputBufferBytes() : 0;
    }

    private long computeBytes(int d, long modelWeights) {
        long compute = placed.holdsLayers(d) ? context.computeBufferBytes() : modelWeights > 0 ? hostBuffer : 0;
        return d == placed.projectorDevice() ? Math.addExact(compute, encoderComputeBytes) : compute;
    }

    /** The allowance counts on every device that holds anything. */
    private long overheadBytes(long weights, long kv, long state, long output, long compute) {
        return weights > 0 || kv > 0 || state > 0 || output > 0 || compute > 0 ? runtimeOverheadBytes : 0;
    }

    /** One device's total, the sum {@link DeviceUsage#totalBytes()} makes of the same figures. */
    private long totalBytes(int d, long kv, long state) {
        long modelWeights = modelWeightBytes(d);
        long weights = weightBytes(d, modelWeights);
        long output = outputBytes(d);
        long compute = computeBytes(d, modelWeights);
        long sum = Math.addExact(Math.addExact(Math.addExact(Math.addExact(weights, kv), state), output), compute);
        return Math.addExact(sum, overheadBytes(weights, kv, state, output, compute));
    }

    private DeviceUsage usage(int d, Device device) {
        long modelWeights = modelWeightBytes(d);
        long weights = weightBytes(d, modelWeights);
        long kv = kvBytes(d);
        long state = stateBytes(d);
        long output = outputBytes(d);
        long compute = computeBytes(d, modelWeights);
        return new DeviceUsage(device, weights, kv, state, output, compute,
                overheadBytes(weights, kv, state, output, compute));
    }

    private static void requireBytes(String name, long bytes) {
        if (bytes < 0 || bytes > DeviceUsage.MAX_RUNTIME_OVERHEAD_BYTES) {
            throw new IllegalArgumentException(name + ": " + bytes + " (expected: 0 to "
                    + DeviceUsage.MAX_RUNTIME_OVERHEAD_BYTES + " bytes, 1 PiB)");
        }
    }

    /*
     * The estimator builds an estimate from its placement memo, a type of a package the module does not export: a
     * public factory here would name it in the exported API. So the factory is private, and this class hands it to
     * that package, whose DeploymentEstimates the estimator calls (the JDK's jdk.internal.access pattern).
     */
    static {
        DeploymentEstimates.register(DeploymentEstimate::of);
    }

    /**
     * Returns the estimate of placed weights with LoRA adapters beside them (each device's weights grow by its adapter
     * bytes; the speeds do not) and a projector ({@code --mmproj}): the projector's weights and the encoder's compute
     * buffer go on the first device that is not system RAM (llama.cpp's {@code clip_init} takes the first GPU), else
     * on the first device. Throws {@link IllegalStateException} if the placement is {@link SplitModeTensor} and flash
     * attention is off or the KV cache quantized, which llama.cpp refuses.
     */
    private static DeploymentEstimate of(PlacedWeights placed, ContextMemory context, long runtimeOverheadBytes,
            long[] adapterBytes, long projectorBytes, long encoderComputeBytes) {
        Objects.requireNonNull(placed, "placed");
        Objects.requireNonNull(adapterBytes, "adapterBytes");
        if (adapterBytes.length != placed.deviceCount()) {
            throw new IllegalArgumentException("adapterBytes: " + adapterBytes.length + " entries (expected: "
                    + placed.deviceCount() + ", one per device)");
        }
        boolean anyAdapter = false;
        for (int d = 0; d < adapterBytes.length; d++) {
            if (adapterBytes[d] < 0) {
                throw new IllegalArgumentException("adapterBytes[" + d + "]: " + adapterBytes[d] + " (expected: >= 0)");
            }
            anyAdapter |= adapterBytes[d] > 0;
        }
        Objects.requireNonNull(context, "context");
        if (runtimeOverheadBytes < 0 || runtimeOverheadBytes > DeviceUsage.MAX_RUNTIME_OVERHEAD_BYTES) {
            throw new IllegalArgumentException("runtimeOverheadBytes: " + runtimeOverheadBytes + " (expected: 0 to "
                    + DeviceUsage.MAX_RUNTIME_OVERHEAD_BYTES + " bytes, 1 PiB)");
        }
        requireBytes("projectorBytes", projectorBytes);
        requireBytes("encoderComputeBytes", encoderComputeBytes);
        if (placed.deployment().placement() instanceof SplitModeTensor) {
            requireSplitModeTensorSettings(context.settings());
        }
        return new DeploymentEstimate(placed, context, runtimeOverheadBytes, anyAdapter ? adapterBytes.clone() : null,
                projectorBytes, encoderComputeBytes);
    }

    /** What llama.cpp's {@code --split-mode tensor} refuses at start-up (see {@link SplitModeTensor}). */
    private static void requireSplitModeTensorSettings(ContextSettings settings) {
        if (!settings.llamaCpp().flashAttention()) {
            throw new IllegalStateException("flashAttention: off with --split-mode tensor (expected: on; llama.cpp"
                    + " refuses: \"SPLIT_MODE_TENSOR requires flash_attn to be enabled\")");
        }
        if (settings.keyCacheType().isQuantized() || settings.valueCacheType().isQuantized()) {
            throw new IllegalStateException("cache types: " + settings.keyCacheType() + "/" + settings.valueCacheType()
                    + " with --split-mode tensor (expected: f32, f16 or bf16; llama.cpp refuses: \"simultaneous use of"
                    + " SPLIT_MODE_TENSOR and KV cache quantization not implemented\")");
        }
    }

    /**
     * Returns the deployment.
     *
     * @return the deployment, not null
     */
    public Deployment deployment() {
        return placed.deployment();
    }

    /**
     * Returns what each device holds, in the order of {@link Deployment#devices()}.
     *
     * @return the usages, an immutable list
     */
    public List<DeviceUsage> devices() {
        List<DeviceUsage> list = usages;
        if (list == null) {
            List<Device> devices = placed.deployment().devices();
            DeviceUsage[] made = new DeviceUsage[devices.size()];
            for (int d = 0; d < made.length; d++) {
                made[d] = usage(d, devices.get(d));
            }
            list = List.of(made);
            usages = list;
        }
        return list;
    }

    /**
     * Returns whether every device holds its share, defined as every {@link DeviceUsage#fits()}.
     *
     * @return true when the model fits the deployment
     */
    public boolean fits() {
        return fits;
    }

    private int contextPerSequence() {
        return context.settings().contextTokens() / sequences;
    }

    /**
     * Estimates the decode speed when each sequence already holds {@code positionTokens} tokens: one step reads the
     * weights touched, the KV cache of {@code min(positionTokens + 1, window)} cells per attention layer and sequence,
     * and reads and writes the recurrent state. A device that states no throughput for the precision its kernels need
     * (nor FP16) is assumed to keep up with its memory.
     *
     * @param positionTokens tokens already in each sequence, 0 to the context per sequence
     *     ({@code contextTokens / parallelSequences})
     * @return the speed, not null
     * @throws IllegalArgumentException if the position is outside the context
     */
    public DecodeSpeed decode(int positionTokens) {
        int limit = contextPerSequence();
        if (positionTokens < 0 || positionTokens > limit) {
            throw new IllegalArgumentException("positionTokens: " + positionTokens + " (expected: 0 to " + limit
                    + ", the context of one sequence)");
        }
        return steps.decode(sequences, positionTokens);
    }

    /**
     * Estimates one step that runs {@code tokensPerSequence} consecutive tokens of each sequence at once, as a
     * speculative verification does (the last accepted token and the drafted ones, every one with its logits) and as a
     * drafter's catch-up over a verified batch does (no logits): the weights touched are read once, the FLOPs count
     * every token, each sequence's cache is read once up to {@code positionTokens + tokensPerSequence} cells, each
     * token attends to the cells before it, and a recurrent layer's state is read once and written after every token
     * (llama.cpp keeps one snapshot per token of a speculative batch, {@code n_rs_seq}, to roll back to the last
     * accepted one). With one token and logits it is {@link #decode(int)}.
     *
     * @param positionTokens tokens already in each sequence, at least 0, with the step's tokens within the context per
     *     sequence
     * @param tokensPerSequence tokens of each sequence in the step, at least 1
     * @param logits whether every token's logits are computed
     * @return the step as a speed of {@code sequences * tokensPerSequence} rows per step, so that
     *     {@link DecodeSpeed#secondsPerStep()} is the step's time; not null
     * @throws IllegalArgumentException if the step does not fit the context or {@code tokensPerSequence} is not
     *     positive
     */
    public DecodeSpeed batchStep(int positionTokens, int tokensPerSequence, boolean logits) {
        int limit = contextPerSequence();
        if (tokensPerSequence < 1 || tokensPerSequence > limit) {
            throw new IllegalArgumentException("tokensPerSequence: " + tokensPerSequence + " (expected: 1 to " + limit
                    + ", the context of one sequence)");
        }
        if (positionTokens < 0 || positionTokens > limit - tokensPerSequence + 1) {
            throw new IllegalArgumentException("positionTokens: " + positionTokens + " (expected: 0 to "
                    + (limit - tokensPerSequence + 1) + ", so that the step's tokens fit the context of one sequence)");
        }
        return steps.batchStep(sequences, positionTokens, tokensPerSequence, logits);
    }

    /**
     * Estimates prompt processing for one sequence's prompt of {@code promptTokens}, from an empty cache, in
     * micro-batches of {@code min(n_ctx, n_batch, n_ubatch)} tokens. Each micro-batch reads the weights it touches and
     * its cache once and multiplies {@code 2} FLOPs per active parameter and token plus attention over the tokens
     * before it (causal with flash attention; every cell in use, padded to 256, without it); the logits are computed
     * for the last token only. With system RAM and a discrete GPU that states its host link in the deployment,
     * micro-batches of 32 tokens or more ({@code GGML_OP_OFFLOAD_MIN_BATCH}) copy the system-RAM weights they use
     * over that link and multiply them on the GPU; otherwise the CPU multiplies them.
     *
     * @param promptTokens the prompt length, 1 to the context per sequence
     * @return the speed, or empty when a device that must compute states no throughput for the precision it needs
     *     (nor FP16): a CPU without a figure, for instance, for a prompt of under 32 tokens or without a host link
     * @throws IllegalArgumentException if the prompt is outside the context
     */
    public Optional<PrefillSpeed> prefill(int promptTokens) {
        int limit = contextPerSequence();
        if (promptTokens < 1 || promptTokens > limit) {
            throw new IllegalArgumentException("promptTokens: " + promptTokens + " (expected: 1 to " + limit
                    + ", the context of one sequence)");
        }
        return steps.prefill(microBatchTokens, flashAttention, promptTokens);
    }

    @Override
    public boolean equals(Object other) {
        if (this == other) {
            return true;
        }
        if (!(other instanceof DeploymentEstimate)) {
            return false;
        }
        DeploymentEstimate that = (DeploymentEstimate) other;
        return runtimeOverheadBytes == that.runtimeOverheadBytes && placed.equals(that.placed)
                && context.equals(that.context) && devices().equals(that.devices());
    }

    @Override
    public int hashCode() {
        return Objects.hash(placed, context, runtimeOverheadBytes);
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("DeploymentEstimate[");
        for (DeviceUsage usage : devices()) {
            s.append(usage.device().name()).append(": ").append(usage.totalBytes()).append(" of ")
                    .append(usage.usableBytes()).append(" bytes; ");
        }
        return s.append(fits() ? "fits" : "does not fit").append(']').toString();
    }
}
