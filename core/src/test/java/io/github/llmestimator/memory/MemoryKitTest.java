package io.github.llmestimator.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

final class MemoryKitTest {

    @Test
    void atLeast_standardSizes() {
        assertEquals(8, MemoryKit.atLeast(0).nominalGB());
        assertEquals(8, MemoryKit.atLeast(8L << 30).nominalGB());
        assertEquals(16, MemoryKit.atLeast((8L << 30) + 1).nominalGB());
        assertEquals(48, MemoryKit.atLeast(33L << 30).nominalGB());
        assertEquals(256, MemoryKit.atLeast(250_000_000_000L).nominalGB());
        assertEquals(4096, MemoryKit.atLeast(4096L << 30).nominalGB());
        // beyond the list: whole TiB
        assertEquals(5120, MemoryKit.atLeast((4096L << 30) + 1).nominalGB());
    }

    @Test
    void atLeast_negative() {
        assertThrows(IllegalArgumentException.class, () -> MemoryKit.atLeast(-1));
        assertThrows(IllegalArgumentException.class, () -> new MemoryKit(0));
    }

    @Test
    void bytes_areBinary() {
        assertEquals(32L << 30, new MemoryKit(32).bytes());
        assertEquals("32 GB", new MemoryKit(32).toString());
    }
}
