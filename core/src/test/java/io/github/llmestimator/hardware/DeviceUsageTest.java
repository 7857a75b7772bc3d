package io.github.llmestimator.hardware;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

final class DeviceUsageTest {

    private static final Device GPU = Device.builder("gpu", DeviceKind.DISCRETE_GPU).memoryBytes(24L << 30)
            .memoryBandwidthGBps(1008).build();

    @Test
    void aNegativeComponentIsNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new DeviceUsage(GPU, 0, -1, 0, 0, 0, 0));
        assertEquals("kvCacheBytes: -1 (expected: >= 0, on gpu)", e.getMessage());
    }

    @Test
    void componentsWhoseTotalOverflowsAreRejected() {
        // before the fix fits() threw ArithmeticException from totalBytes()
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new DeviceUsage(GPU, Long.MAX_VALUE, 0, 0, 1, 0, 0));
        assertEquals("weightBytes + kvCacheBytes + recurrentStateBytes + outputBufferBytes + computeBufferBytes"
                + " + runtimeOverheadBytes: 9223372036854775807 + 0 + 0 + 1 + 0 + 0 (expected: a total of at most"
                + " 9223372036854775807 bytes on gpu)", e.getMessage());
        // 2^63 - 1 bytes held: 24 GiB - (2^63 - 1) is negative and representable
        DeviceUsage most = new DeviceUsage(GPU, Long.MAX_VALUE, 0, 0, 0, 0, 0);
        assertEquals((24L << 30) - Long.MAX_VALUE, most.headroomBytes());
        assertFalse(most.fits());
    }

    @Test
    void runtimeOverheadAboveOnePebibyteIsRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new DeviceUsage(GPU, 0, 0, 0, 0, 0, (1L << 50) + 1));
        assertEquals("runtimeOverheadBytes: 1125899906842625 (expected: 0 to 1125899906842624 bytes, 1 PiB)",
                e.getMessage());
    }
}
