package io.github.llmestimator.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;

import io.github.llmestimator.Estimator;
import io.github.llmestimator.testing.ReferenceModels;
import org.junit.jupiter.api.Test;
import org.quicktheories.generators.SourceDSL;

final class ContextSettingsTest {

    @Test
    void moreSequencesThanLlamaCppAllowsAreRejected() {
        // before the fix, 8193 sequences at context 8192 left PAD(8192 / 8193) = 0 cells per stream: a 0-byte cache
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Estimator.of(ReferenceModels.llama31_8b()).context(8192).parallelSequences(8193));
        assertEquals("parallelSequences: 8193 (expected: 1 to 256, llama.cpp's LLAMA_MAX_SEQ)", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ContextSettings.defaults(8192).withParallelSequences(257));
    }

    @Test
    void mostSequencesAtTheSmallestContextKeepOneBlockPerStream() {
        // context 1 pads to 256 cells; 256 streams get PAD(256 / 256) = PAD(1) = 256 cells each
        ContextSettings settings = ContextSettings.defaults(1).withParallelSequences(256);
        assertEquals(256, settings.cellsPerStream());
        assertEquals(256L * 256, settings.paddedContextTokens());
    }

    @Test
    void cellsPerStreamAreNeverZero() {
        // PAD(n_ctx) >= 256 >= sequences, so n_ctx / sequences >= 1 and its padding is at least 256
        qt().forAll(SourceDSL.integers().between(1, 1 << 24), SourceDSL.integers().between(1, 256),
                SourceDSL.booleans().all())
                .checkAssert((context, sequences, unified) -> {
                    ContextSettings s = ContextSettings.defaults(context).withParallelSequences(sequences)
                            .withUnifiedKvCache(unified);
                    assertTrue(s.cellsPerStream() >= 256, () -> s + ": " + s.cellsPerStream());
                });
    }

    @Test
    void padRejectsNegativeAndOverflowingCounts() {
        // Long.MAX_VALUE / 256 * 256 = 2^63 - 256 = 9223372036854775552, the largest multiple of 256 in a long
        assertEquals(9223372036854775552L, ContextSettings.pad(9223372036854775552L));
        assertEquals(0, ContextSettings.pad(0));
        assertEquals(256, ContextSettings.pad(1));
        IllegalArgumentException overflow = assertThrows(IllegalArgumentException.class,
                () -> ContextSettings.pad(Long.MAX_VALUE));
        assertEquals("value: 9223372036854775807 (expected: 0 to 9223372036854775552, so that the padded count fits"
                + " a long)", overflow.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ContextSettings.pad(9223372036854775553L));
        IllegalArgumentException negative = assertThrows(IllegalArgumentException.class, () -> ContextSettings.pad(-1));
        assertTrue(negative.getMessage().startsWith("value: -1 (expected: 0 to "), negative.getMessage());
    }
}
