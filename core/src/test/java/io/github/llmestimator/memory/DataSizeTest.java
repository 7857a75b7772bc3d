package io.github.llmestimator.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

final class DataSizeTest {

    @Test
    void units() {
        assertEquals(1_073_741_824L, DataSize.ofGiB(1).bytes());
        assertEquals(1_000_000_000L, DataSize.ofGB(1).bytes());
        assertEquals(1.073741824, DataSize.ofGiB(1).toGB(), 1e-12);
        assertEquals(512.0, DataSize.ofMiB(512).toMiB(), 0.0);
        // the published Llama-3.1-8B Q4_K_M tensor data: 4.58 GiB = 4.91 GB
        assertEquals("4.58 GiB (4.91 GB)", DataSize.ofBytes(4912898048L).toString());
        assertEquals("0.49 MiB (0.51 MB)", DataSize.ofBytes(513024).toString());
    }

    @Test
    void bytes_negative() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DataSize.ofBytes(-1));
        assertEquals("bytes: -1 (expected: >= 0)", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> DataSize.ofGiB(-2));
    }

    @Test
    void overflow() {
        // (2^63 - 1) / 2^30 = 8589934591 GiB fit a long (before: ArithmeticException past it)
        IllegalArgumentException gib = assertThrows(IllegalArgumentException.class,
                () -> DataSize.ofGiB(Long.MAX_VALUE / 2));
        assertEquals("gibibytes: 4611686018427387903 (expected: 0 to 8589934591, so that the bytes fit a long)",
                gib.getMessage());
        assertEquals(8589934591L << 30, DataSize.ofGiB(8589934591L).bytes());
        IllegalArgumentException sum = assertThrows(IllegalArgumentException.class,
                () -> DataSize.ofBytes(Long.MAX_VALUE).plus(DataSize.ofBytes(1)));
        assertEquals("other: 1 bytes (expected: at most 0, so that the sum with 9223372036854775807 bytes fits a long)",
                sum.getMessage());
        // before: Java's own message, naming no parameter
        assertEquals("other", assertThrows(NullPointerException.class, () -> DataSize.ZERO.plus(null)).getMessage());
    }
}
