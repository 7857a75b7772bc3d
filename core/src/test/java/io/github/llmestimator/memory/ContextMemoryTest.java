package io.github.llmestimator.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

final class ContextMemoryTest {

    private static final ContextSettings SETTINGS = ContextSettings.defaults(4096);

    @Test
    void aNegativeComponentIsNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new ContextMemory(SETTINGS, 4096, 0, 0, 0, -5, 0, 0));
        assertEquals("recurrentStateBytes: -5 (expected: >= 0)", e.getMessage());
        IllegalArgumentException cells = assertThrows(IllegalArgumentException.class,
                () -> new ContextMemory(SETTINGS, 4096, -1, 0, 0, 0, 0, 0));
        assertEquals("slidingWindowCells: -1 (expected: >= 0)", cells.getMessage());
    }

    @Test
    void componentsWhoseTotalOverflowsAreRejected() {
        // before the fix kvCacheBytes() was Long.MAX_VALUE + 1, a negative number
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new ContextMemory(SETTINGS, 4096, 0, Long.MAX_VALUE, 1, 0, 0, 0));
        assertEquals("fullAttentionKvBytes + slidingWindowKvBytes + recurrentStateBytes + outputBufferBytes"
                + " + computeBufferBytes: 9223372036854775807 + 1 + 0 + 0 + 0 (expected: a total of at most"
                + " 9223372036854775807 bytes)", e.getMessage());
        // 2^62 + 2^62 - 1 = 2^63 - 1 exactly fits
        ContextMemory full = new ContextMemory(SETTINGS, 4096, 0, 1L << 62, 0, 0, 0, (1L << 62) - 1);
        assertEquals(Long.MAX_VALUE, full.totalBytes());
        assertThrows(IllegalArgumentException.class,
                () -> new ContextMemory(SETTINGS, 4096, 0, 1L << 62, 0, 0, 0, 1L << 62));
    }
}
