package io.github.llmestimator.runtime;

import io.github.llmestimator.memory.KvCacheType;
import io.github.llmestimator.internal.memory.KvLayout;
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
 * The activation peak is the larger of the profiling run's two stages, which run one after the other
 * ({@code vllm/worker/model_runner.py} {@code GPUModelRunnerBase.profile_run} in V0): {@code maxNumBatchedTokens}
 * tokens through the model, whose peak is in a feed-forward block, then the sampler on {@code maxNumSeqs} sequences
 * with top-k and top-p on ("Enable top-k sampling to reflect the accurate memory usage"):
 * <pre>
 * forward    = T * 2 * (3 * F / tp + 3 * H)
 * sampler    = S * V * {@value #SAMPLER_BYTES_PER_LOGIT}
 * activation = max(forward, sampler)
 * </pre>
 * In the forward stage the 16-bit tensors live at the peak are the gate-and-up output (2F), the activated product
 * (F) and three hidden-wide rows (the residual, the normed input, the output), F being the feed-forward width a token
 * passes (the dense width, or the used experts' and shared experts' widths) and H the hidden size; on vllm#10517's
 * RTX 3090 logs it gives 2.06 and 2.99 GiB where vLLM measured 2.07 and 2.99 GiB. The sampler stage holds
 * {@code S x V} tensors of the vocabulary V at once: the float32 logits, their sorted copy with int64 indices, the
 * softmax, its cumulative sum, the masks and the re-scattered logits ({@code vllm/model_executor/layers/sampler.py}
 * {@code _apply_top_k_top_p}), {@link #SAMPLER_BYTES_PER_LOGIT} bytes per logit in all. This stage is why short
 * contexts of models with large vocabularies measure about 1.4 GiB of activations whatever their size (Qwen2.5's
 * 152,064 tokens x 256 sequences).
 *
 * <p>Non-torch memory (cuBLAS workspaces, the CUDA context's growth, NCCL buffers) is a constant,
 * {@link #NON_TORCH_BYTES}, taken from one published log and judged on the others (the test
 * {@code PublishedRuntimeFiguresTest} in catalog-data prints each row). With tensor parallelism every GPU runs the
 * forward stage but only the first (the driver) samples, and vLLM sizes every GPU's pool by the smallest
 * ({@code determine_num_available_blocks} of {@code vllm/executor/distributed_gpu_executor.py}, later
 * {@code executor_base.py}, takes the minimum over the workers), so the sampler stage counts on every GPU here:
 * vllm#13061's second RTX 4090 printed 0.19 GiB of activations and 8.69 GiB of cache, yet the pool holds 81,536
 * tokens, the 7.46 GiB the first GPU had left after its 1.4 GiB sampler stage. CUDA-graph memory is captured after
 * the cache is sized in the releases those logs come from (V0, and V1 up to 0.18); vLLM 0.19 counts it first
 * ({@code VLLM_MEMORY_PROFILER_ESTIMATE_CUDAGRAPHS}), which this accounting does not model.
 *
 * <p>V1 from its start until vllm#19312 (June 2025) measured differently, and this accounting does not follow it. Its
 * {@code determine_available_memory} ({@code vllm/v1/worker/gpu_worker.py}, the same lines at 4078052f0 of January
 * 2025 and at 340d7b1b2 of April 2025) added to torch's allocated peak all the device held beyond torch's live
 * tensors after the run ({@code mem_get_info} total less free, less {@code allocated_bytes.all.current}): the CUDA
 * context and other processes' memory counted too, where V0 subtracts what was in use before the model loaded. Until
 * vllm#13594 (February 2025) its {@code profile_run} ({@code gpu_model_runner.py}) computed the 16-bit logits of every
 * batched token and had no sampler stage, and {@code vllm serve} batched 8,192 tokens on an H100 (vllm#12369,
 * {@code _override_v1_engine_args}). On vllm PR #12569's log from that engine (a 70B w8a8 model on an H100 at 0.98)
 * those lines give 0.13 GiB of runner buffers and a 2.08 GiB logits stage, which leaves 0.96 GiB of the 3.17 GiB
 * beside weights and cache to non-torch memory; the one published figure of that measurement, 0.35 GiB on an RTX 3090
 * (vllm#10517: V0 0.6.4 ran the same lines), puts such an estimate 9 % above, within 5 % needs 0.63 to 1.30 GiB, and
 * no H100 figure of it is published in the logs found, so the engine is not modelled here; this accounting, which
 * gives that release's 1,024 sequences a sampler stage, is 27 % below. vllm PR #17122's log (main of April 2025, an
 * L40S at 0.9) left 5.62 GiB beside weights and cache where those lines give a 1.19 GiB sampler stage: 4.4 GiB of
 * non-torch memory, which no published figure comes near (the measurement also counted other processes' memory,
 * vllm#19312 says), so the estimate is 21 % above.
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
     * Non-torch memory, 256 MiB: the {@code non_torch_memory takes 0.25GiB} vLLM 0.7 printed for each RTX 4090 of
     * vllm#13061 (DeepSeek-R1-Distill-Qwen-14B on two GPUs). Other logs print 0.01 to 0.35 GiB on one GPU of 0.6.4 and
     * later (1.79 GiB on an H100 in vllm#10511, a 0.6.5 build from before vllm#12126 polished the measurement); every
     * log but vllm#13061's is held out.
     */
    public static final long NON_TORCH_BYTES = 256L << 20;

    /**
     * Bytes the sampler stage of the profiling run holds per logit of {@code maxNumSeqs x vocabulary}, 39: fitted on
     * xming521/WeClone#101 (Qwen2.5-7B, 256 sequences of a 152,064-token vocabulary, whose forward stage at 3,072
     * tokens is 0.40 GiB), which printed {@code PyTorch activation peak memory takes 1.41GiB}: 1.41 GiB / (256 x
     * 152,064) = 38.9 bytes. Counting the tensors of {@code _apply_top_k_top_p} alive at once (float32 logits, sorted
     * logits, int64 indices, softmax, cumulative sum, masks, scattered result) gives about 30; the rest is not
     * accounted tensor by tensor. Held out: Phi-4's 100,352-token vocabulary measured 0.94 GiB at 2,048 tokens (this
     * gives 0.93), vllm#13882's Qwen2.5-7B 1.42 GiB at 4,096 tokens (1.41).
     */
    public static final int SAMPLER_BYTES_PER_LOGIT = 39;

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
        long forward = Math.multiplyExact(tokensProfiled * 2,
                3 * (feedForwardWidth(model) / tensorParallel) + 3L * model.hiddenSize());
        long sampler = Math.multiplyExact(seqsProfiled * model.vocabularySize(), (long) SAMPLER_BYTES_PER_LOGIT);
        long activation = Math.max(forward, sampler);
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
