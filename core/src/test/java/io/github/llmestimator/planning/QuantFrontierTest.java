package io.github.llmestimator.planning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.llmestimator.Estimator;
import io.github.llmestimator.hardware.Device;
import io.github.llmestimator.hardware.DeviceKind;
import io.github.llmestimator.memory.DataSize;
import io.github.llmestimator.quant.QualityModel;
import io.github.llmestimator.quant.QuantQuality;
import io.github.llmestimator.quant.QuantScheme;
import io.github.llmestimator.testing.ReferenceModels;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Worked examples of {@link QuantFrontier} on the setup of {@link SchemePlanTest}: Llama-3.1-8B at a context of 8192 on
 * a 12 GiB, 360 GB/s GPU, where a scheme fits when its weights are at most 10,457,459,712 B. BF16's 16,061,054,976 B
 * do not fit; Q8_0's 8,532,934,656 B and Q4_K_M's 4,912,898,048 B do. Q4_K_M decodes at the end of the context at
 * {@code 1 / (5,691,271,424 / (0.78 x 360e9) + 32 x 62e-6)} = 44.9 tokens/s; Q8_0, reading more, slower.
 */
final class QuantFrontierTest {

    private static final Device RTX_3060 = Device.builder("RTX 3060 12GB", DeviceKind.DISCRETE_GPU)
            .memoryBytes(12L << 30).memoryBandwidthGBps(360).build();

    private static final List<QuantScheme> THREE = List.of(QuantScheme.BF16, QuantScheme.Q8_0, QuantScheme.Q4_K_M);

    private static Estimator llama() {
        return Estimator.of(ReferenceModels.llama31_8b()).context(8192).on(RTX_3060);
    }

    /** A quality model of fixed figures, the range the figure itself. */
    private static QualityModel table(Map<QuantScheme, Double> kld) {
        return (scheme, bits) -> Optional.ofNullable(kld.get(scheme)).map(k -> new QuantQuality(k, k, k, "test"));
    }

    private static final QualityModel MONOTONE = table(Map.of(QuantScheme.BF16, 0.0001, QuantScheme.Q8_0, 0.002,
            QuantScheme.Q4_K_M, 0.03));

    /**
     * Quality falling with size: the best quality that fits is Q8_0, as {@link SchemePlan} answers; both fitting schemes
     * are on the frontier (Q4_K_M has fewer bytes, Q8_0 less divergence); BF16 does not fit, so it is on no frontier.
     */
    @Test
    void bestQuality_monotone_isTheLargestThatFits() {
        QuantFrontier frontier = QuantFrontier.of(llama(), THREE, MONOTONE, QuantObjective.bestQuality());
        assertEquals(QuantScheme.Q8_0, frontier.chosen().orElseThrow().scheme());
        assertEquals(SchemePlan.of(llama(), THREE).scheme(), frontier.chosen().orElseThrow().scheme());
        assertEquals(List.of(QuantScheme.BF16, QuantScheme.Q8_0, QuantScheme.Q4_K_M),
                frontier.options().stream().map(QuantFrontier.Option::scheme).toList());
        assertEquals(List.of(QuantScheme.Q8_0, QuantScheme.Q4_K_M),
                frontier.frontier().stream().map(QuantFrontier.Option::scheme).toList());
        QuantFrontier.Option bf16 = frontier.options().get(0);
        assertFalse(bf16.fits());
        assertTrue(bf16.decodeTokensPerSecond().isEmpty());
        assertEquals(8_532_934_656L, frontier.chosen().orElseThrow().estimate().weightBytes());
    }

    /**
     * When a smaller scheme is expected to be better (a quantizer's Q4_K_M at 0.001 against a Q8_0 at 0.002), the best
     * quality is the smaller one and the larger is off the frontier: where the largest that fits is not the best.
     */
    @Test
    void bestQuality_smallerAndBetter_winsAndDominates() {
        QualityModel inverted = table(Map.of(QuantScheme.Q8_0, 0.002, QuantScheme.Q4_K_M, 0.001));
        QuantFrontier frontier = QuantFrontier.of(llama(), THREE, inverted, QuantObjective.bestQuality());
        assertEquals(QuantScheme.Q4_K_M, frontier.chosen().orElseThrow().scheme());
        assertEquals(List.of(QuantScheme.Q4_K_M),
                frontier.frontier().stream().map(QuantFrontier.Option::scheme).toList());
        assertEquals(QuantScheme.Q8_0, SchemePlan.of(llama(), THREE).scheme());
        assertTrue(frontier.options().get(0).quality().isEmpty(), "BF16 has no figure in this table");
    }

    /** Within 0.05 both fitting schemes qualify; Q4_K_M is the faster (44.9 tokens/s) and the smaller. */
    @Test
    void fastestAndSmallest_withinALimit() {
        QuantFrontier fastest = QuantFrontier.of(llama(), THREE, MONOTONE, QuantObjective.fastestWithin(0.05));
        QuantFrontier.Option q4 = fastest.chosen().orElseThrow();
        assertEquals(QuantScheme.Q4_K_M, q4.scheme());
        assertEquals(1 / (5_691_271_424L / (0.78 * 360e9) + 32 * 62e-6), q4.decodeTokensPerSecond().getAsDouble(),
                1e-9);
        assertEquals(QuantScheme.Q4_K_M, QuantFrontier.of(llama(), THREE, MONOTONE,
                QuantObjective.smallestWithin(0.05)).chosen().orElseThrow().scheme());
        assertEquals(QuantScheme.Q8_0, QuantFrontier.of(llama(), THREE, MONOTONE,
                QuantObjective.smallestWithin(0.01)).chosen().orElseThrow().scheme());
        assertTrue(QuantFrontier.of(llama(), THREE, MONOTONE, QuantObjective.smallestWithin(0.00005)).chosen()
                .isEmpty(), "only BF16 is that good, and it does not fit");
    }

    /** At 40 tokens/s Q8_0 is too slow: the best quality fast enough is Q4_K_M, as SchemePlan answers. */
    @Test
    void decodeTarget_leavesOutTheSlow() {
        QuantFrontier frontier = QuantFrontier.of(llama(), THREE, MONOTONE, QuantObjective.bestQuality(),
                DecodeTarget.of(40));
        assertEquals(QuantScheme.Q4_K_M, frontier.chosen().orElseThrow().scheme());
        assertFalse(frontier.options().get(1).fits());
        assertEquals(SchemePlan.of(llama(), THREE, DecodeTarget.of(40)).scheme(), frontier.chosen().orElseThrow().scheme());
    }

    /** Under a 12 GiB budget the totals count, as on the GPU: Q8_0; a budget has no speed, so FASTEST is refused. */
    @Test
    void budget() {
        Estimator sized = Estimator.of(ReferenceModels.llama31_8b()).context(8192);
        QuantFrontier frontier = QuantFrontier.of(sized, THREE, MONOTONE, QuantObjective.bestQuality(),
                DataSize.ofGiB(12));
        assertEquals(QuantScheme.Q8_0, frontier.chosen().orElseThrow().scheme());
        assertTrue(frontier.chosen().orElseThrow().decodeTokensPerSecond().isEmpty());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> QuantFrontier.of(sized, THREE,
                MONOTONE, QuantObjective.fastestWithin(0.1), DataSize.ofGiB(12)));
        assertTrue(e.getMessage().contains("FASTEST"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> QuantFrontier.of(sized, THREE, MONOTONE,
                QuantObjective.bestQuality(), DataSize.ZERO));
        assertThrows(IllegalStateException.class, () -> QuantFrontier.of(sized, THREE, MONOTONE,
                QuantObjective.bestQuality()));
    }

    @Test
    void badArguments() {
        assertThrows(IllegalArgumentException.class, () -> QuantFrontier.of(llama(), List.of(), MONOTONE,
                QuantObjective.bestQuality()));
        assertThrows(NullPointerException.class, () -> QuantFrontier.of(llama(), THREE, null,
                QuantObjective.bestQuality()));
        assertThrows(NullPointerException.class, () -> QuantFrontier.of(llama(), THREE, MONOTONE, null));
        assertThrows(NullPointerException.class, () -> QuantFrontier.of(llama(), THREE,
                (scheme, bits) -> null, QuantObjective.bestQuality()));
    }

    @Test
    void objectives_validateTheirLimit() {
        assertThrows(IllegalArgumentException.class, () -> QuantObjective.fastestWithin(0));
        assertThrows(IllegalArgumentException.class, () -> QuantObjective.smallestWithin(Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> QuantObjective.smallestWithin(Double.POSITIVE_INFINITY));
        assertThrows(IllegalArgumentException.class,
                () -> new QuantObjective(QuantObjective.Kind.BEST_QUALITY, 0.1));
        assertEquals(Double.POSITIVE_INFINITY, QuantObjective.bestQuality().maxKld());
    }

    @Test
    void quality_validatesItsRange() {
        assertThrows(IllegalArgumentException.class, () -> new QuantQuality(0.1, 0.2, 0.3, "x"));
        assertThrows(IllegalArgumentException.class, () -> new QuantQuality(-0.1, -0.2, 0.3, "x"));
        assertThrows(IllegalArgumentException.class, () -> new QuantQuality(Double.NaN, 0, 1, "x"));
        assertThrows(IllegalArgumentException.class, () -> new QuantQuality(0.1, 0, 1, " "));
    }
}
