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
        assertThrows(ArithmeticException.class, () -> DataSize.ofGiB(Long.MAX_VALUE / 2));
        assertThrows(ArithmeticException.class, () -> DataSize.ofBytes(Long.MAX_VALUE).plus(DataSize.ofBytes(1)));
    }
}
