package io.github.llmestimator.planning;

import io.github.llmestimator.Estimate;
import io.github.llmestimator.Estimator;
import io.github.llmestimator.hardware.Device;
import io.github.llmestimator.hardware.DeviceUsage;
import io.github.llmestimator.hardware.Placement;
import io.github.llmestimator.internal.Checks;
import io.github.llmestimator.memory.ContextSettings;
import io.github.llmestimator.model.MixerBlock;
import io.github.llmestimator.model.ModelSpec;
import io.github.llmestimator.throughput.DecodeSpeed;
import io.github.llmestimator.throughput.DeploymentEstimate;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * How many sequences of a given length a serving deployment holds at once, and their aggregate decode speed.
 *
 * <p>Two accountings are offered:
 * <ul>
 *   <li>llama.cpp's ({@link #of(Estimator, int)}): {@code sequences} slots of {@code tokensPerSequence} each,
 *       i.e. the estimator with {@code -np sequences -c sequences * tokensPerSequence} and its other settings. Memory
 *       never shrinks as slots are added, so the largest count is searched with {@link Search} in
 *       {@code O(log n)} estimates, up to llama.cpp's {@value #LLAMA_MAX_SEQUENCES} sequences
 *       ({@code LLAMA_MAX_SEQ}). Exact against the estimator: the estimate with {@code sequences} fits, the one with
 *       {@code sequences + 1} does not.</li>
 *   <li>vLLM's paged view ({@link #of(Estimator, int, PagedKvCache)}): on each device,
 *       {@code available = floor(gpuMemoryUtilization * usableMemory) - (weights + output buffer + compute buffer +
 *       runtime allowance)}, taken from the estimate of one sequence of {@code tokensPerSequence} (the compute buffer
 *       standing in for vLLM's profiled activation peak), and each request needs its blocks in every layer whose cache
 *       the device holds, by the layer's kind ({@link PagedKvCache}); {@code sequences = min over devices of
 *       floor(available / bytesPerRequest)}, vLLM's "maximum concurrency" rounded down. Exact in that accounting:
 *       {@code sequences} requests fit the limiting device and one more does not. The count stops at the same
 *       {@value #LLAMA_MAX_SEQUENCES} sequences ({@link Binding#SEARCH_LIMIT}), because the decode speed of the plan
 *       is the estimator's, which cannot run more; {@link #maxConcurrency()} still gives the memory's count.</li>
 * </ul>
 * The aggregate decode speed is the estimator's for {@code max(1, sequences)} sequences decoding together at the end
 * of their {@code tokensPerSequence}, where a step is slowest.
 *
 * @param tokensPerSequence the length of each sequence, prompt and output together (vLLM's {@code max_model_len})
 * @param sequences how many sequences fit at once, 0 when not even one does
 * @param paged whether this is vLLM's paged view (else llama.cpp's slots)
 * @param binding {@link Binding#KV_CACHE} when one more sequence does not fit, {@link Binding#SEARCH_LIMIT} when the
 *     count reached llama.cpp's limit or the {@code int} range of contexts; when nothing fits, {@link Binding#WEIGHTS}
 *     or {@link Binding#KV_CACHE}
 * @param limitingDeviceIndex the device that does not hold one more sequence (or the first one), or empty
 * @param headroomBytes the memory left with {@code sequences} sequences on the limiting (else the tightest) device, in
 *     the accounting of the plan; negative when not even one sequence fits
 * @param bytesPerSequence what one sequence holds on the limiting (else the tightest) device: its KV cache, state and
 *     logits in llama.cpp's accounting, its blocks and state in the paged view
 * @param decode the aggregate decode speed of {@code max(1, sequences)} sequences at position
 *     {@code tokensPerSequence}
 * @param estimate llama.cpp's accounting: the estimate of {@code sequences} slots (of one when nothing fits); the paged
 *     view: the estimate of one sequence, whose weights and buffers it subtracts
 */
public record ConcurrencyPlan(int tokensPerSequence, int sequences, boolean paged, Binding binding,
        OptionalInt limitingDeviceIndex, long headroomBytes, long bytesPerSequence, DecodeSpeed decode,
        Estimate estimate) implements Plan {

    /** llama.cpp's most parallel sequences ({@code LLAMA_MAX_SEQ} in {@code src/llama-cparams.h}, 2025-2026). */
    public static final int LLAMA_MAX_SEQUENCES = ContextSettings.MAX_PARALLEL_SEQUENCES;

    /**
     * Validates the components.
     *
     * @param tokensPerSequence the length of each sequence, prompt and output together (vLLM's
     *     {@code max_model_len})
     * @param sequences how many sequences fit at once, 0 when not even one does
     * @param paged whether this is vLLM's paged view (else llama.cpp's slots)
     * @param binding {@link Binding#KV_CACHE} when one more sequence does not fit, {@link Binding#SEARCH_LIMIT} when
     *     the count reached llama.cpp's limit or the {@code int} range of contexts; when nothing fits,
     *     {@link Binding#WEIGHTS} or {@link Binding#KV_CACHE}
     * @param limitingDeviceIndex the device that does not hold one more sequence (or the first one), or empty
     * @param headroomBytes the memory left with {@code sequences} sequences on the limiting (else the tightest)
     *     device, in the accounting of the plan; negative when not even one sequence fits
     * @param bytesPerSequence what one sequence holds on the limiting (else the tightest) device: its KV cache, state
     *     and logits in llama.cpp's accounting, its blocks and state in the paged view
     * @param decode the aggregate decode speed of {@code max(1, sequences)} sequences at position
     *     {@code tokensPerSequence}
     * @param estimate llama.cpp's accounting: the estimate of {@code sequences} slots (of one when nothing fits); the
     *     paged view: the estimate of one sequence, whose weights and buffers it subtracts
     * @throws NullPointerException if {@code binding}, {@code decode} or {@code estimate} is null
     * @throws IllegalArgumentException if a count is out of range, the estimate has no deployment, or
     *     {@code limitingDeviceIndex} names no device of it
     */
    public ConcurrencyPlan {
        Objects.requireNonNull(binding, "binding");
        Objects.requireNonNull(decode, "decode");
        Objects.requireNonNull(estimate, "estimate");
        Checks.positive("tokensPerSequence", tokensPerSequence);
        if (sequences < 0) {
            throw new IllegalArgumentException("sequences: " + sequences + " (expected: >= 0)");
        }
        if (bytesPerSequence < 0) {
            throw new IllegalArgumentException("bytesPerSequence: " + bytesPerSequence + " (expected: >= 0)");
        }
        if (estimate.deployment().isEmpty()) {
            throw new IllegalArgumentException("estimate: no deployment (expected: the estimate on the deployment)");
        }
        Fit.checkDeviceIndex(limitingDeviceIndex, estimate);
    }

    private static int checkTokens(int tokensPerSequence) {
        Checks.positive("tokensPerSequence", tokensPerSequence);
        if (tokensPerSequence > Fit.MAX_CONTEXT_TOKENS) {
            throw new IllegalArgumentException("tokensPerSequence: " + tokensPerSequence + " (expected: at most "
                    + Fit.MAX_CONTEXT_TOKENS + ")");
        }
        return tokensPerSequence;
    }

    /** Returns the estimate of {@code sequences} slots of {@code tokens} each. */
    private static Estimate slots(Estimator estimator, int sequences, int tokens) {
        return estimator.parallelSequences(sequences).context(sequences * tokens).estimate();
    }

    /**
     * Finds how many llama.cpp slots of {@code tokensPerSequence} the estimator's deployment holds at once
     * ({@code -np n -c n * tokensPerSequence}) and their aggregate decode speed.
     *
     * @param estimator a scheme and a deployment chosen, not null; its context and sequence count are replaced
     * @param tokensPerSequence the tokens of each sequence, at least 1
     * @return the plan
     * @throws NullPointerException if {@code estimator} is null
     * @throws IllegalArgumentException if {@code tokensPerSequence} is not positive or beyond llama.cpp's context
     * @throws IllegalStateException if the estimator has no scheme or no deployment, or its settings do not work
     *     together
     */
    public static ConcurrencyPlan of(Estimator estimator, int tokensPerSequence) {
        Objects.requireNonNull(estimator, "estimator");
        int tokens = checkTokens(tokensPerSequence);
        Estimate first = slots(estimator, 1, tokens);
        Fit.deployment(first, "concurrency(tokensPerSequence)");
        int most = Math.min(LLAMA_MAX_SEQUENCES, Fit.MAX_CONTEXT_TOKENS / tokens);
        Search.Outcome<Estimate> found = Search.lastFitting(1, most,
                p -> p == 1 ? first : slots(estimator, (int) p, tokens), Fit::headroom);
        if (!found.found(1)) {
            Estimate one = found.atNext;
            int device = Fit.tightest(one);
            return new ConcurrencyPlan(tokens, 0, false, Fit.binding(one, device), device, Fit.headroom(one, device),
                    perSequence(one, device, 1), one.decode(tokens), one);
        }
        int sequences = (int) found.last;
        Estimate answer = found.atLast;
        if (found.atNext == null) {
            int device = Fit.tightest(answer);
            return new ConcurrencyPlan(tokens, sequences, false, Binding.SEARCH_LIMIT, -1,
                    Fit.headroom(answer, device), perSequence(answer, device, sequences), answer.decode(tokens),
                    answer);
        }
        int device = Fit.tightest(found.atNext);
        return new ConcurrencyPlan(tokens, sequences, false, Binding.KV_CACHE, device, Fit.headroom(answer, device),
                perSequence(answer, device, sequences), answer.decode(tokens), answer);
    }

    private static long perSequence(Estimate estimate, int device, int sequences) {
        DeviceUsage usage = Fit.devices(estimate).get(device);
        long bytes = usage.kvCacheBytes() + usage.recurrentStateBytes() + usage.outputBufferBytes();
        return (bytes + sequences - 1) / sequences;
    }

    /**
     * Finds how many requests of {@code tokensPerSequence} vLLM's paged cache holds on the estimator's deployment (its
     * "maximum concurrency"), and their aggregate decode speed.
     *
     * @param estimator a scheme and a deployment chosen, not null; its context and sequence count are replaced
     * @param tokensPerSequence the tokens of each request, at least 1
     * @param cache vLLM's cache settings, not null
     * @return the plan
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if {@code tokensPerSequence} is not positive or beyond llama.cpp's context
     * @throws IllegalStateException if the estimator has no scheme or no deployment, or its settings do not work
     *     together
     */
    public static ConcurrencyPlan of(Estimator estimator, int tokensPerSequence, PagedKvCache cache) {
        Objects.requireNonNull(estimator, "estimator");
        Objects.requireNonNull(cache, "cache");
        int tokens = checkTokens(tokensPerSequence);
        Estimate one = slots(estimator, 1, tokens);
        DeploymentEstimate deployment = Fit.deployment(one, "concurrency(tokensPerSequence, cache)");
        ModelSpec model = estimator.model();
        long[] layerBytes = requestBytes(model, tokens, cache);
        List<Device> devices = deployment.deployment().devices();
        Placement placement = deployment.deployment().placement();
        List<DeviceUsage> usages = one.devices();
        long most = Math.min(LLAMA_MAX_SEQUENCES, Fit.MAX_CONTEXT_TOKENS / tokens);
        int limiting = -1;
        long limitingAvailable = 0;
        long limitingPerRequest = 0;
        long limitingCount = Long.MAX_VALUE;
        for (int d = 0; d < devices.size(); d++) {
            long perRequest = 0;
            for (int l = 0; l < layerBytes.length; l++) {
                perRequest = Math.addExact(perRequest,
                        shareOf(layerBytes[l], placement.cacheShare(d, l, model, devices)));
            }
            DeviceUsage usage = usages.get(d);
            long available = (long) Math.floor(cache.gpuMemoryUtilization() * usage.usableBytes())
                    - (usage.weightBytes() + usage.outputBufferBytes() + usage.computeBufferBytes()
                    + usage.runtimeOverheadBytes());
            long count = available < 0 ? -1 : perRequest == 0 ? Long.MAX_VALUE : available / perRequest;
            if (limiting < 0 || count < limitingCount) {
                limiting = d;
                limitingAvailable = available;
                limitingPerRequest = perRequest;
                limitingCount = count;
            }
        }
        if (limitingCount < 1) {
            Binding binding = limitingCount < 0 ? Binding.WEIGHTS : Binding.KV_CACHE;
            long headroom = limitingCount < 0 ? limitingAvailable : limitingAvailable - limitingPerRequest;
            return new ConcurrencyPlan(tokens, 0, true, binding, limiting, headroom, limitingPerRequest,
                    one.decode(tokens), one);
        }
        if (limitingCount > most) {
            int sequences = (int) most;
            return new ConcurrencyPlan(tokens, sequences, true, Binding.SEARCH_LIMIT, -1,
                    limitingAvailable - sequences * limitingPerRequest, limitingPerRequest,
                    slots(estimator, sequences, tokens).decode(tokens), one);
        }
        int sequences = (int) limitingCount;
        return new ConcurrencyPlan(tokens, sequences, true, Binding.KV_CACHE, limiting,
                limitingAvailable - sequences * limitingPerRequest, limitingPerRequest,
                slots(estimator, sequences, tokens).decode(tokens), one);
    }

    /** Returns what one request holds in each layer, whole (before a placement divides it), in vLLM's accounting. */
    private static long[] requestBytes(ModelSpec model, long tokens, PagedKvCache cache) {
        long block = cache.blockSizeTokens();
        long[] bytes = new long[model.layers().size()];
        for (int l = 0; l < bytes.length; l++) {
            MixerBlock a = model.layers().get(l).mixer();
            long elements;
            long cells;
            if (a.hasKvCache()) {
                elements = a.keyCacheElementsPerToken() + a.valueCacheElementsPerToken();
                int window = a.slidingWindowTokens();
                cells = window > 0
                        ? (ceilDiv(Math.min(window - 1L + cache.maxBatchedTokens(), tokens), block) + 1) * block
                        : ceilDiv(tokens, block) * block;
            } else {
                elements = a.convolutionStateElements() + a.recurrentStateElements();
                cells = 1;
            }
            bytes[l] = Math.multiplyExact(Math.multiplyExact(cells, elements), (long) cache.cacheBytesPerElement());
        }
        return bytes;
    }

    private static long ceilDiv(long a, long b) {
        return (a + b - 1) / b;
    }

    /** Returns {@code bytes * share}, rounded up for a shard, as a placement divides a cache. */
    private static long shareOf(long bytes, double share) {
        if (share >= 1) {
            return bytes;
        }
        return share <= 0 ? 0 : (long) Math.ceil(bytes * share);
    }

    /**
     * Returns whether at least one sequence fits, defined as {@code sequences > 0}.
     *
     * @return true when a sequence fits
     */
    @Override
    public boolean fits() {
        return sequences > 0;
    }

    /**
     * Returns the fractional concurrency vLLM prints ("Maximum concurrency for N tokens per request"), defined as
     * {@code (sequences * bytesPerSequence + headroomBytes) / bytesPerSequence}: the memory for sequences over what
     * one holds. Negative when not even the weights fit.
     *
     * @return sequences, fractional; infinite when a sequence holds nothing on the limiting device
     */
    public double maxConcurrency() {
        return ((double) sequences * bytesPerSequence + headroomBytes) / bytesPerSequence;
    }

    /** The plan with the limiting device as the solvers track it: its index, or -1 for none. */
    ConcurrencyPlan(int tokensPerSequence, int sequences, boolean paged, Binding binding, int device,
            long headroomBytes, long bytesPerSequence, DecodeSpeed decode, Estimate estimate) {
        this(tokensPerSequence, sequences, paged, binding, Fit.index(device), headroomBytes, bytesPerSequence,
                decode, estimate);
    }

    @Override
    public String toString() {
        return "ConcurrencyPlan[" + estimate.weights().model().name() + ": " + sequences + " x " + tokensPerSequence
                + " tokens (" + (paged ? "vLLM paged" : "llama.cpp slots") + "), " + binding
                + Fit.deviceName(estimate, limitingDeviceIndex) + ", headroom " + Fit.bytes(headroomBytes)
                + String.format(Locale.ROOT, ", %.1f tok/s aggregate]", decode.tokensPerSecond());
    }
}
