package io.github.llmestimator.runtime;

import io.github.llmestimator.memory.KvCacheType;
import io.github.llmestimator.model.ModelSpec;
import io.github.llmestimator.quant.QuantScheme;
import java.util.Objects;

/**
 * SGLang: a token pool sized so that weights and pool together take {@code --mem-fraction-static} of the memory free
 * before the weights load ({@code profile_max_num_token} in {@code python/sglang/srt/model_executor/model_runner.py},
 * later {@code model_runner_kv_cache_mixin.py}: {@code rest_memory = available_gpu_memory - total_gpu_memory * (1 -
 * mem_fraction_static)}, where {@code total_gpu_memory} is the free memory measured before loading, after the CUDA
 * context and the distributed groups exist, and {@code available_gpu_memory} the free memory after loading). With
 * {@code context} what the process holds at that first measurement:
 * <pre>
 * pool   = floor(memFractionStatic * (gpu - context)) - weights
 * tokens = floor(pool / bytesPerToken)          ("KV Cache is allocated. #tokens: N", "max_total_num_tokens=N")
 * </pre>
 * Activations and CUDA graphs live in the remaining {@code 1 - memFractionStatic}, outside the pool. The cache of a
 * token is vLLM's ({@link Vllm}); SGLang's pages are one token by default, so no block rounding.
 *
 * @param memFractionStatic the share of each GPU for weights and pool ({@code --mem-fraction-static}), in (0, 1]
 * @param kvCacheBytesPerElement bytes per cached element: 2 for {@code auto} on a 16-bit model, 1 for {@code fp8_e4m3}
 * @param contextBytes what the process holds on the GPU when SGLang first measures it (CUDA context, NCCL and
 *     custom all-reduce buffers), at least 0
 */
public record SgLang(double memFractionStatic, int kvCacheBytesPerElement, long contextBytes) implements Runtime {

    /**
     * What the process holds when SGLang first measures the GPU, 2,385 MiB: fitted on the one published line of a
     * four-GPU NVLink group found with all its inputs (vllm#21348: Qwen3-235B-A22B-FP8 on four H100s at fraction
     * 0.93, "KV Cache is allocated. #tokens: 367404"), where it needs 2.33 GiB: CUDA context, NCCL and custom
     * all-reduce buffers. Four PCIe L4s, where SGLang turns custom all-reduce off, held 0.86 GiB
     * (didier-durand/llms-in-clouds, "Load weight begin. avail mem=21.63 GB" of the L4's 23,034 MiB), so the figure
     * depends on the interconnect; that log is 34 % below this estimate.
     */
    public static final long CONTEXT_BYTES = 2385L << 20;

    /**
     * SGLang's documented default fraction, 0.9 ("The default value is 0.9", its README as quoted in
     * sgl-project/sglang#322); newer releases pick one by GPU memory and parallelism, so pass the value the log shows.
     */
    public static final SgLang DEFAULTS = new SgLang(0.9, 2, CONTEXT_BYTES);

    private static final SupportedArchitectures ARCHITECTURES = SupportedArchitectures.read("sglang");

    /**
     * Validates the settings.
     *
     * @param memFractionStatic the share, in (0, 1]
     * @param kvCacheBytesPerElement 1 or 2
     * @param contextBytes at least 0
     * @throws IllegalArgumentException if a setting is out of range
     */
    public SgLang {
        if (!(memFractionStatic > 0 && memFractionStatic <= 1)) {
            throw new IllegalArgumentException(
                    "memFractionStatic: " + memFractionStatic + " (expected: > 0 and <= 1)");
        }
        if (kvCacheBytesPerElement != 1 && kvCacheBytesPerElement != 2) {
            throw new IllegalArgumentException("kvCacheBytesPerElement: " + kvCacheBytesPerElement
                    + " (expected: 2 for auto on a 16-bit model, 1 for fp8)");
        }
        Checks.nonNegative("contextBytes", contextBytes);
    }

    /**
     * Returns a copy with another fraction.
     *
     * @param memFractionStatic the share, in (0, 1]
     * @return the copy; this instance is immutable and unaffected by this method call
     * @throws IllegalArgumentException if the share is not in (0, 1]
     */
    public SgLang withMemFractionStatic(double memFractionStatic) {
        return new SgLang(memFractionStatic, kvCacheBytesPerElement, contextBytes);
    }

    /**
     * Computes the pool SGLang allocates on each GPU of a tensor-parallel group (formulas in the class comment).
     *
     * @param model the model, not null; every cached layer full attention or MLA
     * @param weightBytes the weights of the whole model, at least 0; each GPU holds {@code 1 / tensorParallel}
     * @param gpuMemoryBytes each GPU's memory as CUDA reports it, at least 1
     * @param tensorParallel GPUs sharing the model ({@code --tp}), 1 to
     *     {@value io.github.llmestimator.hardware.TensorParallel#MAX_DEVICES}
     * @param contextLength the length of one request ({@code --context-length}), at least 1
     * @return the pool on one GPU
     * @throws NullPointerException if {@code model} is null
     * @throws IllegalArgumentException if a count is out of range, the GPU's memory is not more than
     *     {@link #contextBytes()}, or a cached layer has a sliding window or a recurrent state
     */
    public PagedPool pool(ModelSpec model, long weightBytes, long gpuMemoryBytes, int tensorParallel,
            int contextLength) {
        Objects.requireNonNull(model, "model");
        Checks.nonNegative("weightBytes", weightBytes);
        Checks.positive("gpuMemoryBytes", gpuMemoryBytes);
        Checks.tensorParallel(tensorParallel);
        Checks.positive("contextLength", contextLength);
        long measured = gpuMemoryBytes - contextBytes;
        if (measured < 1) {
            throw new IllegalArgumentException("gpuMemoryBytes: " + gpuMemoryBytes + " (expected: more than the"
                    + " context of " + contextBytes + " bytes)");
        }
        long budget = (long) Math.floor(memFractionStatic * gpuMemoryBytes);
        long share = (long) Math.floor(memFractionStatic * measured);
        long weights = weightBytes / tensorParallel;
        long pool = share - weights;
        long perToken = Vllm.DEFAULTS.withKvCacheBytesPerElement(kvCacheBytesPerElement)
                .bytesPerToken(model, tensorParallel);
        long tokens = pool <= 0 ? 0 : pool / perToken;
        return new PagedPool(name(), gpuMemoryBytes, budget, weights, 0, budget - share, pool, perToken, tokens,
                contextLength);
    }

    @Override
    public String name() {
        return "SGLang";
    }

    @Override
    public String id() {
        return "sglang";
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
