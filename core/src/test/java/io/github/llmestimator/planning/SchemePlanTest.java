package io.github.llmestimator.planning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.llmestimator.Estimator;
import io.github.llmestimator.hardware.Device;
import io.github.llmestimator.hardware.DeviceKind;
import io.github.llmestimator.memory.DataSize;
import io.github.llmestimator.quant.QuantScheme;
import io.github.llmestimator.testing.ReferenceModels;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/**
 * Worked examples of {@link SchemePlan}: Llama-3.1-8B at a context of 8192 on a 12 GiB, 360 GB/s GPU (an RTX 3060
 * 12GB), every figure by hand.
 *
 * <p>Besides the weights a scheme brings, the GPU holds the same 2,427,444,224 B whatever the scheme: KV 8192 x
 * 131,072 = 1,073,741,824, compute 279,447,552 (llama.cpp's at these widths: the output stage 4 x 512 x (128,256 + 2
 * x 4096) above the token ids' freed 4 x 512), logits 513,024 and the 1 GiB allowance.
 * So a scheme fits when its weights are at most 12,884,901,888 - 2,427,444,224 = 10,457,457,664 B.
 */
final class SchemePlanTest {

    private static final Device RTX_3060 = Device.builder("RTX 3060 12GB", DeviceKind.DISCRETE_GPU)
            .memoryBytes(12L << 30).memoryBandwidthGBps(360).build();

    private static Estimator llama() {
        return Estimator.of(ReferenceModels.llama31_8b()).context(8192).on(RTX_3060);
    }

    /**
     * BF16 and F16 weigh 16,061,054,976 B (16.0005 bits per weight; BF16 ranks first on the tie, llama.cpp's -0.0050
     * against +0.0020 ppl) and do not fit even alone; Q8_0's 8,532,934,656 B do: 8,532,934,656 + 2,427,444,224 =
     * 10,960,378,880, leaving 1,924,523,008 B (1.79 GiB). The next better scheme, F16, fails on its weights.
     */
    @Test
    void bestQuant_llama31_8b_12GiB() {
        SchemePlan plan = SchemePlan.of(llama());
        assertTrue(plan.fits());
        assertEquals(QuantScheme.Q8_0, plan.scheme());
        assertEquals(8_532_934_656L, plan.estimate().weightBytes());
        assertEquals(Binding.WEIGHTS, plan.binding());
        assertEquals(OptionalInt.of(0), plan.limitingDeviceIndex());
        assertEquals(1_924_523_008L, plan.headroomBytes());
        assertEquals(8.5008, plan.bitsPerWeight(), 1e-4);
        assertFalse(llama().quant(QuantScheme.F16).estimate().fits());
    }

    /**
     * At least 42 tokens/s at the end of the 8192 context. Decoding is bandwidth-bound: a token reads the weights but
     * the embedding matrix (one row of it), and 8193 cells of KV cache, 1,073,872,896 B, at 0.78 x 360 GB/s = 280.8
     * GB/s, plus 32 layers x 62 us. Q4_K_M reads 4,912,898,048 - 295,501,824 (embedding, Q4_K) + 2,304 (one row) +
     * 1,073,872,896 = 5,691,271,424 B: 20.27 + 1.98 ms, 44.9 tokens/s. Q5_K_S, the next better, reads 6,304,164,608
     * B: 22.45 + 1.98 ms, 40.9 tokens/s, too slow; so the target binds.
     */
    @Test
    void bestQuant_speedTarget_takesTheBestFastEnoughScheme() {
        SchemePlan plan = SchemePlan.of(llama(), DecodeTarget.of(42));
        assertTrue(plan.fits());
        assertEquals(QuantScheme.Q4_K_M, plan.scheme());
        assertEquals(Binding.SPEED_TARGET, plan.binding());
        assertEquals(5_691_271_424L, plan.decode().orElseThrow().bytesPerStep());
        assertEquals(1 / (5_691_271_424L / (0.78 * 360e9) + 32 * 62e-6), plan.decode().orElseThrow().tokensPerSecond(),
                1e-9);
        assertEquals(42, plan.target().orElseThrow().tokensPerSecond());
        assertEquals(6_304_164_608L, llama().quant(QuantScheme.Q5_K_S).estimate().decode(8192).bytesPerStep());
    }

    /** An impossible target is a plan that does not fit: the fastest scheme that fits memory, and how fast it is. */
    @Test
    void bestQuant_impossibleTarget_doesNotFit() {
        SchemePlan plan = SchemePlan.of(llama(), DecodeTarget.of(1000));
        assertFalse(plan.fits());
        assertEquals(Binding.SPEED_TARGET, plan.binding());
        assertEquals(QuantScheme.IQ1_S, plan.scheme());
        assertTrue(plan.decode().orElseThrow().tokensPerSecond() < 1000);
        assertTrue(plan.headroomBytes() >= 0);
        assertEquals(0, plan.shortfallBytes());
    }

    /** On 2 GiB not even IQ1_S (2,011,791,360 B of weights) fits: the plan says by how much. */
    @Test
    void bestQuant_tooLittleMemory_doesNotFit() {
        Device small = RTX_3060.withMemoryBytes(2L << 30);
        SchemePlan plan = SchemePlan.of(Estimator.of(ReferenceModels.llama31_8b()).context(8192).on(small));
        assertFalse(plan.fits());
        assertEquals(QuantScheme.IQ1_S, plan.scheme());
        assertEquals(Binding.WEIGHTS, plan.binding());
        assertEquals((2L << 30) - 2_011_791_360L - 2_427_444_224L, plan.headroomBytes());
    }

    /** Against a budget the total counts: 12 GiB gives Q8_0 as on the GPU. */
    @Test
    void bestQuant_budget() {
        SchemePlan plan = SchemePlan.of(Estimator.of(ReferenceModels.llama31_8b()).context(8192), DataSize.ofGiB(12));
        assertEquals(QuantScheme.Q8_0, plan.scheme());
        assertEquals(Binding.WEIGHTS, plan.binding());
        assertEquals(OptionalInt.empty(), plan.limitingDeviceIndex());
        assertEquals(1_924_523_008L, plan.headroomBytes());
        assertTrue(plan.decode().isEmpty());
    }

    /** Explicit candidates are ranked by bits, duplicates ignored: Q4_1 (5.1 bits) outranks Q4_K_M (4.9). */
    @Test
    void bestQuant_explicitCandidates() {
        SchemePlan plan = SchemePlan.of(llama(), List.of(QuantScheme.Q4_K_M, QuantScheme.Q4_1, QuantScheme.Q4_K_M));
        assertEquals(QuantScheme.Q4_1, plan.scheme());
        assertEquals(Binding.NONE, plan.binding());
    }

    @Test
    void qualityOrder_hasEverySchemeOnce() {
        assertEquals(EnumSet.allOf(QuantScheme.class), EnumSet.copyOf(SchemePlan.QUALITY_ORDER));
        assertEquals(QuantScheme.values().length, SchemePlan.QUALITY_ORDER.size());
    }

    /** The documented perplexity order holds within the ranking's tie-break. */
    @Test
    void qualityOrder_followsLlamaQuantize() {
        List<QuantScheme> documented = Arrays.asList(QuantScheme.BF16, QuantScheme.F16, QuantScheme.Q8_0,
                QuantScheme.Q6_K, QuantScheme.Q5_K_M, QuantScheme.Q5_K_S, QuantScheme.Q5_1, QuantScheme.Q5_0,
                QuantScheme.Q4_K_M, QuantScheme.Q4_K_S, QuantScheme.Q4_1, QuantScheme.Q4_0, QuantScheme.Q3_K_L,
                QuantScheme.Q3_K_M, QuantScheme.Q3_K_S, QuantScheme.Q2_K_S, QuantScheme.Q2_K);
        for (int i = 1; i < documented.size(); i++) {
            assertTrue(SchemePlan.QUALITY_ORDER.indexOf(documented.get(i - 1))
                    < SchemePlan.QUALITY_ORDER.indexOf(documented.get(i)), documented.get(i).toString());
        }
    }

    @Test
    void defaultCandidates_ggufWithoutDominatedAndSpecialTypes() {
        for (QuantScheme scheme : SchemePlan.DEFAULT_CANDIDATES) {
            assertTrue(scheme.isGguf(), scheme.toString());
        }
        for (QuantScheme left : List.of(QuantScheme.F32, QuantScheme.TQ1_0, QuantScheme.TQ2_0, QuantScheme.MXFP4_MOE,
                QuantScheme.Q5_1, QuantScheme.Q5_0, QuantScheme.Q4_1)) {
            assertFalse(SchemePlan.DEFAULT_CANDIDATES.contains(left), left.toString());
        }
        assertEquals(26, SchemePlan.DEFAULT_CANDIDATES.size());
    }

    @Test
    void bestQuant_noCandidates() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SchemePlan.of(llama(), List.of()));
        assertEquals("candidates: [] (expected: at least one scheme)", e.getMessage());
    }

    @Test
    void bestQuant_nullCandidate() {
        NullPointerException e = assertThrows(NullPointerException.class,
                () -> SchemePlan.of(llama(), Arrays.asList(QuantScheme.Q8_0, null)));
        assertEquals("candidates[1]", e.getMessage());
        assertThrows(NullPointerException.class, () -> SchemePlan.of(llama(), (DecodeTarget) null));
    }

    @Test
    void bestQuant_withoutDeployment() {
        Estimator base = Estimator.of(ReferenceModels.llama31_8b());
        assertThrows(IllegalStateException.class, () -> SchemePlan.of(base));
    }

    @Test
    void decodeTarget_notPositive() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DecodeTarget.of(0));
        assertEquals("tokensPerSecond: 0.0 (expected: a finite number > 0)", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> DecodeTarget.of(Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> DecodeTarget.of(Double.POSITIVE_INFINITY));
    }
}
