package io.github.llmestimator.hardware;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

final class DeviceTest {

    private static Device.Builder gpu() {
        return Device.builder("RTX 4090", DeviceKind.DISCRETE_GPU).memoryBytes(24L << 30).memoryBandwidthGBps(1008);
    }

    @Test
    void build_rtx4090() {
        Device d = gpu().denseTflops(Precision.FP16, 165.2).denseTflops(Precision.INT8, 660.6).hostLink(4, 16).build();
        assertEquals("RTX 4090", d.name());
        assertEquals(DeviceKind.DISCRETE_GPU, d.kind());
        assertEquals(24L << 30, d.memoryBytes());
        assertEquals(24L << 30, d.usableMemoryBytes());
        assertEquals(1008, d.memoryBandwidthGBps());
        assertEquals(OptionalDouble.of(165.2), d.denseTflops(Precision.FP16));
        assertEquals(OptionalDouble.of(660.6), d.denseTflops(Precision.INT8));
        assertEquals(OptionalDouble.empty(), d.denseTflops(Precision.FP4));
        assertEquals(new HostLink(4, 16), d.hostLink().orElseThrow());
        assertEquals(OptionalDouble.empty(), d.gpuMemoryFraction());
    }

    /** PCIe 4.0: 16 GT/s x 128/130 / 8 = 1.969 GB/s per lane; x16 = 31.51 GB/s. PCIe 6.0: 64 x 242/256 / 8 = 7.5625. */
    @Test
    void hostLink_bandwidth() {
        assertEquals(16 * 16 * 128 / 130.0 / 8, new HostLink(4, 16).bandwidthGBps(), 1e-12);
        assertEquals(31.5077, new HostLink(4, 16).bandwidthGBps(), 1e-4);
        assertEquals(8 * 7.5625, new HostLink(6, 8).bandwidthGBps(), 1e-12);
        assertEquals(0.9846, new HostLink(3, 1).bandwidthGBps(), 1e-4);
    }

    /** Apple M2 Max 96 GB with the default 3/4 working set: floor(103079215104 x 0.75) = 77309411328 bytes (72 GiB). */
    @Test
    void usableMemory_unified() {
        Device m2Max = Device.builder("M2 Max", DeviceKind.UNIFIED_MEMORY).memoryBytes(96L << 30)
                .memoryBandwidthGBps(400).gpuMemoryFraction(0.75).build();
        assertEquals(72L << 30, m2Max.usableMemoryBytes());
        assertEquals(OptionalDouble.of(0.75), m2Max.gpuMemoryFraction());
        Device raised = m2Max.withGpuMemoryFraction(0.9);
        assertEquals((long) Math.floor((96L << 30) * 0.9), raised.usableMemoryBytes());
        assertEquals(72L << 30, m2Max.usableMemoryBytes());
    }

    @Test
    void memoryBandwidth_zeroNegativeNanInfinite() {
        IllegalArgumentException zero = assertThrows(IllegalArgumentException.class,
                () -> Device.builder("x", DeviceKind.SYSTEM_RAM).memoryBandwidthGBps(0));
        assertEquals("memoryBandwidthGBps: 0.0 (expected: a finite number > 0 GB/s)", zero.getMessage());
        IllegalArgumentException negative = assertThrows(IllegalArgumentException.class,
                () -> Device.builder("x", DeviceKind.SYSTEM_RAM).memoryBandwidthGBps(-51.2));
        assertEquals("memoryBandwidthGBps: -51.2 (expected: a finite number > 0 GB/s)", negative.getMessage());
        IllegalArgumentException nan = assertThrows(IllegalArgumentException.class,
                () -> Device.builder("x", DeviceKind.SYSTEM_RAM).memoryBandwidthGBps(Double.NaN));
        assertEquals("memoryBandwidthGBps: NaN (expected: a finite number > 0 GB/s)", nan.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> Device.builder("x", DeviceKind.SYSTEM_RAM).memoryBandwidthGBps(Double.POSITIVE_INFINITY));
        assertThrows(IllegalArgumentException.class, () -> gpu().build().withMemoryBandwidthGBps(Double.NaN));
    }

    @Test
    void memoryBytes_zeroNegative() {
        IllegalArgumentException zero = assertThrows(IllegalArgumentException.class,
                () -> Device.builder("x", DeviceKind.SYSTEM_RAM).memoryBytes(0));
        assertEquals("memoryBytes: 0 (expected: >= 1)", zero.getMessage());
        IllegalArgumentException negative = assertThrows(IllegalArgumentException.class,
                () -> gpu().build().withMemoryBytes(-1));
        assertEquals("memoryBytes: -1 (expected: >= 1)", negative.getMessage());
    }

    @Test
    void denseTflops_nanZero() {
        IllegalArgumentException nan = assertThrows(IllegalArgumentException.class,
                () -> gpu().denseTflops(Precision.INT8, Double.NaN));
        assertEquals("denseTflops(INT8): NaN (expected: a finite number > 0)", nan.getMessage());
        assertThrows(IllegalArgumentException.class, () -> gpu().denseTflops(Precision.FP16, 0));
        assertThrows(NullPointerException.class, () -> gpu().denseTflops(null, 1));
    }

    @Test
    void hostLink_outOfRange() {
        IllegalArgumentException generation = assertThrows(IllegalArgumentException.class, () -> gpu().hostLink(2, 16));
        assertEquals("pcieGeneration: 2 (expected: 3 to 6)", generation.getMessage());
        IllegalArgumentException lanes = assertThrows(IllegalArgumentException.class, () -> gpu().hostLink(4, 32));
        assertEquals("lanes: 32 (expected: 1 to 16)", lanes.getMessage());
        assertThrows(IllegalArgumentException.class, () -> gpu().hostLink(5, 0));
    }

    @Test
    void gpuMemoryFraction_outOfRange() {
        Device.Builder unified = Device.builder("M4", DeviceKind.UNIFIED_MEMORY);
        IllegalArgumentException zero = assertThrows(IllegalArgumentException.class,
                () -> unified.gpuMemoryFraction(0));
        assertEquals("gpuMemoryFraction: 0.0 (expected: > 0 and <= 1)", zero.getMessage());
        assertThrows(IllegalArgumentException.class, () -> unified.gpuMemoryFraction(1.5));
        assertThrows(IllegalArgumentException.class, () -> unified.gpuMemoryFraction(Double.NaN));
    }

    @Test
    void build_missingSettings() {
        IllegalStateException memory = assertThrows(IllegalStateException.class,
                () -> Device.builder("x", DeviceKind.DISCRETE_GPU).memoryBandwidthGBps(100).build());
        assertEquals("memoryBytes: not set (expected: a value before build())", memory.getMessage());
        IllegalStateException bandwidth = assertThrows(IllegalStateException.class,
                () -> Device.builder("x", DeviceKind.DISCRETE_GPU).memoryBytes(1L << 30).build());
        assertEquals("memoryBandwidthGBps: not set (expected: a value before build())", bandwidth.getMessage());
        IllegalStateException fraction = assertThrows(IllegalStateException.class,
                () -> Device.builder("Ryzen AI Max", DeviceKind.UNIFIED_MEMORY).memoryBytes(128L << 30)
                        .memoryBandwidthGBps(256).backend(Backend.VULKAN).build());
        assertTrue(fraction.getMessage().startsWith("gpuMemoryFraction: not set (expected: for a VULKAN UNIFIED_MEMORY"),
                fraction.getMessage());
    }

    @Test
    void build_settingForAnotherKind() {
        IllegalStateException link = assertThrows(IllegalStateException.class,
                () -> Device.builder("DDR5", DeviceKind.SYSTEM_RAM).memoryBytes(1L << 30).memoryBandwidthGBps(89.6)
                        .hostLink(4, 16).build());
        assertEquals("hostLink: set for a SYSTEM_RAM device (expected: only for DISCRETE_GPU)", link.getMessage());
        IllegalStateException fraction = assertThrows(IllegalStateException.class,
                () -> gpu().gpuMemoryFraction(0.5).build());
        assertEquals("gpuMemoryFraction: set for a DISCRETE_GPU device (expected: only for UNIFIED_MEMORY)",
                fraction.getMessage());
        assertThrows(IllegalStateException.class, () -> gpu().build().withGpuMemoryFraction(0.5));
    }

    @Test
    void builder_badName() {
        assertThrows(NullPointerException.class, () -> Device.builder(null, DeviceKind.SYSTEM_RAM));
        assertThrows(NullPointerException.class, () -> Device.builder("x", null));
        IllegalArgumentException blank = assertThrows(IllegalArgumentException.class,
                () -> Device.builder(" ", DeviceKind.SYSTEM_RAM));
        assertEquals("name: ' ' (expected: a non-blank name)", blank.getMessage());
    }

    @Test
    void equals_byValue() {
        assertEquals(gpu().build(), gpu().build());
        assertEquals(gpu().build().hashCode(), gpu().build().hashCode());
        assertNotEquals(gpu().build(), gpu().build().withMemoryBandwidthGBps(2016));
        assertFalse(gpu().build().equals(gpu().denseTflops(Precision.FP16, 1).build()));
    }

    /** The builder copies its throughput table: changing the builder later does not change a built device. */
    @Test
    void build_isIndependentOfLaterBuilderChanges() {
        Device.Builder builder = gpu().denseTflops(Precision.FP16, 100);
        Device first = builder.build();
        builder.denseTflops(Precision.FP16, 200);
        assertEquals(OptionalDouble.of(100), first.denseTflops(Precision.FP16));
    }
}
