package io.github.llmestimator.throughput;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.llmestimator.model.DenseFeedForward;
import io.github.llmestimator.model.FullAttention;
import io.github.llmestimator.model.Layer;
import io.github.llmestimator.model.ModelSpec;
import io.github.llmestimator.quant.QuantScheme;
import org.junit.jupiter.api.Test;

/** Expected tokens per step and the acceptance conversions, worked by hand. */
final class SpeculationTest {

    @Test
    void expectedTokensPerStep_isTheGeometricSum() {
        // 1 + 0.5 + 0.25 + 0.125
        assertEquals(1.875, Speculation.mtp(3, 0.5).expectedTokensPerStep(), 1e-12);
        // 1 + 0.8
        assertEquals(1.8, Speculation.mtp(1, 0.8).expectedTokensPerStep(), 1e-12);
        // nothing accepted: the target's own token only
        assertEquals(1.0, Speculation.mtp(5, 0).expectedTokensPerStep(), 1e-12);
        // (1 - 0.9^5) / (1 - 0.9) = (1 - 0.59049) / 0.1
        assertEquals(4.0951, Speculation.mtp(4, 0.9).expectedTokensPerStep(), 1e-9);
    }

    @Test
    void draftAcceptanceRate_isAcceptedOverDrafted() {
        // (0.5 + 0.25 + 0.125) / 3
        assertEquals(0.875 / 3, Speculation.mtp(3, 0.5).draftAcceptanceRate(), 1e-12);
    }

    @Test
    void perTokenAcceptance_solvesTheRateThatLlamaCppPrints() {
        // a + a^2 + a^3 = 3 x 0.75 = 2.25 at a = 0.8629 (0.8629 + 0.7446 + 0.6425 = 2.2500)
        double a = Speculation.perTokenAcceptance(0.75, 3);
        assertEquals(0.8629, a, 1e-4);
        // the expected tokens per step are then the run's own: 1 + 0.75 x 3
        assertEquals(3.25, Speculation.mtp(3, a).expectedTokensPerStep(), 1e-9);
        // one drafted token: the rate is the acceptance
        assertEquals(0.6, Speculation.perTokenAcceptance(0.6, 1), 1e-12);
    }

    @Test
    void defaults_comeFromThePublishedRates() {
        // 1,705 of 2,374 drafted tokens at k = 3: 1 + 3 x 0.718 tokens per step
        assertEquals(1 + 3 * 0.718, Speculation.mtp().expectedTokensPerStep(), 1e-9);
        assertEquals(Speculation.DEFAULT_DRAFT_TOKENS, Speculation.mtp().draftTokens());
        ModelSpec draft = ModelSpec.builder("tiny").architecture("llama").hiddenSize(256).vocabularySize(1000)
                .maxContextTokens(4096).addLayers(2, Layer.of(FullAttention.of(4, 4, 64), DenseFeedForward.gated(512)))
                .build();
        // 526 of 730 drafted tokens at k = 5: 1 + 526 / 146 tokens per step
        assertEquals(1 + 526.0 / 146, Speculation.draftModel(draft, QuantScheme.Q8_0)
                .withDraftTokens(Speculation.DRAFT_MODEL_RATE_TOKENS).expectedTokensPerStep(), 1e-9);
        assertTrue(Speculation.mtp().isMtp());
    }

    @Test
    void badInput_isRefusedWithWhatIsAllowed() {
        assertThrows(IllegalArgumentException.class, () -> Speculation.mtp(0, 0.5));
        assertThrows(IllegalArgumentException.class, () -> Speculation.mtp(Speculation.MAX_DRAFT_TOKENS + 1, 0.5));
        assertThrows(IllegalArgumentException.class, () -> Speculation.mtp(3, 1.0));
        assertThrows(IllegalArgumentException.class, () -> Speculation.mtp(3, -0.01));
        IllegalArgumentException nan = assertThrows(IllegalArgumentException.class, () -> Speculation.mtp(3, Double.NaN));
        assertTrue(nan.getMessage().contains("below 1"), nan.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Speculation.perTokenAcceptance(1.0, 3));
        assertThrows(IllegalArgumentException.class, () -> Speculation.perTokenAcceptance(0.5, 0));
        assertThrows(NullPointerException.class, () -> Speculation.draftModel(null, QuantScheme.Q8_0));
        assertThrows(NullPointerException.class, () -> Speculation.mtp().withDraftCacheType(null));
    }
}
