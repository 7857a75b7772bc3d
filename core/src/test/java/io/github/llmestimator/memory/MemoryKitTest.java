package io.github.llmestimator.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

final class MemoryKitTest {

    @Test
    void atLeast_standardSizes() {
        assertEquals(8, MemoryKit.atLeast(DataSize.ofBytes(0)).nominalGiB());
        assertEquals(8, MemoryKit.atLeast(DataSize.ofBytes(8L << 30)).nominalGiB());
        assertEquals(16, MemoryKit.atLeast(DataSize.ofBytes((8L << 30) + 1)).nominalGiB());
        assertEquals(48, MemoryKit.atLeast(DataSize.ofBytes(33L << 30)).nominalGiB());
        assertEquals(256, MemoryKit.atLeast(DataSize.ofBytes(250_000_000_000L)).nominalGiB());
        assertEquals(4096, MemoryKit.atLeast(DataSize.ofBytes(4096L << 30)).nominalGiB());
        // beyond the list: whole TiB
        assertEquals(5120, MemoryKit.atLeast(DataSize.ofBytes((4096L << 30) + 1)).nominalGiB());
    }

    @Test
    void atLeast_beyondTheLargestKitIsRejected() {
        // the largest multiple of 1024 that is an int: 2147483647 / 1024 = 2097151, times 1024 = 2147482624 GB,
        // 2147482624 * 2^30 = 2305841909702066176 bytes (before the fix Long.MAX_VALUE wrapped round to a 1024 GB kit)
        assertEquals(2147482624, MemoryKit.atLeast(DataSize.ofBytes(2305841909702066176L)).nominalGiB());
        assertEquals(2147482624,
                MemoryKit.atLeast(DataSize.ofBytes(2305841909702066176L - (1L << 30) + 1)).nominalGiB());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> MemoryKit.atLeast(DataSize.ofBytes(Long.MAX_VALUE)));
        assertEquals("size: 9223372036854775807 bytes (expected: at most 2305841909702066176, the bytes of the largest"
                + " kit, 2147482624 GB)", e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> MemoryKit.atLeast(DataSize.ofBytes(2305841909702066177L)));
    }

    @Test
    void noKitOfZeroGiB() {
        assertThrows(IllegalArgumentException.class, () -> new MemoryKit(0));
    }

    @Test
    void bytes_areBinary() {
        assertEquals(32L << 30, new MemoryKit(32).bytes());
        assertEquals("32 GB", new MemoryKit(32).toString());
    }
}
