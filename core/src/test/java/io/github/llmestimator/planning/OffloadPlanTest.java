package io.github.llmestimator.planning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.llmestimator.Estimator;
import io.github.llmestimator.hardware.Deployment;
import io.github.llmestimator.hardware.Device;
import io.github.llmestimator.hardware.DeviceKind;
import io.github.llmestimator.hardware.ExpertsInSystemRam;
import io.github.llmestimator.hardware.GpuLayers;
import io.github.llmestimator.quant.QuantScheme;
import io.github.llmestimator.testing.ReferenceModels;
import org.junit.jupiter.api.Test;
import java.util.OptionalInt;

/**
 * Worked examples of {@link OffloadPlan} on a 24 GiB, 1008 GB/s GPU (an RTX 4090) and 64 GiB of dual-channel DDR5
 * (89.6 GB/s), at a context of 8192. The catalog module works the example, Qwen3.5-397B-A17B on an RTX 5090
 * and 256 GB of DDR5.
 */
final class OffloadPlanTest {

    private static final Device RTX_4090 = Device.builder("RTX 4090", DeviceKind.DISCRETE_GPU)
            .memoryBytes(24L << 30).memoryBandwidthGBps(1008).build();
    private static final Device DDR5 = Device.builder("DDR5 64GB", DeviceKind.SYSTEM_RAM).memoryBytes(64L << 30)
            .memoryBandwidthGBps(89.6).build();

    /**
     * Mixtral-8x7B Q4_K_M (28,447,727,616 B loaded, of which 27,304,919,040 routed experts: 913,833,984 B in a layer
     * whose ffn_down_exps gets Q6_K, 792,723,456 B in the others). With every expert on the GPU (k = 0) it cannot fit,
     * so experts go to system RAM from the first layer on. With layers 0-5 there (4 x 913,833,984 + 2 x 792,723,456 =
     * 5,240,782,848 B), the GPU holds 28,447,727,616 - 73,728,000 (embedding, in RAM) - 5,240,782,848 =
     * 23,133,216,768 B of weights, 8192 x 131,072 = 1,073,741,824 B of KV, a compute buffer of 2 x 512 x 8192 (the F16
     * mask) + 4 x 512 x (4 x 2 x 14,336 + 4096) (two experts' feed-forward rows) = 251,658,240 B and the 1 GiB
     * allowance: 25,532,358,656 of 25,769,803,776 B, 237,445,120 B left. Layer 5's
     * experts (792,723,456 B) do not fit in that, though they would without the KV cache: so the plan is
     * {@code --n-cpu-moe 6}, bound by the KV cache.
     */
    @Test
    void offloadSplit_mixtral_q4km_rtx4090() {
        Estimator base = Estimator.of(ReferenceModels.mixtral_8x7b()).quant(QuantScheme.Q4_K_M).context(8192);
        OffloadPlan plan = OffloadPlan.of(base, RTX_4090, DDR5);
        assertTrue(plan.fits());
        assertEquals(new ExpertsInSystemRam(6), plan.placement());
        assertEquals(Binding.KV_CACHE, plan.binding());
        assertEquals(OptionalInt.of(0), plan.limitingDeviceIndex());
        assertEquals(237_445_120L, plan.headroomBytes());
        assertEquals(23_133_216_768L, plan.estimate().devices().get(0).weightBytes());
        assertEquals(5_240_782_848L + 73_728_000L, plan.estimate().devices().get(1).weightBytes());
        assertFalse(base.on(Deployment.expertsInSystemRam(RTX_4090, DDR5, 5)).estimate().devices().get(0).fits());
        assertEquals(plan.estimate().decode(8192), plan.decode());
    }

    /**
     * Llama-3.1-70B Q4_K_M is dense, so the plan is {@code -ngl}: the last 44 of the 81 blocks (80 layers and the
     * output head) on the GPU; one more block does not fit, and its KV cache tips it over.
     */
    @Test
    void offloadSplit_denseModel_usesGpuLayers() {
        Estimator base = Estimator.of(ReferenceModels.llama31_70b()).quant(QuantScheme.Q4_K_M).context(8192);
        OffloadPlan plan = OffloadPlan.of(base, RTX_4090, DDR5);
        assertTrue(plan.fits());
        assertEquals(new GpuLayers(44), plan.placement());
        assertEquals(Binding.KV_CACHE, plan.binding());
        assertFalse(base.on(Deployment.gpuLayers(RTX_4090, DDR5, 45)).estimate().devices().get(0).fits());
    }

    /** A model that fits the GPU whole: every block on it, nothing binds. */
    @Test
    void offloadSplit_wholeModelOnGpu() {
        OffloadPlan plan = OffloadPlan.of(
                Estimator.of(ReferenceModels.llama31_8b()).quant(QuantScheme.Q4_K_M).context(8192), RTX_4090, DDR5);
        assertEquals(new GpuLayers(33), plan.placement());
        assertEquals(Binding.NONE, plan.binding());
        assertEquals(OptionalInt.empty(), plan.limitingDeviceIndex());
    }

    /** Too little system RAM for the rest: a plan that does not fit, naming system RAM and the shortfall. */
    @Test
    void offloadSplit_tooLittleSystemRam_doesNotFit() {
        OffloadPlan plan = OffloadPlan.of(
                Estimator.of(ReferenceModels.llama31_70b()).quant(QuantScheme.Q4_K_M).context(8192), RTX_4090,
                DDR5.withMemoryBytes(8L << 30));
        assertFalse(plan.fits());
        assertEquals(OptionalInt.of(1), plan.limitingDeviceIndex());
        assertEquals(Binding.WEIGHTS, plan.binding());
        assertTrue(plan.shortfallBytes() > 0);
        assertEquals(plan.headroomBytes(), plan.limitingDevice().orElseThrow().headroomBytes());
    }

    @Test
    void offloadSplit_wrongKinds() {
        Estimator base = Estimator.of(ReferenceModels.llama31_8b()).quant(QuantScheme.Q4_K_M);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> OffloadPlan.of(base, DDR5, RTX_4090));
        assertEquals("gpu: DDR5 64GB is SYSTEM_RAM (expected: a DISCRETE_GPU device)", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> OffloadPlan.of(base, RTX_4090, RTX_4090));
        NullPointerException n = assertThrows(NullPointerException.class, () -> OffloadPlan.of(base, RTX_4090, null));
        assertEquals("systemRam", n.getMessage());
    }

    @Test
    void offloadSplit_withoutScheme() {
        Estimator base = Estimator.of(ReferenceModels.llama31_8b());
        assertThrows(IllegalStateException.class, () -> OffloadPlan.of(base, RTX_4090, DDR5));
    }
}
