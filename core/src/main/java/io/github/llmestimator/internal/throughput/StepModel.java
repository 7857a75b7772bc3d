package io.github.llmestimator.internal.throughput;

import io.github.llmestimator.memory.ContextSettings;
import io.github.llmestimator.throughput.Bound;
import io.github.llmestimator.throughput.DecodeSpeed;
import io.github.llmestimator.throughput.DeploymentEstimate;
import io.github.llmestimator.throughput.PrefillSpeed;
import java.util.Optional;

/**
 * The step (roofline) model of a deployment: the kernels a step runs on each device and the time each takes, for a
 * decode step, a batched step and a prompt's micro-batches (see the package documentation). The kernels are the matmul
 * groups of {@link PlacedWeights}, the embedding lookup, and the attention and recurrent kernels that
 * {@link CacheSplit} pools once per placement and cache setting; the sequence count, micro-batch and flash-attention
 * mode are arguments, so one model serves every context and sequence count.
 *
 * <p>Every term of the time of a step is here: the roofline of each kernel ({@link Step#kernel}), the host-link copy of
 * offloaded weights, and the runtime's fixed time of a decode step ({@link PlacedWeights#decodeFixedSeconds}, from
 * {@link Efficiency}'s per-layer and per-expert-layer times). This class is immutable and thread-safe.
 */
public final class StepModel {

    private static final int OP_OFFLOAD_MIN_BATCH = 32;
    /** llama.cpp's MMVQ_MAX_BATCH_SIZE (ggml-cuda/mmvq.cuh): larger batches of block types without MMQ go to cuBLAS. */
    private static final int DEQUANTIZE_MIN_BATCH = 9;
    /** ggml-backend.cpp's GGML_SCHED_MAX_COPIES: micro-batches a pipeline holds in flight. */
    private static final int PIPELINE_COPIES = 4;

    private final PlacedWeights placed;
    /** The distinct windows of the trunk's attention layers, {@link Integer#MAX_VALUE} for the full context. */
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

    StepModel(PlacedWeights placed, int[] windows, int[] attentionDevice, int[] attentionWindow,
            double[] attentionBytesPerCell, double[] attentionFlopsPerCell, int[] recurrentDevice,
            double[] recurrentBytesPerSequence, double[] recurrentFlopsPerToken) {
        this.placed = placed;
        this.windows = windows;
        this.attentionDevice = attentionDevice;
        this.attentionWindow = attentionWindow;
        this.attentionBytesPerCell = attentionBytesPerCell;
        this.attentionFlopsPerCell = attentionFlopsPerCell;
        this.recurrentDevice = recurrentDevice;
        this.recurrentBytesPerSequence = recurrentBytesPerSequence;
        this.recurrentFlopsPerToken = recurrentFlopsPerToken;
    }

    /**
     * Returns the decode step of {@link DeploymentEstimate#decode(int)}.
     *
     * @param sequences sequences decoded together, at least 1
     * @param positionTokens tokens already in each sequence, checked by the caller against the context
     * @return the speed
     */
    public DecodeSpeed decode(int sequences, int positionTokens) {
        Step expected = new Step();
        Step low = new Step();
        Step high = new Step();
        decodeStep(sequences, Efficiency.EXPECTED, positionTokens, expected);
        decodeStep(sequences, Efficiency.LOW, positionTokens, low);
        decodeStep(sequences, Efficiency.HIGH, positionTokens, high);
        return new DecodeSpeed(positionTokens, sequences, Math.round(expected.bytes), sequences / expected.seconds,
                sequences / low.seconds, sequences / high.seconds, expected.bound());
    }

    /**
     * Returns the batched step of {@link DeploymentEstimate#batchStep(int, int, boolean)}.
     *
     * @param sequences sequences in the step, at least 1
     * @param positionTokens tokens already in each sequence, checked by the caller
     * @param tokensPerSequence tokens of each sequence in the step, checked by the caller
     * @param logits whether every token's logits are computed
     * @return the step as a speed of {@code sequences * tokensPerSequence} rows per step
     */
    public DecodeSpeed batchStep(int sequences, int positionTokens, int tokensPerSequence, boolean logits) {
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
                    step, null);
            step.fixed(placed.decodeFixedSeconds);
            seconds[scenario] = step.seconds;
            if (scenario == Efficiency.EXPECTED) {
                expected = step;
            }
        }
        return new DecodeSpeed(positionTokens, rows, Math.round(expected.bytes), rows / seconds[Efficiency.EXPECTED],
                rows / seconds[Efficiency.LOW], rows / seconds[Efficiency.HIGH], expected.bound());
    }

    private void decodeStep(int sequences, int scenario, int position, Step step) {
        double[] attended = new double[windows.length];
        for (int g = 0; g < windows.length; g++) {
            attended[g] = (double) sequences * Math.min((long) position + 1, windows[g]);
        }
        step(scenario, sequences, sequences, attended, attended, 2.0 * sequences, false, step, null);
        step.fixed(placed.decodeFixedSeconds);
    }

    /**
     * Returns the prompt processing of {@link DeploymentEstimate#prefill(int)}.
     *
     * @param microBatchTokens tokens per micro-batch
     * @param flashAttention whether flash attention is on
     * @param promptTokens the prompt length, checked by the caller against the context
     * @return the speed, or empty when a device that must compute states no throughput for the precision it needs
     */
    public Optional<PrefillSpeed> prefill(int microBatchTokens, boolean flashAttention, int promptTokens) {
        Step expected = new Step();
        Step low = new Step();
        Step high = new Step();
        if (!prefillSteps(microBatchTokens, flashAttention, Efficiency.EXPECTED, promptTokens, expected)
                || !prefillSteps(microBatchTokens, flashAttention, Efficiency.LOW, promptTokens, low)
                || !prefillSteps(microBatchTokens, flashAttention, Efficiency.HIGH, promptTokens, high)) {
            return Optional.empty();
        }
        return Optional.of(new PrefillSpeed(promptTokens, promptTokens / expected.seconds, promptTokens / low.seconds,
                promptTokens / high.seconds, expected.bound()));
    }

    private boolean prefillSteps(int microBatchTokens, boolean flashAttention, int scenario, int promptTokens,
            Step total) {
        double[] attended = new double[windows.length];
        double[] read = new double[windows.length];
        int batch = microBatchTokens;
        // a pipeline's devices work on different micro-batches at once: a micro-batch enters a device when the device
        // is done with the one before and the previous device is done with it, at most PIPELINE_COPIES in flight
        double[] deviceSeconds = placed.pipelined ? new double[placed.deviceCount] : null;
        double[] deviceDone = placed.pipelined ? new double[placed.deviceCount] : null;
        double[] microBatchDone = new double[PIPELINE_COPIES];
        int microBatch = 0;
        for (long start = 0; start < promptTokens; start += batch) {
            int n = (int) Math.min(batch, promptTokens - start);
            long end = start + n;
            for (int g = 0; g < windows.length; g++) {
                long window = windows[g];
                attended[g] = flashAttention ? causalCells(start + 1, end, window)
                        : (double) n * Math.min(ContextSettings.pad(end), window);
                read[g] = Math.min(end, window);
            }
            if (!step(scenario, n, end == promptTokens ? 1 : 0, attended, read, 2.0, true, total, deviceSeconds)) {
                return false;
            }
            if (deviceSeconds != null) {
                double ready = microBatch >= PIPELINE_COPIES ? microBatchDone[microBatch % PIPELINE_COPIES] : 0;
                for (int d = 0; d < deviceSeconds.length; d++) {
                    ready = Math.max(ready, deviceDone[d]) + deviceSeconds[d];
                    deviceDone[d] = ready;
                }
                microBatchDone[microBatch % PIPELINE_COPIES] = ready;
                microBatch++;
            }
        }
        if (deviceDone != null) {
            total.seconds = deviceDone[deviceDone.length - 1];
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
     * @param deviceSeconds if not null, receives each device's time in the step
     * @return false if the step is unknown
     */
    private boolean step(int scenario, int tokens, int logitsRows, double[] attended, double[] read,
            double stateReads, boolean strict, Step total, double[] deviceSeconds) {
        boolean offload = tokens >= OP_OFFLOAD_MIN_BATCH && placed.offloadDevice >= 0
                && !Double.isNaN(placed.linkBytesPerSecond[scenario]);
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
                    device.link += bytes / placed.linkBytesPerSecond[scenario];
                }
                boolean hasWeights = placed.groupParameters[group] > 0;
                double weights = hasWeights ? bytes / placed.groupBytes[group] * placed.groupParameters[group] : 0;
                // a CPU's cores unpack and multiply every weight they stream: at least weights / their rate
                double coreSeconds = hasWeights ? weights / placed.weightsPerSecond[scenario][runner] : 0;
                int rows = placed.groupOutput[group] ? logitsRows : tokens;
                if (rows >= DEQUANTIZE_MIN_BATCH && placed.groupBytes[group] > 0
                        && placed.dequantizes[runner][placed.groupClass[group].ordinal()]) {
                    // the F16 copy is written once per step and read by the GEMM, which is compute-bound
                    device.kernel(bytes + 2 * weights, 0, placed.bytesPerSecond[scenario][runner], Double.NaN, false);
                }
                if (!device.kernel(bytes, flops, placed.bytesPerSecond[scenario][runner],
                        placed.flopsPerSecond[scenario][runner][placed.groupClass[group].ordinal()], strict,
                        coreSeconds)) {
                    return false;
                }
            }
            device.kernel(tokens * placed.embeddingRowBytes[d], 0, placed.bytesPerSecond[scenario][d], Double.NaN,
                    false);
            for (; attention < attentionDevice.length && attentionDevice[attention] == d; attention++) {
                int g = attentionWindow[attention];
                if (!device.kernel(read[g] * attentionBytesPerCell[attention],
                        attended[g] * attentionFlopsPerCell[attention], placed.bytesPerSecond[scenario][d],
                        placed.flopsPerSecond[scenario][d][flt], strict)) {
                    return false;
                }
            }
            for (; recurrent < recurrentDevice.length && recurrentDevice[recurrent] == d; recurrent++) {
                if (!device.kernel(stateReads * recurrentBytesPerSequence[recurrent],
                        tokens * recurrentFlopsPerToken[recurrent], placed.bytesPerSecond[scenario][d],
                        placed.flopsPerSecond[scenario][d][flt], strict)) {
                    return false;
                }
            }
            if (deviceSeconds != null) {
                deviceSeconds[d] = device.memory + device.compute + device.link;
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
}
