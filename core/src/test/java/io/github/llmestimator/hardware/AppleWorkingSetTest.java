package io.github.llmestimator.hardware;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class AppleWorkingSetTest {

    private static final long GIB = 1L << 30;
    private static final long MIB = 1L << 20;

    private static Device mac(long memoryBytes) {
        return Device.builder("Mac", DeviceKind.UNIFIED_MEMORY).memoryBytes(memoryBytes).memoryBandwidthGBps(400)
                .build();
    }

    @Test
    void defaultLimit_matchesWhatMetalReports() {
        // 16 GiB: 17,179,869,184 * 2/3 = 11,453,246,122.67 -> 11,453,246,122 B = 10922.667 MiB; llama.cpp printed
        // "recommendedMaxWorkingSetSize = 10922.67 MB" (MiB then) on a 16 GB M1
        // (https://github.com/abetlen/llama-cpp-python/issues/687)
        AppleWorkingSet m16 = new AppleWorkingSet(16 * GIB, OptionalLong.empty());
        assertEquals(11_453_246_122L, m16.limitBytes());
        assertEquals(10922.67, m16.limitBytes() / (double) MIB, 0.005);
        assertEquals(AppleWorkingSet.Source.DEFAULT_TWO_THIRDS, m16.source());
        // 32 GiB: 34,359,738,368 * 2/3 = 22,906,492,245.33 -> 21845.333 MiB; printed 21845.34 on a 32 GB M2 Max
        // (https://github.com/ollama/ollama/issues/434); Metal rounds up to its 16 KiB page, so within 0.02 MiB
        assertEquals(22_906_492_245L, new AppleWorkingSet(32 * GIB, OptionalLong.empty()).limitBytes());
        assertEquals(21845.34, new AppleWorkingSet(32 * GIB, OptionalLong.empty()).limitBytes() / (double) MIB, 0.02);
        // 64 GiB: 68,719,476,736 * 3/4 = 51,539,607,552 B = 49152 MiB exactly, as printed on a 64 GB M2 Max
        // (https://github.com/ggml-org/llama.cpp/issues/1870)
        AppleWorkingSet m64 = new AppleWorkingSet(64 * GIB, OptionalLong.empty());
        assertEquals(49152 * MIB, m64.limitBytes());
        assertEquals(AppleWorkingSet.Source.DEFAULT_THREE_QUARTERS, m64.source());
    }

    @Test
    void boundary_36GiBIsTwoThirds_above_threeQuarters() {
        // 36 GiB * 2/3 = 24 GiB; 48 GiB * 3/4 = 36 GiB; one byte over 36 GiB already takes 3/4
        assertEquals(24 * GIB, new AppleWorkingSet(36 * GIB, OptionalLong.empty()).limitBytes());
        assertEquals(36 * GIB, new AppleWorkingSet(48 * GIB, OptionalLong.empty()).limitBytes());
        assertEquals(AppleWorkingSet.Source.DEFAULT_THREE_QUARTERS,
                new AppleWorkingSet(36 * GIB + 1, OptionalLong.empty()).source());
        // (36 GiB + 1) * 3/4 = 28,991,029,248.75 -> 28,991,029,248
        assertEquals(28_991_029_248L, new AppleWorkingSet(36 * GIB + 1, OptionalLong.empty()).limitBytes());
    }

    @Test
    void wiredLimit_isExactlyTheMiBGiven() {
        // iogpu.wired_limit_mb = 114688 made Metal report 112.00 GiB on a 128 GiB Mac
        // (https://github.com/antirez/ds4/pull/893): 114688 / 1024 = 112
        AppleWorkingSet raised = new AppleWorkingSet(128 * GIB, OptionalLong.of(114_688));
        assertEquals(112 * GIB, raised.limitBytes());
        assertEquals(AppleWorkingSet.Source.WIRED_LIMIT, raised.source());
        assertEquals(128 * GIB, new AppleWorkingSet(128 * GIB, OptionalLong.of(131_072)).limitBytes());
    }

    @Test
    void wiredLimit_outOfRange_isRefused() {
        IllegalArgumentException above = assertThrows(IllegalArgumentException.class,
                () -> new AppleWorkingSet(64 * GIB, OptionalLong.of(65_537)));
        assertEquals("wiredLimitMiB: 65537 (expected: 1 to 65536 MiB, the installed memory; or 0 for macOS's default)",
                above.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new AppleWorkingSet(64 * GIB, OptionalLong.of(-1)));
        assertThrows(IllegalArgumentException.class, () -> new AppleWorkingSet(0, OptionalLong.empty()));
        IllegalArgumentException zero = assertThrows(IllegalArgumentException.class,
                () -> mac(64 * GIB).withWiredLimitMiB(0));
        assertTrue(zero.getMessage().startsWith("wiredLimitMiB: 0 (expected: 1 to 65536 MiB"), zero.getMessage());
        assertThrows(IllegalArgumentException.class, () -> mac(64 * GIB).withWiredLimitMiB(65_537));
        assertThrows(IllegalArgumentException.class,
                () -> mac(64 * GIB).withWiredLimitMiB(65_536).withMemoryBytes(32 * GIB));
    }

    @Test
    void metalDevice_withoutShare_followsTheRule() {
        Device m64 = mac(64 * GIB);
        assertEquals(48 * GIB, m64.usableMemoryBytes());
        assertEquals(OptionalDouble.empty(), m64.gpuMemoryFraction());
        assertEquals(Optional.of(new AppleWorkingSet(64 * GIB, OptionalLong.empty())), m64.appleWorkingSet());
        // the same Mac with 36 GiB: 2/3 = 24 GiB, not 3/4 of it
        assertEquals(24 * GIB, m64.withMemoryBytes(36 * GIB).usableMemoryBytes());
        Device raised = m64.withWiredLimitMiB(57_344);
        assertEquals(56 * GIB, raised.usableMemoryBytes());
        assertEquals(AppleWorkingSet.Source.WIRED_LIMIT, raised.appleWorkingSet().orElseThrow().source());
        // an explicit share replaces the rule and the wired limit
        Device shared = raised.withGpuMemoryFraction(0.5);
        assertEquals(32 * GIB, shared.usableMemoryBytes());
        assertEquals(Optional.empty(), shared.appleWorkingSet());
    }

    @Test
    void wiredLimit_onlyForMetal() {
        Device spark = Device.builder("DGX Spark", DeviceKind.UNIFIED_MEMORY).memoryBytes(128 * GIB)
                .memoryBandwidthGBps(273).backend(Backend.CUDA).gpuMemoryFraction(0.95).build();
        IllegalStateException cuda = assertThrows(IllegalStateException.class, () -> spark.withWiredLimitMiB(1024));
        assertEquals("wiredLimitMiB: set for a CUDA device (expected: only for a METAL device, macOS's"
                + " iogpu.wired_limit_mb)", cuda.getMessage());
        assertThrows(IllegalStateException.class, () -> Device.builder("Mac", DeviceKind.UNIFIED_MEMORY)
                .memoryBytes(64 * GIB).memoryBandwidthGBps(400).gpuMemoryFraction(0.75).wiredLimitMiB(1024).build());
        assertThrows(IllegalArgumentException.class, () -> Device.builder("Mac", DeviceKind.UNIFIED_MEMORY)
                .memoryBytes(64 * GIB).memoryBandwidthGBps(400).wiredLimitMiB(65_537).build());
    }

    @Test
    void pastTheLimit_pagesAndDoesNotFit() {
        Device m64 = mac(64 * GIB);
        // 45 GiB of weights: over 2/3 (42.67 GiB) but under 3/4 (48 GiB): fits the default
        DeviceUsage under = new DeviceUsage(m64, 45 * GIB, 0, 0, 0, 0, 0);
        assertTrue(under.fits());
        assertFalse(under.paging());
        // 50 GiB: over 48 GiB, under 64 GiB installed: pages, does not fit
        DeviceUsage over = new DeviceUsage(m64, 50 * GIB, 0, 0, 0, 0, 0);
        assertFalse(over.fits());
        assertTrue(over.paging());
        // 65 GiB: past the installed memory too: does not fit, and is not merely paging
        DeviceUsage beyond = new DeviceUsage(m64, 65 * GIB, 0, 0, 0, 0, 0);
        assertFalse(beyond.fits());
        assertFalse(beyond.paging());
        // a discrete GPU never pages
        Device gpu = Device.builder("GPU", DeviceKind.DISCRETE_GPU).memoryBytes(24 * GIB).memoryBandwidthGBps(1008)
                .build();
        assertFalse(new DeviceUsage(gpu, 25 * GIB, 0, 0, 0, 0, 0).paging());
    }
}
