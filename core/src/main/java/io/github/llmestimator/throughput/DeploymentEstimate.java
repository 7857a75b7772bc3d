package io.github.llmestimator.throughput;

import io.github.llmestimator.hardware.Deployment;
import io.github.llmestimator.hardware.Device;
import io.github.llmestimator.hardware.DeviceKind;
import io.github.llmestimator.hardware.DeviceUsage;
import io.github.llmestimator.hardware.SplitModeTensor;
import io.github.llmestimator.memory.ContextMemory;
import io.github.llmestimator.memory.ContextSettings;
import io.github.llmestimator.memory.KvLayout;
import io.github.llmestimator.model.AttentionBlock;
import io.github.llmestimator.model.Layer;
import io.github.llmestimator.model.ModelSpec;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A model, quantization and context on a deployment: the memory each device holds and whether it fits, and the decode
 * and prefill speeds (see the package documentation for the model of a step).
 *
 * <p>Per device: its weights ({@link PlacedWeights}); the KV cache and recurrent state of the layers whose cache it
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
 * <p>Built once per estimate; {@link #decode(int)} and {@link #prefill(int)} are arithmetic only. This class is
 * immutable and thread-safe.
 */
public final class DeploymentEstimate {

    private static final int FULL = Integer.MAX_VALUE;
    private static final int OP_OFFLOAD_MIN_BATCH = 32;

    private final PlacedWeights placed;
    private final ContextMemory context;
    private final long runtimeOverheadBytes;
    private final List<DeviceUsage> usages;

    private final int sequences;
    private final int microBatchTokens;
    private final boolean flashAttention;
    private final int[] windows;
    /** Attention kernels, ordered by device: layers alike in device, window and cost per cell are pooled. */
    private final int[] attentionDevice;
    private final int[] attentionWindow;
    private final double[] attentionBytesPerCell;
    private final double[] attentionFlopsPerCell;
    /** Recurrent-update kernels, ordered by device: layers alike in device and cost are pooled. */
    private final int[] recurrentDevice;
    private final double[] recurrentBytesPerSequence;
    private final double[] recurrentFlopsPerToken;
    private final double[][] bytesPerSecond;
    private final double[][][] flopsPerSecond;
    private final double[] linkBytesPerSecond;

    /** KV bytes per cell of one layer: without flash attention V is transposed, every layer at the widest V row. */
    private static long bytesPerCell(AttentionBlock a, ContextSettings settings, long maxValueElements) {
        long valueElements = a.valueCacheElementsPerToken();
        if (valueElements > 0 && !settings.flashAttention()) {
            valueElements = maxValueElements;
        }
        return settings.keyCacheType().tensorType().rowBytes(a.keyCacheElementsPerToken())
                + (valueElements > 0 ? settings.valueCacheType().tensorType().rowBytes(valueElements) : 0);
    }

    private DeploymentEstimate(PlacedWeights placed, ContextMemory context, long runtimeOverheadBytes,
            long[] adapterBytes, long projectorBytes, long encoderComputeBytes) {
        this.placed = placed;
        this.context = context;
        this.runtimeOverheadBytes = runtimeOverheadBytes;
        ContextSettings settings = context.settings();
        ModelSpec model = placed.weights().model();
        List<Layer> layers = model.layers();
        List<Device> devices = placed.deployment().devices();
        int deviceCount = placed.deviceCount;
        sequences = settings.parallelSequences();
        microBatchTokens = settings.effectiveMicroBatchTokens();
        flashAttention = settings.flashAttention();

        int[] distinct = new int[layers.size()];
        int windowCount = 0;
        long maxValueElements = 0;
        List<Layer> cached = KvLayout.cachedLayers(model);
        for (Layer layer : cached) {
            maxValueElements = Math.max(maxValueElements, layer.attention().valueCacheElementsPerToken());
        }
        for (Layer layer : layers) {
            AttentionBlock a = layer.attention();
            if (a.hasKvCache()) {
                int w = a.slidingWindowTokens() > 0 ? a.slidingWindowTokens() : FULL;
                if (indexOf(distinct, windowCount, w) < 0) {
                    distinct[windowCount++] = w;
                }
            }
        }
        windows = java.util.Arrays.copyOf(distinct, windowCount);
        List<double[]> attention = new ArrayList<>();
        List<double[]> recurrent = new ArrayList<>();
        long[] kvBytes = new long[deviceCount];
        long[] stateBytes = new long[deviceCount];

        long fullCells = settings.paddedContextTokens();
        for (int l = 0; l < layers.size(); l++) {
            AttentionBlock a = layers.get(l).attention();
            long stateElements = a.convolutionStateElements() + a.recurrentStateElements();
            if (stateElements > 0) {
                long layerStateBytes = Math.multiplyExact(4L * stateElements, sequences);
                for (int d = 0; d < deviceCount; d++) {
                    stateBytes[d] = Math.addExact(stateBytes[d],
                            PlacedWeights.shareOf(layerStateBytes, placed.cacheShare[d][l]));
                    pool(recurrent, d, 0, 4.0 * stateElements * placed.cacheShare[d][l],
                            4.0 * a.recurrentStateElements() * placed.layerShare[d][l]);
                }
            }
            if (!a.hasKvCache()) {
                continue;
            }
            long bytesPerCell = bytesPerCell(a, settings, maxValueElements);
            int window = a.slidingWindowTokens();
            long layerKvBytes = Math.multiplyExact(window > 0 ? settings.slidingWindowCells(window) : fullCells,
                    bytesPerCell);
            int kvHeads = a.keyValueHeads();
            double keyWidth = (double) a.keyCacheElementsPerToken() / kvHeads;
            double valueWidth = a.valueCacheElementsPerToken() > 0 ? (double) a.valueCacheElementsPerToken() / kvHeads
                    : keyWidth;
            double flopsPerCell = 2.0 * a.queryHeads() * (keyWidth + valueWidth);
            int g = indexOf(windows, windowCount, window > 0 ? window : FULL);
            for (int d = 0; d < deviceCount; d++) {
                kvBytes[d] = Math.addExact(kvBytes[d], PlacedWeights.shareOf(layerKvBytes, placed.cacheShare[d][l]));
                pool(attention, d, g, bytesPerCell * placed.cacheShare[d][l], flopsPerCell * placed.layerShare[d][l]);
            }
        }
        // MTP layers that llama.cpp caches hold memory only (decoding does not run them), with the last trunk layer
        int last = layers.size() - 1;
        for (Layer layer : cached.subList(layers.size(), cached.size())) {
            AttentionBlock a = layer.attention();
            if (a.hasKvCache()) {
                int window = a.slidingWindowTokens();
                long layerKvBytes = Math.multiplyExact(window > 0 ? settings.slidingWindowCells(window) : fullCells,
                        bytesPerCell(a, settings, maxValueElements));
                for (int d = 0; d < deviceCount; d++) {
                    kvBytes[d] = Math.addExact(kvBytes[d],
                            PlacedWeights.shareOf(layerKvBytes, placed.cacheShare[d][last]));
                }
            }
        }
        attention.sort((x, y) -> Double.compare(x[0], y[0]));
        recurrent.sort((x, y) -> Double.compare(x[0], y[0]));
        attentionDevice = new int[attention.size()];
        attentionWindow = new int[attention.size()];
        attentionBytesPerCell = new double[attention.size()];
        attentionFlopsPerCell = new double[attention.size()];
        for (int i = 0; i < attention.size(); i++) {
            double[] k = attention.get(i);
            attentionDevice[i] = (int) k[0];
            attentionWindow[i] = (int) k[1];
            attentionBytesPerCell[i] = k[2] * k[4];
            attentionFlopsPerCell[i] = k[3] * k[4];
        }
        recurrentDevice = new int[recurrent.size()];
        recurrentBytesPerSequence = new double[recurrent.size()];
        recurrentFlopsPerToken = new double[recurrent.size()];
        for (int i = 0; i < recurrent.size(); i++) {
            double[] k = recurrent.get(i);
            recurrentDevice[i] = (int) k[0];
            recurrentBytesPerSequence[i] = k[2] * k[4];
            recurrentFlopsPerToken[i] = k[3] * k[4];
        }

        long hostBuffer = 4L * microBatchTokens
                * (model.hiddenSize() + Math.max(context.fullAttentionCells(), context.slidingWindowCells()));
        List<DeviceUsage> list = new ArrayList<>(deviceCount);
        int projectorDevice = projectorDevice(devices);
        for (int d = 0; d < deviceCount; d++) {
            long weightBytes = Math.addExact(placed.weightBytes[d], adapterBytes[d]);
            long output = d == placed.outputBufferDevice ? context.outputBufferBytes() : 0;
            long compute = placed.holdsLayers[d] ? context.computeBufferBytes() : weightBytes > 0 ? hostBuffer : 0;
            if (d == projectorDevice) {
                weightBytes = Math.addExact(weightBytes, projectorBytes);
                compute = Math.addExact(compute, encoderComputeBytes);
            }
            boolean used = weightBytes > 0 || kvBytes[d] > 0 || stateBytes[d] > 0 || output > 0 || compute > 0;
            list.add(new DeviceUsage(devices.get(d), weightBytes, kvBytes[d], stateBytes[d], output, compute,
                    used ? runtimeOverheadBytes : 0));
        }
        usages = Collections.unmodifiableList(list);

        bytesPerSecond = placed.bytesPerSecond;
        flopsPerSecond = placed.flopsPerSecond;
        linkBytesPerSecond = placed.linkBytesPerSecond;
    }

    private static void requireBytes(String name, long bytes) {
        if (bytes < 0 || bytes > DeviceUsage.MAX_RUNTIME_OVERHEAD_BYTES) {
            throw new IllegalArgumentException(name + ": " + bytes + " (expected: 0 to "
                    + DeviceUsage.MAX_RUNTIME_OVERHEAD_BYTES + " bytes, 1 PiB)");
        }
    }

    /**
     * Returns the device a projector loads on: llama.cpp's {@code clip_init} takes the first GPU backend unless
     * {@code --no-mmproj-offload}, else the CPU; here the first device that is not system RAM, else the first.
     */
    private static int projectorDevice(List<Device> devices) {
        for (int d = 0; d < devices.size(); d++) {
            if (devices.get(d).kind() != DeviceKind.SYSTEM_RAM) {
                return d;
            }
        }
        return 0;
    }

    /**
     * Pools one layer's kernel into a list of {@code {device, window, bytes, flops, layers}}: a layer with the same
     * device, window and costs as an earlier one joins it, so that a pooled kernel's roofline time is the sum of its
     * layers'.
     */
    private static void pool(List<double[]> kernels, int device, int window, double bytes, double flops) {
        if (bytes <= 0 && flops <= 0) {
            return;
        }
        for (double[] k : kernels) {
            if (k[0] == device && k[1] == window && k[2] == bytes && k[3] == flops) {
                k[4]++;
                return;
            }
        }
        kernels.add(new double[] {device, window, bytes, flops, 1});
    }

    private static int indexOf(int[] values, int count, int value) {
        for (int i = 0; i < count; i++) {
            if (values[i] == value) {
                return i;
            }
        }
        return -1;
    }

    /**
     * Returns the estimate of placed weights under a context.
     *
     * @param placed the placed weights, not null
     * @param context the context memory of the same model, not null
     * @param runtimeOverheadBytes the runtime allowance per device that holds anything, 0 to
     *     {@value DeviceUsage#MAX_RUNTIME_OVERHEAD_BYTES}
     * @return the estimate
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if {@code runtimeOverheadBytes} is negative or above
     *     {@value DeviceUsage#MAX_RUNTIME_OVERHEAD_BYTES}
     * @throws IllegalStateException if the placement is {@link SplitModeTensor} and flash attention is off or the KV
     *     cache quantized, which llama.cpp refuses
     * @throws ArithmeticException if a size overflows a {@code long}
     */
    public static DeploymentEstimate of(PlacedWeights placed, ContextMemory context, long runtimeOverheadBytes) {
        return of(placed, context, runtimeOverheadBytes,
                new long[Objects.requireNonNull(placed, "placed").deviceCount]);
    }

    /**
     * Returns the estimate of placed weights with LoRA adapters held beside them: each device's weights grow by its
     * adapter bytes ({@link io.github.llmestimator.quant.LoraAdapter#bytesOnDevices}); the speeds do not.
     *
     * @param placed the placed weights, not null
     * @param context the context memory of the same model, not null
     * @param runtimeOverheadBytes the runtime allowance per device that holds anything, 0 to
     *     {@value DeviceUsage#MAX_RUNTIME_OVERHEAD_BYTES}
     * @param adapterBytes the adapters' bytes per device, one non-negative entry per device of the deployment; read
     *     while estimating, not kept
     * @return the estimate
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if {@code runtimeOverheadBytes} is out of range, or {@code adapterBytes} has
     *     another length or a negative entry
     * @throws IllegalStateException if the placement is {@link SplitModeTensor} and flash attention is off or the KV
     *     cache quantized, which llama.cpp refuses
     * @throws ArithmeticException if a size overflows a {@code long}
     */
    public static DeploymentEstimate of(PlacedWeights placed, ContextMemory context, long runtimeOverheadBytes,
            long[] adapterBytes) {
        return of(placed, context, runtimeOverheadBytes, adapterBytes, 0, 0);
    }

    /**
     * Returns the estimate of placed weights with LoRA adapters beside them and a projector ({@code --mmproj}): the
     * projector's weights and the encoder's compute buffer go on the first device that is not system RAM (llama.cpp's
     * {@code clip_init} takes the first GPU), else on the first device.
     *
     * @param placed the placed weights, not null
     * @param context the context memory of the same model, not null
     * @param runtimeOverheadBytes the runtime allowance per device that holds anything, 0 to
     *     {@value DeviceUsage#MAX_RUNTIME_OVERHEAD_BYTES}
     * @param adapterBytes the adapters' bytes per device, one non-negative entry per device of the deployment; read
     *     while estimating, not kept
     * @param projectorBytes the projector's weights, 0 to {@value DeviceUsage#MAX_RUNTIME_OVERHEAD_BYTES} (1 PiB)
     * @param encoderComputeBytes the encoder's compute buffer, 0 to {@value DeviceUsage#MAX_RUNTIME_OVERHEAD_BYTES}
     * @return the estimate
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if {@code runtimeOverheadBytes} or a size is out of range, or
     *     {@code adapterBytes} has another length or a negative entry
     * @throws IllegalStateException if the placement is {@link SplitModeTensor} and flash attention is off or the KV
     *     cache quantized, which llama.cpp refuses
     * @throws ArithmeticException if a size overflows a {@code long}
     */
    public static DeploymentEstimate of(PlacedWeights placed, ContextMemory context, long runtimeOverheadBytes,
            long[] adapterBytes, long projectorBytes, long encoderComputeBytes) {
        Objects.requireNonNull(placed, "placed");
        Objects.requireNonNull(adapterBytes, "adapterBytes");
        if (adapterBytes.length != placed.deviceCount) {
            throw new IllegalArgumentException("adapterBytes: " + adapterBytes.length + " entries (expected: "
                    + placed.deviceCount + ", one per device)");
        }
        for (int d = 0; d < adapterBytes.length; d++) {
            if (adapterBytes[d] < 0) {
                throw new IllegalArgumentException("adapterBytes[" + d + "]: " + adapterBytes[d] + " (expected: >= 0)");
            }
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
        return new DeploymentEstimate(placed, context, runtimeOverheadBytes, adapterBytes, projectorBytes,
                encoderComputeBytes);
    }

    /** What llama.cpp's {@code --split-mode tensor} refuses at start-up (see {@link SplitModeTensor}). */
    private static void requireSplitModeTensorSettings(ContextSettings settings) {
        if (!settings.flashAttention()) {
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
        return usages;
    }

    /**
     * Returns whether every device holds its share, defined as every {@link DeviceUsage#fits()}.
     *
     * @return true when the model fits the deployment
     */
    public boolean fits() {
        for (DeviceUsage usage : usages) {
            if (!usage.fits()) {
                return false;
            }
        }
        return true;
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
        Step expected = new Step();
        Step low = new Step();
        Step high = new Step();
        decodeStep(Efficiency.EXPECTED, positionTokens, expected);
        decodeStep(Efficiency.LOW, positionTokens, low);
        decodeStep(Efficiency.HIGH, positionTokens, high);
        return new DecodeSpeed(positionTokens, sequences, Math.round(expected.bytes), sequences / expected.seconds,
                sequences / low.seconds, sequences / high.seconds, expected.bound());
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
        int rows = sequences * tokensPerSequence;
        double[] seconds = new double[Efficiency.SCENARIOS];
        Step expected = null;
        for (int scenario = 0; scenario < Efficiency.SCENARIOS; scenario++) {
            double[] attended = new double[windows.length];
            double[] read = new double[windows.length];
            for (int g = 0; g < windows.length; g++) {
                attended[g] = (double) sequences
                        * causalCells(positionTokens + 1L, (long) positionTokens + tokensPerSequence, windows[g]);
                read[g] = (double) sequences * Math.min((long) positionTokens + tokensPerSequence, windows[g]);
            }
            Step step = new Step();
            // the recurrent state is read once and written after every token: llama.cpp keeps a snapshot per token of
            // a speculative batch to roll back to (src/llama-memory-recurrent.cpp, n_rs_seq)
            step(scenario, rows, logits ? rows : 0, attended, read, (1.0 + tokensPerSequence) * sequences, false,
                    step);
            step.fixed(placed.decodeFixedSeconds);
            seconds[scenario] = step.seconds;
            if (scenario == Efficiency.EXPECTED) {
                expected = step;
            }
        }
        return new DecodeSpeed(positionTokens, rows, Math.round(expected.bytes), rows / seconds[Efficiency.EXPECTED],
                rows / seconds[Efficiency.LOW], rows / seconds[Efficiency.HIGH], expected.bound());
    }

    private void decodeStep(int scenario, int position, Step step) {
        double[] attended = new double[windows.length];
        for (int g = 0; g < windows.length; g++) {
            attended[g] = (double) sequences * Math.min((long) position + 1, windows[g]);
        }
        step(scenario, sequences, sequences, attended, attended, 2.0 * sequences, false, step);
        step.fixed(placed.decodeFixedSeconds);
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
        Step expected = new Step();
        Step low = new Step();
        Step high = new Step();
        if (!prefillSteps(Efficiency.EXPECTED, promptTokens, expected)
                || !prefillSteps(Efficiency.LOW, promptTokens, low)
                || !prefillSteps(Efficiency.HIGH, promptTokens, high)) {
            return Optional.empty();
        }
        return Optional.of(new PrefillSpeed(promptTokens, promptTokens / expected.seconds, promptTokens / low.seconds,
                promptTokens / high.seconds, expected.bound()));
    }

    private boolean prefillSteps(int scenario, int promptTokens, Step total) {
        double[] attended = new double[windows.length];
        double[] read = new double[windows.length];
        int batch = microBatchTokens;
        for (long start = 0; start < promptTokens; start += batch) {
            int n = (int) Math.min(batch, promptTokens - start);
            long end = start + n;
            for (int g = 0; g < windows.length; g++) {
                long window = windows[g];
                attended[g] = flashAttention ? causalCells(start + 1, end, window)
                        : (double) n * Math.min(ContextSettings.pad(end), window);
                read[g] = Math.min(end, window);
            }
            if (!step(scenario, n, end == promptTokens ? 1 : 0, attended, read, 2.0, true, total)) {
                return false;
            }
        }
        return true;
    }

    /** Returns {@code sum over c = first..last of min(c, window)}. */
    static double causalCells(long first, long last, long window) {
        if (last <= window) {
            return (double) (first + last) * (last - first + 1) / 2;
        }
        if (first > window) {
            return (double) (last - first + 1) * window;
        }
        return (double) (first + window) * (window - first + 1) / 2 + (double) (last - window) * window;
    }

    /**
     * Adds one step to {@code total}: every kernel's roofline time on the device that runs it.
     *
     * @param tokens tokens multiplied in the step (and routed through the experts)
     * @param logitsRows rows of logits computed
     * @param attended cells attended, summed over the step's tokens, per window group
     * @param read cells of KV cache read per window group
     * @param stateReads how many times the recurrent state of one sequence is read or written
     * @param strict whether an unknown throughput makes the step unknown (else it counts as no time)
     * @return false if the step is unknown
     */
    private boolean step(int scenario, int tokens, int logitsRows, double[] attended, double[] read,
            double stateReads, boolean strict, Step total) {
        boolean offload = tokens >= OP_OFFLOAD_MIN_BATCH && placed.offloadDevice >= 0
                && !Double.isNaN(linkBytesPerSecond[scenario]);
        boolean concurrent = placed.deployment().placement().concurrent();
        int flt = KernelClass.FLOAT.ordinal();
        Step device = new Step();
        int group = 0;
        int attention = 0;
        int recurrent = 0;
        for (int d = 0; d < placed.deviceCount; d++) {
            device.clear();
            for (; group < placed.groupDevice.length && placed.groupDevice[group] == d; group++) {
                int experts = placed.groupExperts[group];
                double bytes = placed.groupBytes[group];
                double flops;
                if (placed.groupOutput[group]) {
                    if (logitsRows == 0) {
                        continue;
                    }
                    flops = 2.0 * logitsRows * placed.groupParameters[group];
                } else if (experts > 0) {
                    int k = placed.groupExpertsPerToken[group];
                    double inUse = tokens == 1 ? k : experts * (1 - Math.pow(1 - (double) k / experts, tokens));
                    bytes = bytes * inUse / experts;
                    flops = 2.0 * tokens * placed.groupParameters[group] * k / experts;
                } else {
                    flops = 2.0 * tokens * placed.groupParameters[group];
                }
                int runner = offload && d == placed.hostDevice ? placed.offloadDevice : d;
                if (runner != d) {
                    device.link += bytes / linkBytesPerSecond[scenario];
                }
                // a CPU's cores unpack and multiply every weight they stream: at least weights / their rate
                double coreSeconds = placed.groupParameters[group] > 0
                        ? bytes / placed.groupBytes[group] * placed.groupParameters[group]
                                / placed.weightsPerSecond[scenario][runner]
                        : 0;
                if (!device.kernel(bytes, flops, bytesPerSecond[scenario][runner],
                        flopsPerSecond[scenario][runner][placed.groupClass[group].ordinal()], strict, coreSeconds)) {
                    return false;
                }
            }
            device.kernel(tokens * placed.embeddingRowBytes[d], 0, bytesPerSecond[scenario][d], Double.NaN, false);
            for (; attention < attentionDevice.length && attentionDevice[attention] == d; attention++) {
                int g = attentionWindow[attention];
                if (!device.kernel(read[g] * attentionBytesPerCell[attention],
                        attended[g] * attentionFlopsPerCell[attention], bytesPerSecond[scenario][d],
                        flopsPerSecond[scenario][d][flt], strict)) {
                    return false;
                }
            }
            for (; recurrent < recurrentDevice.length && recurrentDevice[recurrent] == d; recurrent++) {
                if (!device.kernel(stateReads * recurrentBytesPerSequence[recurrent],
                        tokens * recurrentFlopsPerToken[recurrent], bytesPerSecond[scenario][d],
                        flopsPerSecond[scenario][d][flt], strict)) {
                    return false;
                }
            }
            total.add(device, concurrent);
        }
        total.finish(concurrent);
        return true;
    }

    /** Seconds spent per resource: one kernel's, one device's, or a sum. Not thread-safe; local to one call. */
    private static final class Step {
        double memory;
        double compute;
        double link;
        double overhead;
        double bytes;
        double seconds;
        private double stepMemory;
        private double stepCompute;
        private double stepLink;
        private double stepMax;

        void clear() {
            memory = 0;
            compute = 0;
            link = 0;
            bytes = 0;
        }

        boolean kernel(double kernelBytes, double flops, double bandwidth, double throughput, boolean strict) {
            return kernel(kernelBytes, flops, bandwidth, throughput, strict, 0);
        }

        /** As {@link #kernel(double, double, double, double, boolean)}, computing for at least {@code coreSeconds}. */
        boolean kernel(double kernelBytes, double flops, double bandwidth, double throughput, boolean strict,
                double coreSeconds) {
            double memorySeconds = kernelBytes / bandwidth;
            double computeSeconds = coreSeconds;
            if (flops > 0) {
                if (Double.isNaN(throughput)) {
                    if (strict) {
                        return false;
                    }
                } else {
                    computeSeconds = Math.max(computeSeconds, flops / throughput);
                }
            }
            if (computeSeconds > memorySeconds) {
                compute += computeSeconds;
            } else {
                memory += memorySeconds;
            }
            bytes += kernelBytes;
            return true;
        }

        /** Adds a device's step: devices in turn add; concurrent devices take the slowest. */
        void add(Step device, boolean concurrent) {
            double deviceSeconds = device.memory + device.compute + device.link;
            bytes += device.bytes;
            if (!concurrent) {
                stepMemory += device.memory;
                stepCompute += device.compute;
                stepLink += device.link;
            } else if (deviceSeconds > stepMax) {
                stepMax = deviceSeconds;
                stepMemory = device.memory;
                stepCompute = device.compute;
                stepLink = device.link;
            }
        }

        /** Closes a step: its resources join the running totals. */
        void finish(boolean concurrent) {
            memory += stepMemory;
            compute += stepCompute;
            link += stepLink;
            seconds += stepMemory + stepCompute + stepLink;
            stepMemory = 0;
            stepCompute = 0;
            stepLink = 0;
            stepMax = 0;
        }

        /** Adds the runtime's fixed time of a step, which no resource of the roofline accounts for. */
        void fixed(double fixedSeconds) {
            overhead += fixedSeconds;
            seconds += fixedSeconds;
        }

        Bound bound() {
            if (overhead > memory && overhead > compute && overhead > link) {
                return Bound.LAUNCH_OVERHEAD;
            }
            if (compute > memory && compute >= link) {
                return Bound.COMPUTE;
            }
            return link > memory ? Bound.HOST_LINK : Bound.MEMORY_BANDWIDTH;
        }
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
                && context.equals(that.context) && usages.equals(that.usages);
    }

    @Override
    public int hashCode() {
        return Objects.hash(placed, context, runtimeOverheadBytes);
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("DeploymentEstimate[");
        for (DeviceUsage usage : usages) {
            s.append(usage.device().name()).append(": ").append(usage.totalBytes()).append(" of ")
                    .append(usage.usableBytes()).append(" bytes; ");
        }
        return s.append(fits() ? "fits" : "does not fit").append(']').toString();
    }
}
