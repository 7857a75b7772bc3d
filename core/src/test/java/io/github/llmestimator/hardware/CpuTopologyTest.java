package io.github.llmestimator.hardware;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

final class CpuTopologyTest {

    /**
     * AMD Ryzen 9 9950X: 16 Zen 5 cores, 32 threads, base 4.3 GHz, dual-channel DDR5-5600, one socket. Zen 5 has two
     * 512-bit FMA pipes: 2 x 16 x 2 = 64 FP32 FLOPs per cycle; 4.3 x 64 = 275.2 GFLOP/s per core. Bandwidth 2 x 5600 x
     * 8 / 1000 = 89.6 GB/s.
     */
    private static final CpuTopology ZEN5_DESKTOP = new CpuTopology(16, 0, 32, 2, 5600, 1, 4.3, 64);

    @Test
    void derivedFigures() {
        assertEquals(16, ZEN5_DESKTOP.physicalCores());
        assertEquals(275.2, ZEN5_DESKTOP.fp32GflopsPerCore(), 1e-9);
        assertEquals(89.6, ZEN5_DESKTOP.memoryBandwidthGBps(), 1e-9);
    }

    /** Core i9-14900K: 8 P + 16 E cores; only P cores have two threads, so 8 x 2 + 16 = 24 cores make 32 threads. */
    @Test
    void hybrid_countsBothKindsOfCore() {
        CpuTopology raptorLake = new CpuTopology(8, 16, 32, 2, 5600, 1, 3.2, 32);
        assertEquals(24, raptorLake.physicalCores());
        assertEquals(102.4, raptorLake.fp32GflopsPerCore(), 1e-9);
    }

    @Test
    void outOfRange_namesTheComponent() {
        assertEquals("performanceCores: 0 (expected: >= 1)", assertThrows(IllegalArgumentException.class,
                () -> new CpuTopology(0, 0, 1, 2, 5600, 1, 4.3, 64)).getMessage());
        assertEquals("efficiencyCores: -1 (expected: >= 0)", assertThrows(IllegalArgumentException.class,
                () -> new CpuTopology(8, -1, 16, 2, 5600, 1, 4.3, 64)).getMessage());
        assertEquals("hardwareThreads: 23 (expected: 1 to 8 per physical core, performanceCores + efficiencyCores = 24)",
                assertThrows(IllegalArgumentException.class,
                        () -> new CpuTopology(8, 16, 23, 2, 5600, 1, 3.2, 32)).getMessage());
        assertEquals("hardwareThreads: 129 (expected: 1 to 8 per physical core, performanceCores + efficiencyCores = 16)",
                assertThrows(IllegalArgumentException.class,
                        () -> new CpuTopology(16, 0, 129, 2, 5600, 1, 4.3, 64)).getMessage());
        assertEquals("efficiencyCores: 2147483647 (expected: performanceCores + efficiencyCores at most 2147483647)",
                assertThrows(IllegalArgumentException.class,
                        () -> new CpuTopology(16, Integer.MAX_VALUE, 32, 2, 5600, 1, 4.3, 64)).getMessage());
        assertEquals("memoryChannels: 0 (expected: >= 1)", assertThrows(IllegalArgumentException.class,
                () -> new CpuTopology(16, 0, 32, 0, 5600, 1, 4.3, 64)).getMessage());
        assertEquals("memoryMTps: 0 (expected: >= 1)", assertThrows(IllegalArgumentException.class,
                () -> new CpuTopology(16, 0, 32, 2, 0, 1, 4.3, 64)).getMessage());
        assertEquals("numaNodes: 0 (expected: 1 to the physical cores, performanceCores + efficiencyCores = 16)",
                assertThrows(IllegalArgumentException.class,
                        () -> new CpuTopology(16, 0, 32, 2, 5600, 0, 4.3, 64)).getMessage());
        assertEquals("numaNodes: 17 (expected: 1 to the physical cores, performanceCores + efficiencyCores = 16)",
                assertThrows(IllegalArgumentException.class,
                        () -> new CpuTopology(16, 0, 32, 2, 5600, 17, 4.3, 64)).getMessage());
        assertEquals("fp32FlopsPerCycle: 0 (expected: >= 1)", assertThrows(IllegalArgumentException.class,
                () -> new CpuTopology(16, 0, 32, 2, 5600, 1, 4.3, 0)).getMessage());
    }

    @Test
    void clock_nanZeroInfinite() {
        for (double clock : new double[] {Double.NaN, 0, -4.3, Double.POSITIVE_INFINITY}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> new CpuTopology(16, 0, 32, 2, 5600, 1, clock, 64));
            assertEquals("clockGHz: " + clock + " (expected: a finite number > 0 GHz)", e.getMessage());
        }
    }

    @Test
    void device_carriesCpu() {
        Device ram = Device.builder("Ryzen 9 9950X", DeviceKind.SYSTEM_RAM).memoryBytes(96L << 30)
                .memoryBandwidthGBps(89.6).build();
        assertEquals(Optional.empty(), ram.cpu());
        Device withCpu = ram.withCpu(ZEN5_DESKTOP);
        assertEquals(Optional.of(ZEN5_DESKTOP), withCpu.cpu());
        assertEquals(Optional.empty(), ram.cpu());
        assertEquals(Optional.of(ZEN5_DESKTOP), withCpu.withMemoryBytes(64L << 30).cpu());
        assertEquals(withCpu, Device.builder("Ryzen 9 9950X", DeviceKind.SYSTEM_RAM).memoryBytes(96L << 30)
                .memoryBandwidthGBps(89.6).cpu(ZEN5_DESKTOP).build());
        assertTrue(!withCpu.equals(ram));
    }

    @Test
    void device_discreteGpuRefusesCpu() {
        Device.Builder gpu = Device.builder("RTX 4090", DeviceKind.DISCRETE_GPU).memoryBytes(24L << 30)
                .memoryBandwidthGBps(1008);
        String expected = "cpu: set for a DISCRETE_GPU device (expected: only for SYSTEM_RAM or UNIFIED_MEMORY;"
                + " a GPU's host CPU is a device of its own)";
        assertEquals(expected, assertThrows(IllegalStateException.class,
                () -> gpu.cpu(ZEN5_DESKTOP).build()).getMessage());
        Device card = Device.builder("RTX 4090", DeviceKind.DISCRETE_GPU).memoryBytes(24L << 30)
                .memoryBandwidthGBps(1008).build();
        assertEquals(expected, assertThrows(IllegalStateException.class, () -> card.withCpu(ZEN5_DESKTOP))
                .getMessage());
        assertThrows(NullPointerException.class, () -> card.withCpu(null));
    }
}
