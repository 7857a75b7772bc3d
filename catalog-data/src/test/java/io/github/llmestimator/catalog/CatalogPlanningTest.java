package io.github.llmestimator.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.llmestimator.Estimate;
import io.github.llmestimator.Estimator;
import io.github.llmestimator.hardware.Deployment;
import io.github.llmestimator.hardware.Device;
import io.github.llmestimator.hardware.DeviceUsage;
import io.github.llmestimator.hardware.ExpertsInSystemRam;
import io.github.llmestimator.hardware.GpuLayers;
import io.github.llmestimator.memory.KvCacheType;
import io.github.llmestimator.model.TensorRole;
import io.github.llmestimator.planning.Binding;
import io.github.llmestimator.planning.ContextPlan;
import io.github.llmestimator.planning.DecodeTarget;
import io.github.llmestimator.planning.HardwarePlan;
import io.github.llmestimator.planning.OffloadPlan;
import io.github.llmestimator.quant.QuantScheme;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/** Worked examples of the planning solvers on catalog presets (issue 6), and {@link CatalogPlanning}. */
final class CatalogPlanningTest {

    /** 256 GB of DDR5 (4 x 64 GB at 5600 MT/s, dual channel, 89.6 GB/s): a desktop's most. */
    private static final Device DDR5_256 = Hardware.DDR5_5600_DUAL_CHANNEL.withMemoryBytes(256L << 30);

    /**
     * The example: Qwen3.5-397B-A17B at Q4_K_M, a context of 32,768, on one RTX 5090 (32 GiB =
     * 34,359,738,368 B) and 256 GiB of DDR5 (274,877,906,944 B).
     *
     * <p>The model is a mixture of experts, so the GPU keeps every dense tensor and every cache and takes experts
     * layer by layer from the last ({@code --n-cpu-moe k}). Loaded weights are 240,026,217,472 B, of which routed
     * experts 233,488,515,072 (4,177,526,784 B in a layer whose ffn_down_exps gets Q6_K, 3,623,878,656 in the others;
     * the last seven layers are of the first kind) and the embedding 572,129,280 (in system RAM). With every expert in
     * RAM (k = 60) the GPU holds 240,026,217,472 - 233,488,515,072 - 572,129,280 = 5,965,573,120 B of weights (the
     * shared-expert gates ffn_gate_inp_shexp, 60 x 4096 x 4 B, included), KV
     * 15 full-attention layers x 32,768 x 2 x 2 KV heads x 256 x 2 B = 1,006,632,960, the DeltaNet state 45 x 4 x
     * (3 x (2 x 16 x 128 + 64 x 128) + 128 x 64 x 128) = 195,379,200, the compute buffer 533,727,232 (llama.cpp's
     * output stage for Qwen3.5: the logits 4 x 512 x 248,320 beside the final norm, itself a graph output, the output
     * rows taken from it and the unused embeddings input, 4 x 512 x 4096 each, above the token ids' freed 4 x 512) and
     * the 1 GiB allowance: 8,775,054,336 B, leaving 25,584,684,032. Six layers of experts (54-59, 6 x 4,177,526,784 =
     * 25,065,160,704 B) fit in that with 519,523,328 B (495 MiB) to spare; the seventh, layer 53, would need
     * 3,658,003,456 B more. So {@code --n-cpu-moe 54}: system RAM holds the experts of
     * layers 0-53 and the embedding, 208,995,483,648 B, plus logits 993,280, its compute buffer 4 x 512 x (4096 +
     * 32,768) = 75,497,472 and the allowance: 210,145,716,224 of 274,877,906,944 B.
     *
     * <p>Decoding at the end of the context reads the routed experts in use from DDR5 and everything else from the
     * GPU (at 0.75 x 89.6 and 0.78 x 1792 GB/s), the GPU runs all 60 layers at 62 us each, and each of the 54 layers
     * whose experts sit in RAM costs a round trip of 236 us (12.74 ms): 12.1 tokens/s. The dense placement
     * ({@code -ngl}) would fit only 8 of 61 blocks on the GPU.
     */
    @Test
    void offloadSplit_qwen35_397b_rtx5090_ddr5_256GiB() {
        Estimator base = Estimator.of(Models.QWEN3_5_397B_A17B).quant(QuantScheme.Q4_K_M).context(32_768);
        Estimate whole = base.estimate();
        assertEquals(240_026_217_472L, whole.weightBytes());
        assertEquals(233_488_515_072L, whole.weightBytes(TensorRole.ROUTED_EXPERTS));
        assertEquals(1_006_632_960L, whole.kvCacheBytes());
        assertEquals(195_379_200L, whole.recurrentStateBytes());

        OffloadPlan plan = OffloadPlan.of(base, Hardware.RTX_5090, DDR5_256);
        assertTrue(plan.fits(), plan::toString);
        assertEquals(new ExpertsInSystemRam(54), plan.placement());
        assertEquals(Binding.WEIGHTS, plan.binding());
        assertEquals(OptionalInt.of(0), plan.limitingDeviceIndex());
        assertEquals(519_523_328L, plan.headroomBytes());
        DeviceUsage gpu = plan.estimate().devices().get(0);
        assertEquals(5_965_573_120L + 6 * 4_177_526_784L, gpu.weightBytes());
        assertEquals(33_840_215_040L, gpu.totalBytes());
        DeviceUsage ram = plan.estimate().devices().get(1);
        assertEquals(208_995_483_648L, ram.weightBytes());
        assertEquals(210_145_716_224L, ram.totalBytes());
        assertEquals(12.1, plan.decode().tokensPerSecond(), 0.05);

        Estimate oneMore = base.on(Deployment.expertsInSystemRam(Hardware.RTX_5090, DDR5_256, 53)).estimate();
        assertEquals(-3_658_003_456L, oneMore.devices().get(0).headroomBytes());
        Estimate dense = base.on(Deployment.gpuLayers(Hardware.RTX_5090, DDR5_256, 8)).estimate();
        assertTrue(dense.fits());
        assertFalse(base.on(Deployment.gpuLayers(Hardware.RTX_5090, DDR5_256, 9)).estimate().devices().get(0).fits());
        assertTrue(dense.decode(32_768).tokensPerSecond() < plan.decode().tokensPerSecond());
        assertFalse(plan.placement() instanceof GpuLayers);
    }

    /**
     * The other example, through the presets: Llama-3.1-8B Q4_K_M on the 24 GiB RTX 4090 holds its whole
     * trained context of 131,072 tokens with an f16 cache (23,446,469,632 B of 25,769,803,776) and with q8_0
     * (15,401,794,560 B); the core module's ContextPlanTest works the figures by hand, and the 12 GiB RTX 3060, where
     * the cache binds at 50,432 (f16) and 94,720 (q8_0) tokens.
     */
    @Test
    void maxContext_llama31_8b_q4km_presets() {
        Estimator base = Estimator.of(Models.LLAMA_3_1_8B).quant(QuantScheme.Q4_K_M);
        ContextPlan f16 = ContextPlan.of(base.on(Hardware.RTX_4090));
        assertEquals(131_072, f16.contextTokens());
        assertEquals(Binding.TRAINED_CONTEXT, f16.binding());
        assertEquals(2_323_334_144L, f16.headroomBytes());
        ContextPlan q8 = ContextPlan.of(base.kvCacheType(KvCacheType.Q8_0).on(Hardware.RTX_4090));
        assertEquals(131_072, q8.contextTokens());
        assertEquals(10_368_009_216L, q8.headroomBytes());
        assertEquals(50_432, ContextPlan.of(base.on(Hardware.RTX_3060_12GB)).contextTokens());
        assertEquals(94_720, ContextPlan.of(base.kvCacheType(KvCacheType.Q8_0).on(Hardware.RTX_3060_12GB))
                .contextTokens());
    }

    /**
     * Llama-3.1-70B Q4_K_M at 8192 needs 46,550,586,368 B. The least installed memory that holds it is 48 GiB
     * (51,539,607,552 B): four 11 GiB RTX 2080 Ti install only 47.2e9 B, and each of the four also holds its own compute
     * buffer and runtime reserve. Among the 48 GiB configurations one device beats two or three by count, and among the
     * one-device 48 GiB parts the plan prefers bandwidth: RTX 6000 Ada (960 GB/s) ahead of L40S (864), RTX A6000 (768)
     * and A40 (696); the 48 GB Apple parts expose only 2/3 of their memory to the GPU. At 20 tokens/s per sequence each token reads the ~42.5 GB of weights, so the
     * device needs about 20 x 42.5 = 850 GB/s achieved, plus 80 layers x 62 us = 5 ms per token: no 48 GiB
     * configuration has that (the fastest 48 GiB parts are at 864-960 GB/s), so the least installed memory is 64 GiB.
     * The one AMD Instinct MI210 (64 GiB HBM2e, 1600 GB/s) reaches only 0.78 x 0.68 of its peak as HBM, 849 GB/s: 50 +
     * 5 ms, 18 tokens/s, too slow. Two RTX 5090 (2 x 32 GiB, 1792 GB/s, 0.78 of it) take the token in turn: 42.5 GB at
     * 1398 GB/s = 30.4 ms + 5 ms, 28 tokens/s.
     */
    @Test
    void minimumHardware_llama31_70b_catalog() {
        Estimator base = Estimator.of(Models.LLAMA_3_1_70B).quant(QuantScheme.Q4_K_M).context(8192);
        HardwarePlan plan = CatalogPlanning.minimumHardware(base);
        assertTrue(plan.fits());
        assertEquals(Catalog.hardware("rtx-6000-ada").device(), plan.device());
        assertEquals(1, plan.deviceCount());
        HardwarePlan fast = CatalogPlanning.minimumHardware(base, DecodeTarget.of(20));
        assertEquals(Catalog.hardware("rtx-5090").device(), fast.device());
        assertEquals(2, fast.deviceCount());
        assertEquals(Binding.SPEED_TARGET, fast.binding());
        assertEquals(plan, HardwarePlan.of(base, CatalogPlanning.devices()));
    }

    @Test
    void devices_everyPreset() {
        List<Device> devices = CatalogPlanning.devices();
        assertEquals(Catalog.hardware().size(), devices.size());
        assertEquals(Catalog.hardware().get(0).device(), devices.get(0));
        assertThrows(UnsupportedOperationException.class, () -> devices.add(Hardware.B200));
    }

    @Test
    void minimumHardware_nullArguments() {
        NullPointerException e = assertThrows(NullPointerException.class, () -> CatalogPlanning.minimumHardware(null));
        assertEquals("estimator", e.getMessage());
        Estimator base = Estimator.of(Models.LLAMA_3_1_8B).quant(QuantScheme.Q4_K_M);
        NullPointerException t = assertThrows(NullPointerException.class,
                () -> CatalogPlanning.minimumHardware(base, null));
        assertEquals("target", t.getMessage());
    }
}
