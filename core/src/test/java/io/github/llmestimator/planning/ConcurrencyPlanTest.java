package io.github.llmestimator.planning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.llmestimator.Estimator;
import io.github.llmestimator.hardware.Deployment;
import io.github.llmestimator.hardware.Device;
import io.github.llmestimator.hardware.DeviceKind;
import io.github.llmestimator.quant.QuantScheme;
import io.github.llmestimator.testing.ReferenceModels;
import org.junit.jupiter.api.Test;
import java.util.OptionalInt;

/**
 * Worked examples of {@link ConcurrencyPlan}: Llama-3.1-8B BF16 serving requests of 32,768 tokens on one 80 GiB GPU
 * (85,899,345,920 B, an H100), every figure by hand.
 *
 * <p>The BF16 weights are 16,061,054,976 B, the logits 513,024 B per sequence, the allowance 1 GiB; a sequence's KV
 * cache is 32,768 x 131,072 = 4,294,967,296 B (4 GiB) in both accountings.
 */
final class ConcurrencyPlanTest {

    private static final Device H100 = Device.builder("H100 80GB", DeviceKind.DISCRETE_GPU).memoryBytes(80L << 30)
            .memoryBandwidthGBps(3350).build();

    private static Estimator llama(QuantScheme scheme) {
        return Estimator.of(ReferenceModels.llama31_8b()).quant(scheme).on(H100);
    }

    /**
     * vLLM's view: it may take floor(0.92 x 85,899,345,920) = 79,027,398,246 B. The estimate of one sequence holds
     * 16,061,054,976 (weights) + 513,024 (logits) + 279,447,552 (compute buffer, llama.cpp's at these widths: the
     * output stage 4 x 512 x (128,256 + 2 x 4096) above the token ids' freed 4 x 512) + 1,073,741,824 (allowance) =
     * 17,414,757,376 B besides the cache, leaving 61,612,640,870 B. A request needs cdiv(32768, 16) = 2048 blocks of 16
     * tokens in each of 32 layers, 2 x 8 x 128 x 2 B per token and layer: 4,294,967,296 B. So 61,612,640,870 /
     * 4,294,967,296 = 14.35: 14 requests, 1,483,098,726 B to spare. (vLLM prints this as "Maximum concurrency for 32768
     * tokens per request: 14.35x".)
     */
    @Test
    void concurrency_paged_llama31_8b_bf16_h100() {
        ConcurrencyPlan plan = ConcurrencyPlan.of(llama(QuantScheme.BF16), 32_768, PagedKvCache.VLLM_DEFAULTS);
        assertEquals(14, plan.sequences());
        assertTrue(plan.paged());
        assertEquals(Binding.KV_CACHE, plan.binding());
        assertEquals(OptionalInt.of(0), plan.limitingDeviceIndex());
        assertEquals(4_294_967_296L, plan.bytesPerSequence());
        assertEquals(1_483_098_726L, plan.headroomBytes());
        assertEquals(61_612_640_870.0 / 4_294_967_296L, plan.maxConcurrency(), 1e-12);
        assertEquals(16_061_054_976L, plan.estimate().weightBytes());
        assertEquals(14, plan.decode().sequences());
    }

    /**
     * llama.cpp's view, {@code -np n -c n x 32768} with all of the GPU: 15 slots hold 16,061,054,976 + 15 x
     * 4,294,967,296 + 15 x 513,024 + 279,660,608 (the compute buffer llama.cpp v0.4.0 allocates: it rounds the
     * 512-token micro-batch up to 35 tokens for each of the 15 sequences, 525 in all, so the output stage holds the
     * token ids 4 x 525 B padded to 2,112, the unused embeddings input 4 x 525 x 4096, the final norm of the 512 output
     * rows 4 x 512 x 4096 and the logits 4 x 512 x 128,256) + 1,073,741,824 = 81,846,662,208 B, 4,052,683,712 B under
     * 85,899,345,920. A sixteenth adds 4,294,967,296 + 513,024 = 4,295,480,320 B and does not fit.
     */
    @Test
    void concurrency_slots_llama31_8b_bf16_h100() {
        Estimator base = llama(QuantScheme.BF16);
        ConcurrencyPlan plan = ConcurrencyPlan.of(base, 32_768);
        assertEquals(15, plan.sequences());
        assertFalse(plan.paged());
        assertEquals(Binding.KV_CACHE, plan.binding());
        assertEquals(81_846_662_208L, plan.estimate().totalBytes());
        assertEquals(4_052_683_712L, plan.headroomBytes());
        assertFalse(base.parallelSequences(16).context(16 * 32_768).estimate().fits());
        assertEquals(15, plan.decode().sequences());
        assertEquals(32_768, plan.decode().positionTokens());
    }

    /**
     * Tensor parallelism over 4 GPUs with an FP8 cache: each GPU caches 8 / 4 = 2 KV heads, so a request needs 80 x 2
     * x 2 x 128 x 1 B x 32,768 = 1,342,177,280 B per GPU; the first GPU, which also holds the logits, binds.
     */
    @Test
    void concurrency_paged_tensorParallel_fp8() {
        ConcurrencyPlan plan = ConcurrencyPlan.of(Estimator.of(ReferenceModels.llama31_70b()).quant(QuantScheme.FP8)
                .on(Deployment.tensorParallel(H100, 4)), 32_768,
                PagedKvCache.VLLM_DEFAULTS.withCacheBytesPerElement(1));
        assertEquals(1_342_177_280L, plan.bytesPerSequence());
        assertEquals(OptionalInt.of(0), plan.limitingDeviceIndex());
        assertEquals(44, plan.sequences());
    }

    /** Short sequences on a big GPU reach llama.cpp's 256 parallel sequences before memory runs out. */
    @Test
    void concurrency_slots_reachLlamaMaxSeq() {
        ConcurrencyPlan plan = ConcurrencyPlan.of(llama(QuantScheme.Q4_K_M), 1024);
        assertEquals(ConcurrencyPlan.LLAMA_MAX_SEQUENCES, plan.sequences());
        assertEquals(Binding.SEARCH_LIMIT, plan.binding());
        assertTrue(plan.headroomBytes() > 0);
    }

    /** Weights larger than the GPU: no sequence fits, and the plan says by how much, in both accountings. */
    @Test
    void concurrency_weightsTooLarge_doesNotFit() {
        Estimator base = Estimator.of(ReferenceModels.llama31_70b()).quant(QuantScheme.BF16).on(H100);
        ConcurrencyPlan slots = ConcurrencyPlan.of(base, 4096);
        assertFalse(slots.fits());
        assertEquals(0, slots.sequences());
        assertEquals(Binding.WEIGHTS, slots.binding());
        assertTrue(slots.shortfallBytes() > 50_000_000_000L);
        ConcurrencyPlan paged = ConcurrencyPlan.of(base, 4096, PagedKvCache.VLLM_DEFAULTS);
        assertFalse(paged.fits());
        assertEquals(Binding.WEIGHTS, paged.binding());
        assertTrue(paged.maxConcurrency() < 0);
    }

    @Test
    void concurrency_tokensNotPositive() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ConcurrencyPlan.of(llama(QuantScheme.Q4_K_M), 0));
        assertEquals("tokensPerSequence: 0 (expected: >= 1)", e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> ConcurrencyPlan.of(llama(QuantScheme.Q4_K_M), Integer.MAX_VALUE,
                        PagedKvCache.VLLM_DEFAULTS));
    }

    @Test
    void concurrency_withoutDeployment() {
        Estimator base = Estimator.of(ReferenceModels.llama31_8b()).quant(QuantScheme.Q4_K_M);
        assertThrows(IllegalStateException.class, () -> ConcurrencyPlan.of(base, 4096));
        assertThrows(IllegalStateException.class, () -> ConcurrencyPlan.of(base, 4096, PagedKvCache.VLLM_DEFAULTS));
    }

    @Test
    void concurrency_nullCache() {
        NullPointerException e = assertThrows(NullPointerException.class,
                () -> ConcurrencyPlan.of(llama(QuantScheme.Q4_K_M), 4096, null));
        assertEquals("cache", e.getMessage());
    }

    @Test
    void pagedKvCache_outOfRange() {
        assertThrows(IllegalArgumentException.class, () -> new PagedKvCache(0, 16, 2048, 2));
        assertThrows(IllegalArgumentException.class, () -> new PagedKvCache(1.01, 16, 2048, 2));
        assertThrows(IllegalArgumentException.class, () -> new PagedKvCache(0.9, 0, 2048, 2));
        assertThrows(IllegalArgumentException.class, () -> new PagedKvCache(0.9, 16, 0, 2));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PagedKvCache.VLLM_DEFAULTS.withCacheBytesPerElement(3 + 2));
        assertEquals("cacheBytesPerElement: 5 (expected: 1 to 4)", e.getMessage());
    }
}
