package io.github.llmestimator.runtime;

import io.github.llmestimator.memory.KvCacheType;
import io.github.llmestimator.memory.KvLayout;
import io.github.llmestimator.model.MixerBlock;
import io.github.llmestimator.model.FeedForwardBlock;
import io.github.llmestimator.model.DenseFeedForward;
import io.github.llmestimator.model.Layer;
import io.github.llmestimator.model.LatentAttention;
import io.github.llmestimator.model.MixtureOfExperts;
import io.github.llmestimator.model.ModelSpec;
import io.github.llmestimator.quant.QuantScheme;
import java.util.Locale;
import java.util.Objects;

/**
 * vLLM: a paged KV cache in what {@code --gpu-memory-utilization} leaves of each GPU after the weights, the activation
 * peak of the start-up profiling run and memory outside torch's allocator ({@code vllm/worker/worker.py}
 * {@code determine_num_available_blocks} in V0, {@code vllm/v1/worker/gpu_worker.py}
 * {@code determine_available_memory} in V1):
 * <pre>
 * kv     = floor(utilization * (gpu - cudaReserved)) - weights - activation - nonTorch
 * blocks = floor(kv / (blockSize * bytesPerToken)),  tokens = blocks * blockSize
 * concurrency = tokens / max_model_len          ("Maximum concurrency for N tokens per request")
 * </pre>
 * The activation peak is the profiling run's: {@code maxNumBatchedTokens} tokens through the model, whose peak is in
 * a feed-forward block, then the sampler on {@code maxNumSeqs} rows:
 * {@code activation = T * 2 * (3 * F / tp + 3 * H) + S * V * 4}, where the 16-bit tensors live at the peak are the
 * gate-and-up output (2F), the activated product (F) and three hidden-wide rows (the residual, the normed input, the
 * output), F being the feed-forward width a token passes (the dense width, or the used experts' and shared experts'
 * widths) and H the hidden size; the sampler holds float32 logits of {@code maxNumSeqs} rows of the vocabulary V. The
 * formula is vLLM's graph read as a sum of live tensors, not a fit: on vllm#10517's RTX 3090 logs it gives 2.18 and
 * 3.11 GiB where vLLM measured 2.07 and 2.99 GiB.
 *
 * <p>Non-torch memory (cuBLAS workspaces, the CUDA context's growth, NCCL buffers) is a constant,
 * {@link #NON_TORCH_BYTES}, fitted on one published log and judged on the others (the test
 * {@code PublishedVllmLogsTest} in catalog-data prints each row). CUDA-graph memory is captured after the cache is
 * sized in the releases those logs come from (V0, and V1 up to 0.18); vLLM 0.19 counts it first
 * ({@code VLLM_MEMORY_PROFILER_ESTIMATE_CUDAGRAPHS}), which this accounting does not model.
 *
 * <p>Only models whose cached layers all hold full attention (or MLA) are accounted: vLLM's hybrid allocator groups
 * sliding-window and recurrent layers into pages of its own, for which
 * {@link io.github.llmestimator.planning.ConcurrencyPlan#of(io.github.llmestimator.Estimator, int,
 * io.github.llmestimator.planning.PagedKvCache)} remains.
 *
 * @param gpuMemoryUtilization the share of each GPU vLLM may use ({@code --gpu-memory-utilization}), in (0, 1]
 * @param blockSize tokens per cache block ({@code --block-size}), at least 1
 * @param maxNumBatchedTokens tokens of the profiling run ({@code --max-num-batched-tokens}), or 0 for vLLM's default
 *     for the GPU ({@link #defaultMaxNumBatchedTokens(long, String)})
 * @param maxNumSeqs rows of the sampler's profiling run ({@code --max-num-seqs}), or 0 for vLLM's default for the GPU
 * @param kvCacheBytesPerElement bytes per cached element: 2 for {@code --kv-cache-dtype auto} on a 16-bit model, 1 for
 *     {@code fp8}
 * @param nonTorchBytes memory outside torch's allocator, at least 0
 * @param cudaReservedBytes memory of the card CUDA does not report as its total, at least 0
 */
public record Vllm(double gpuMemoryUtilization, int blockSize, int maxNumBatchedTokens, int maxNumSeqs,
        int kvCacheBytesPerElement, long nonTorchBytes, long cudaReservedBytes) implements Runtime {

    /**
     * Non-torch memory, 256 MiB: fitted on the 20,000-token row of vllm#10517 (RTX 3090, Llama-3.1-8B, which printed
     * {@code non_torch_memory=0.35GiB} beside a measured activation peak 0.11 GiB below this formula's); the other
     * published logs are held out.
     */
    public static final long NON_TORCH_BYTES = 256L << 20;

    /**
     * What CUDA keeps of a card's memory from its reported total, 430 MiB: an RTX 3090's 24 GiB against the
     * {@code total_gpu_memory=23.58GiB} vLLM printed in vllm#10517. Data-center cards keep more (an 80 GB H100 reports
     * 79.22 GiB in vllm#10511); give their reported total as the device's memory and 0 here to be exact.
     */
    public static final long CUDA_RESERVED_BYTES = 430L << 20;

    /**
     * vLLM's defaults: utilization 0.92 ({@code --gpu-memory-utilization}, "If unspecified, will use the default value
     * of 0.92", https://docs.vllm.ai/en/stable/cli/serve/; 0.9 before), blocks of 16 tokens, the profiling run's
     * sizes by GPU, a 16-bit cache, {@link #NON_TORCH_BYTES} and {@link #CUDA_RESERVED_BYTES}.
     */
    public static final Vllm DEFAULTS = new Vllm(0.92, 16, 0, 0, 2, NON_TORCH_BYTES, CUDA_RESERVED_BYTES);

    private static final SupportedArchitectures ARCHITECTURES = SupportedArchitectures.read("vllm");

    /**
     * Validates the settings.
     *
     * @param gpuMemoryUtilization the share of each GPU, in (0, 1]
     * @param blockSize tokens per block, at least 1
     * @param maxNumBatchedTokens tokens of the profiling run, at least 0 (0 for the default)
     * @param maxNumSeqs rows of the sampler's profiling run, at least 0 (0 for the default)
     * @param kvCacheBytesPerElement 1 or 2
     * @param nonTorchBytes at least 0
     * @param cudaReservedBytes at least 0
     * @throws IllegalArgumentException if a setting is out of range
     */
    public Vllm {
        if (!(gpuMemoryUtilization > 0 && gpuMemoryUtilization <= 1)) {
            throw new IllegalArgumentException(
                    "gpuMemoryUtilization: " + gpuMemoryUtilization + " (expected: > 0 and <= 1)");
        }
        if (blockSize < 1) {
            throw new IllegalArgumentException("blockSize: " + blockSize + " (expected: >= 1)");
        }
        if (maxNumBatchedTokens < 0) {
            throw new IllegalArgumentException("maxNumBatchedTokens: " + maxNumBatchedTokens
                    + " (expected: >= 1, or 0 for vLLM's default)");
        }
        if (maxNumSeqs < 0) {
            throw new IllegalArgumentException(
                    "maxNumSeqs: " + maxNumSeqs + " (expected: >= 1, or 0 for vLLM's default)");
        }
        if (kvCacheBytesPerElement != 1 && kvCacheBytesPerElement != 2) {
            throw new IllegalArgumentException("kvCacheBytesPerElement: " + kvCacheBytesPerElement
                    + " (expected: 2 for auto on a 16-bit model, 1 for fp8)");
        }
        Checks.nonNegative("nonTorchBytes", nonTorchBytes);
        Checks.nonNegative("cudaReservedBytes", cudaReservedBytes);
    }

    /**
     * Returns vLLM's default {@code --max-num-batched-tokens} for {@code vllm serve} on a GPU (V1,
     * {@code vllm/engine/arg_utils.py} {@code EngineArgs.get_batch_defaults}, whose A100 exception cites vLLM PR
     * #17885): 8192 on GPUs of at least 70 GiB other than the A100, else 2048.
     *
     * @param gpuMemoryBytes the GPU's memory as CUDA reports it
     * @param gpuName the GPU's name, not null
     * @return tokens
     * @throws NullPointerException if {@code gpuName} is null
     * @throws IllegalArgumentException if {@code gpuMemoryBytes} is not positive
     */
    public static int defaultMaxNumBatchedTokens(long gpuMemoryBytes, String gpuName) {
        return largeGpu(gpuMemoryBytes, gpuName) ? 8192 : 2048;
    }

    /**
     * Returns vLLM's default {@code --max-num-seqs} for {@code vllm serve} on a GPU (same source): 1024 on GPUs of at
     * least 70 GiB other than the A100, else 256.
     *
     * @param gpuMemoryBytes the GPU's memory as CUDA reports it
     * @param gpuName the GPU's name, not null
     * @return sequences
     * @throws NullPointerException if {@code gpuName} is null
     * @throws IllegalArgumentException if {@code gpuMemoryBytes} is not positive
     */
    public static int defaultMaxNumSeqs(long gpuMemoryBytes, String gpuName) {
        return largeGpu(gpuMemoryBytes, gpuName) ? 1024 : 256;
    }

    private static boolean largeGpu(long gpuMemoryBytes, String gpuName) {
        Checks.positive("gpuMemoryBytes", gpuMemoryBytes);
        Objects.requireNonNull(gpuName, "gpuName");
        return gpuMemoryBytes >= 70L << 30 && !gpuName.toLowerCase(Locale.ROOT).contains("a100");
    }

    /**
     * Returns a copy with another memory share.
     *
     * @param gpuMemoryUtilization the share, in (0, 1]
     * @return the copy; this instance is immutable and unaffected by this method call
     * @throws IllegalArgumentException if the share is not in (0, 1]
     */
    public Vllm withGpuMemoryUtilization(double gpuMemoryUtilization) {
        return new Vllm(gpuMemoryUtilization, blockSize, maxNumBatchedTokens, maxNumSeqs, kvCacheBytesPerElement,
                nonTorchBytes, cudaReservedBytes);
    }

    /**
     * Returns a copy with other profiling-run sizes.
     *
     * @param maxNumBatchedTokens tokens of the profiling run, at least 0 (0 for the default)
     * @param maxNumSeqs rows of the sampler's run, at least 0 (0 for the default)
     * @return the copy; this instance is immutable and unaffected by this method call
     * @throws IllegalArgumentException if a size is negative
     */
    public Vllm withProfileSizes(int maxNumBatchedTokens, int maxNumSeqs) {
        return new Vllm(gpuMemoryUtilization, blockSize, maxNumBatchedTokens, maxNumSeqs, kvCacheBytesPerElement,
                nonTorchBytes, cudaReservedBytes);
    }

    /**
     * Returns a copy with another cache element size.
     *
     * @param kvCacheBytesPerElement 2 for {@code auto}, 1 for {@code fp8}
     * @return the copy; this instance is immutable and unaffected by this method call
     * @throws IllegalArgumentException if {@code kvCacheBytesPerElement} is not 1 or 2
     */
    public Vllm withKvCacheBytesPerElement(int kvCacheBytesPerElement) {
        return new Vllm(gpuMemoryUtilization, blockSize, maxNumBatchedTokens, maxNumSeqs, kvCacheBytesPerElement,
                nonTorchBytes,
                cudaReservedBytes);
    }

    /**
     * Returns a copy with another CUDA reserve (0 when the device's memory is already CUDA's reported total).
     *
     * @param cudaReservedBytes the reserve, at least 0
     * @return the copy; this instance is immutable and unaffected by this method call
     * @throws IllegalArgumentException if {@code cudaReservedBytes} is negative
     */
    public Vllm withCudaReservedBytes(long cudaReservedBytes) {
        return new Vllm(gpuMemoryUtilization, blockSize, maxNumBatchedTokens, maxNumSeqs, kvCacheBytesPerElement,
                nonTorchBytes, cudaReservedBytes);
    }

    /**
     * Computes the cache vLLM allocates on each GPU of a tensor-parallel group (formulas in the class comment).
     *
     * @param model the model, not null; every cached layer full attention or MLA
     * @param weightBytes the weights of the whole model, at least 0; each GPU holds {@code 1 / tensorParallel}
     * @param gpuMemoryBytes each GPU's memory, at least 1
     * @param gpuName the GPU's name (the defaults depend on it), not null
     * @param tensorParallel GPUs sharing the model ({@code --tensor-parallel-size}), 1 to
     *     {@value io.github.llmestimator.hardware.TensorParallel#MAX_DEVICES}
     * @param maxModelLen the length of one request ({@code --max-model-len}), at least 1
     * @return the pool on one GPU
     * @throws NullPointerException if {@code model} or {@code gpuName} is null
     * @throws IllegalArgumentException if a count is out of range, or a cached layer has a sliding window or a
     *     recurrent state
     */
    public PagedPool pool(ModelSpec model, long weightBytes, long gpuMemoryBytes, String gpuName, int tensorParallel,
            int maxModelLen) {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(gpuName, "gpuName");
        Checks.nonNegative("weightBytes", weightBytes);
        Checks.positive("gpuMemoryBytes", gpuMemoryBytes);
        Checks.tensorParallel(tensorParallel);
        Checks.positive("maxModelLen", maxModelLen);
        long visible = gpuMemoryBytes - cudaReservedBytes;
        if (visible < 1) {
            throw new IllegalArgumentException("gpuMemoryBytes: " + gpuMemoryBytes + " (expected: more than the CUDA"
                    + " reserve of " + cudaReservedBytes + " bytes)");
        }
        long budget = (long) Math.floor(gpuMemoryUtilization * visible);
        long tokensProfiled = maxNumBatchedTokens > 0 ? maxNumBatchedTokens
                : defaultMaxNumBatchedTokens(visible, gpuName);
        long seqsProfiled = maxNumSeqs > 0 ? maxNumSeqs : defaultMaxNumSeqs(visible, gpuName);
        long activation = Math.addExact(
                Math.multiplyExact(tokensProfiled * 2, 3 * (feedForwardWidth(model) / tensorParallel)
                        + 3L * model.hiddenSize()),
                seqsProfiled * model.vocabularySize() * 4);
        long weights = weightBytes / tensorParallel;
        long kv = budget - weights - activation - nonTorchBytes;
        long perToken = bytesPerToken(model, tensorParallel);
        long blockBytes = Math.multiplyExact(perToken, (long) blockSize);
        long tokens = kv <= 0 ? 0 : kv / blockBytes * blockSize;
        return new PagedPool(name(), visible, budget, weights, activation, nonTorchBytes, kv, perToken, tokens,
                maxModelLen);
    }

    /** Returns the feed-forward width a token passes, the widest over the layers. */
    static long feedForwardWidth(ModelSpec model) {
        long widest = 0;
        for (Layer layer : model.layers()) {
            FeedForwardBlock block = layer.feedForward();
            long width = 0;
            if (block instanceof DenseFeedForward) {
                width = ((DenseFeedForward) block).intermediateSize();
            } else if (block instanceof MixtureOfExperts) {
                MixtureOfExperts moe = (MixtureOfExperts) block;
                width = (long) moe.expertsPerToken() * moe.expertSize() + moe.sharedSize();
            }
            widest = Math.max(widest, width);
        }
        return widest;
    }

    /**
     * Returns the cache one token costs on one GPU: KvLayout's bytes per cell at 2 bytes per element, scaled to the
     * cache type and divided over the GPUs as vLLM shards attention (by key-value head, replicating a head when there
     * are more GPUs than heads; an MLA latent is replicated whole).
     */
    long bytesPerToken(ModelSpec model, int tensorParallel) {
        int keyValueHeads = 0;
        boolean latent = false;
        for (Layer layer : KvLayout.cachedLayers(model)) {
            MixerBlock a = layer.mixer();
            if (!a.hasKvCache() || a.slidingWindowTokens() > 0) {
                throw new IllegalArgumentException("model " + model.name() + ": a layer with a sliding window or a"
                        + " recurrent state (expected: full attention or MLA in every cached layer; vLLM's hybrid"
                        + " cache is in Estimator.concurrency(tokens, PagedKvCache))");
            }
            latent |= a instanceof LatentAttention;
            keyValueHeads = Math.max(keyValueHeads, a.keyValueHeads());
        }
        long sixteenBit = KvLayout.of(model, KvCacheType.BF16, KvCacheType.BF16, true).fullAttentionBytesPerCell();
        long bytes = sixteenBit / 2 * kvCacheBytesPerElement;
        if (latent || tensorParallel == 1) {
            return bytes;
        }
        long shards = Math.min(tensorParallel, Math.max(1, keyValueHeads));
        return (bytes + shards - 1) / shards;
    }

    @Override
    public String name() {
        return "vLLM";
    }

    @Override
    public String id() {
        return "vllm";
    }

    @Override
    public boolean loads(QuantScheme scheme) {
        return !Objects.requireNonNull(scheme, "scheme").isGguf();
    }

    @Override
    public KvCacheType defaultKvCacheType() {
        return KvCacheType.BF16;
    }

    @Override
    public SupportedArchitectures architectures() {
        return ARCHITECTURES;
    }

    @Override
    public boolean llamaCppKernels() {
        return false;
    }
}
