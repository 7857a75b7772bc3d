package io.github.llmestimator.planning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.llmestimator.Estimator;
import io.github.llmestimator.hardware.Device;
import io.github.llmestimator.hardware.DeviceKind;
import io.github.llmestimator.memory.DataSize;
import io.github.llmestimator.memory.KvCacheType;
import io.github.llmestimator.model.ModelSpec;
import io.github.llmestimator.quant.QuantScheme;
import io.github.llmestimator.testing.ReferenceModels;
import org.junit.jupiter.api.Test;
import java.util.OptionalInt;

/**
 * Worked examples of {@link ContextPlan}: Llama-3.1-8B Q4_K_M on one GPU, with every figure computed by hand.
 *
 * <p>The fixed part, on a GPU holding everything ({@code Deployment.of(gpu)}): weights 4,912,898,048 B (the Q4_K_M
 * tensor data; bartowski's file is 4.92 GB with its metadata), logits 4 x 128,256 = 513,024 B, runtime allowance
 * 1 GiB = 1,073,741,824 B; together 5,987,152,896 B. The compute buffer (flash attention, micro-batch 512) is the one
 * llama.cpp v0.4.0 allocates at these widths (LlamaCppOracle measures it at 512, 8192 and 32,768 cells): its output
 * stage, 4 x 512 x (128,256 + 2 x 4096) + 4 x 512 = 279,447,552 B, at every context here with an f16 cache. The KV
 * cache is n x 32 layers
 * x 8 KV heads x 128 x (K + V): 131,072 B per cell at f16, and 32 x 2 x (1024 / 32 x 34) = 69,632 B per cell at q8_0.
 */
final class ContextPlanTest {

    private static final ModelSpec LLAMA = ReferenceModels.llama31_8b();

    private static Device gpu(long gib) {
        return Device.builder(gib + " GiB GPU", DeviceKind.DISCRETE_GPU).memoryBytes(gib << 30)
                .memoryBandwidthGBps(1008).build();
    }

    private static Estimator llama(KvCacheType cache, long gib) {
        return Estimator.of(LLAMA).quant(QuantScheme.Q4_K_M).kvCacheType(cache).on(gpu(gib));
    }

    /**
     * 24 GiB, f16: the trained context of 131,072 fits. KV 131,072 x 131,072 = 17,179,869,184; compute: 279,447,552,
     * what llama.cpp v0.4.0 allocates at these widths with flash attention (LlamaCppOracle measures it): the output
     * stage, logits 4 x 512 x 128,256 beside the final norm's output and the unused embeddings input (4 x 512 x 4096
     * each), above the token ids' freed 4 x 512; total 5,987,152,896 + 17,179,869,184 + 279,447,552 = 23,446,469,632
     * of 25,769,803,776: 2,323,334,144 B (2.16 GiB) to spare, so the trained context binds.
     */
    @Test
    void maxContext_llama31_8b_q4km_24GiB_f16() {
        ContextPlan plan = ContextPlan.of(llama(KvCacheType.F16, 24));
        assertEquals(131_072, plan.contextTokens());
        assertEquals(Binding.TRAINED_CONTEXT, plan.binding());
        assertEquals(OptionalInt.empty(), plan.limitingDeviceIndex());
        assertEquals(23_446_469_632L, plan.estimate().totalBytes());
        assertEquals(2_323_334_144L, plan.headroomBytes());
        assertTrue(plan.fits());
    }

    /**
     * 24 GiB, q8_0: KV 131,072 x 69,632 = 9,126,805,504; compute 287,836,160, llama.cpp's with a quantized cache of
     * 128-wide heads (K and V rotated by Hadamard matrices, llama_kv_cache::build_input_k_rot): the output stage as at
     * f16 plus one more free 4 x 512 x 4096 block below it; total 5,987,152,896 + 9,126,805,504 + 287,836,160 =
     * 15,401,794,560: 10,368,009,216 B (9.66 GiB) to spare at the trained context.
     */
    @Test
    void maxContext_llama31_8b_q4km_24GiB_q8_0() {
        ContextPlan plan = ContextPlan.of(llama(KvCacheType.Q8_0, 24));
        assertEquals(131_072, plan.contextTokens());
        assertEquals(Binding.TRAINED_CONTEXT, plan.binding());
        assertEquals(10_368_009_216L, plan.headroomBytes());
    }

    /**
     * 12 GiB (12,884,901,888 B), f16: 12,884,901,888 - 5,987,152,896 - 279,447,552 (compute) = 6,618,301,440 B for
     * the cache, 6,618,301,440 / 131,072 = 50,493.4 cells, down to a multiple of 256: 197 x 256 = 50,432 tokens.
     * Left: 6,618,301,440 - 50,432 x 131,072 = 8,078,336 B, less than the 256 x 131,072 = 33,554,432 B the next
     * block needs.
     */
    @Test
    void maxContext_llama31_8b_q4km_12GiB_f16() {
        Estimator base = llama(KvCacheType.F16, 12);
        ContextPlan plan = ContextPlan.of(base);
        assertEquals(50_432, plan.contextTokens());
        assertEquals(Binding.KV_CACHE, plan.binding());
        assertEquals(OptionalInt.of(0), plan.limitingDeviceIndex());
        assertEquals(8_078_336L, plan.headroomBytes());
        assertTrue(base.context(50_432).estimate().fits());
        assertFalse(base.context(50_433).estimate().fits());
    }

    /**
     * 12 GiB, q8_0: 12,884,901,888 - 5,987,152,896 - 287,836,160 (compute, as at 24 GiB) = 6,609,912,832 B, / 69,632 =
     * 94,926.4 cells, 370 x 256 = 94,720 tokens, nearly twice f16's. Left: 6,609,912,832 - 94,720 x 69,632 =
     * 14,369,792 B, less than 256 x 69,632 = 17,825,792.
     */
    @Test
    void maxContext_llama31_8b_q4km_12GiB_q8_0() {
        Estimator base = llama(KvCacheType.Q8_0, 12);
        ContextPlan plan = ContextPlan.of(base);
        assertEquals(94_720, plan.contextTokens());
        assertEquals(Binding.KV_CACHE, plan.binding());
        assertEquals(14_369_792L, plan.headroomBytes());
        assertFalse(base.context(94_721).estimate().fits());
    }

    /**
     * Four parallel sequences, one stream each, share the 12 GiB: llama.cpp gives each stream PAD(n_ctx / 4, 256)
     * cells, so the context moves in steps of 4 x 256 = 1024 tokens: 49 x 1024 = 50,176 (12,544 per sequence) fits,
     * while 50,177 pads each stream to 12,800 cells, 51,200 in all, past the 50,432 the GPU holds.
     */
    @Test
    void maxContext_fourSequences_sharesTheCells() {
        ContextPlan plan = ContextPlan.of(llama(KvCacheType.F16, 12).parallelSequences(4));
        assertEquals(50_176, plan.contextTokens());
        assertEquals(12_544, plan.contextTokensPerSequence());
    }

    /** Against a plain budget the plan uses {@code totalBytes()}: 12 GiB gives the same 50,432 tokens. */
    @Test
    void maxContext_budget_sameAsOneDevice() {
        ContextPlan plan = ContextPlan.of(Estimator.of(LLAMA).quant(QuantScheme.Q4_K_M), DataSize.ofGiB(12));
        assertEquals(50_432, plan.contextTokens());
        assertEquals(Binding.KV_CACHE, plan.binding());
        assertEquals(OptionalInt.empty(), plan.limitingDeviceIndex());
        assertEquals(8_078_336L, plan.headroomBytes());
    }

    /**
     * A budget below the weights gives a plan that does not fit, with the shortfall, not an exception. The smallest
     * block, 256 tokens, reserves a micro-batch of min(256, 512) = 256, so its compute buffer is llama.cpp's output
     * stage for 256 tokens: 4 x 256 x (128,256 + 2 x 4096) + 4 x 256 (the token ids) = 139,723,776 B, and its total
     * 5,987,152,896 + 33,554,432 (KV) + 139,723,776 = 6,160,431,104 B: 160,431,104 B (153 MiB) over 6,000,000,000,
     * and still over without the KV cache, so the weights bind. A context of 1 token still pads to 256 cells but
     * reserves a 1-token graph (llama.cpp caps n_batch by the context as asked): the token id (4 B, aligned to 32),
     * the embeddings input and the final norm (4 x 4096 each) and the logits 4 x 128,256 = 545,824 B, a total of
     * 6,021,253,152 B, over too.
     */
    @Test
    void maxContext_budgetBelowWeights_doesNotFit() {
        Estimator base = Estimator.of(LLAMA).quant(QuantScheme.Q4_K_M);
        ContextPlan plan = ContextPlan.of(base, DataSize.ofBytes(6_000_000_000L));
        assertFalse(plan.fits());
        assertEquals(0, plan.contextTokens());
        assertEquals(Binding.WEIGHTS, plan.binding());
        assertEquals(6_021_253_152L, base.context(1).estimate().totalBytes());
        assertEquals(-160_431_104L, plan.headroomBytes());
        assertEquals(160_431_104L, plan.shortfallBytes());
    }

    @Test
    void maxContext_gpuTooSmall_doesNotFitOnTheGpu() {
        ContextPlan plan = ContextPlan.of(llama(KvCacheType.F16, 4));
        assertFalse(plan.fits());
        assertEquals(Binding.WEIGHTS, plan.binding());
        assertEquals(OptionalInt.of(0), plan.limitingDeviceIndex());
        assertTrue(plan.limitingDevice().orElseThrow().headroomBytes() < 0);
        assertTrue(plan.shortfallBytes() > 0);
    }

    @Test
    void maxContext_withoutDeployment() {
        Estimator base = Estimator.of(LLAMA).quant(QuantScheme.Q4_K_M);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> ContextPlan.of(base));
        assertTrue(e.getMessage().startsWith("deployment: not set"), e.getMessage());
    }

    @Test
    void maxContext_withoutScheme() {
        assertThrows(IllegalStateException.class, () -> ContextPlan.of(Estimator.of(LLAMA).on(gpu(24))));
    }

    @Test
    void maxContext_budgetNotPositive() {
        Estimator base = Estimator.of(LLAMA).quant(QuantScheme.Q4_K_M);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ContextPlan.of(base, DataSize.ZERO));
        assertEquals("memoryBytes: 0 (expected: >= 1)", e.getMessage());
    }

    @Test
    void of_nullEstimator() {
        NullPointerException e = assertThrows(NullPointerException.class, () -> ContextPlan.of(null));
        assertEquals("estimator", e.getMessage());
    }

    @Test
    void new_negativeContext() {
        ContextPlan plan = ContextPlan.of(llama(KvCacheType.F16, 24));
        assertThrows(IllegalArgumentException.class,
                () -> new ContextPlan(-1, Binding.KV_CACHE, -1, 0, plan.estimate()));
        assertThrows(IllegalArgumentException.class,
                () -> new ContextPlan(1, Binding.KV_CACHE, 1, 0, plan.estimate()));
    }
}
