package io.github.llmestimator.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.llmestimator.hardware.Backend;
import io.github.llmestimator.hardware.Device;
import io.github.llmestimator.hardware.DeviceKind;
import io.github.llmestimator.hardware.Precision;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

final class HardwareCatalogTest {

    private static final Path HARDWARE_DIR = Path.of("src/main/resources/io/github/llmestimator/catalog/hardware");

    /** Every entry loads and names the source of every figure it has. */
    @Test
    void everyDevice_hasSources() {
        for (HardwarePreset preset : Catalog.hardware()) {
            assertTrue(preset.sources().containsKey("memory"), preset.id());
            assertTrue(preset.sources().containsKey("bandwidth"), preset.id());
            boolean hasCompute = false;
            for (Precision p : Precision.values()) {
                hasCompute |= preset.device().denseTflops(p).isPresent();
            }
            if (hasCompute) {
                assertTrue(preset.sources().containsKey("compute"), preset.id() + ": compute figures without a source");
            }
            if (preset.device().hostLink().isPresent()) {
                assertTrue(preset.sources().containsKey("hostLink"), preset.id());
            }
        }
    }

    @Test
    void index_listsEveryFile() throws IOException {
        Set<String> files;
        try (Stream<Path> stream = Files.list(HARDWARE_DIR)) {
            files = stream.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".json"))
                    .map(n -> n.substring(0, n.length() - 5)).collect(Collectors.toSet());
        }
        assertEquals(files, Set.copyOf(Catalog.index("hardware")));
        // 38 presets before catalog 2.0, plus 26 Apple memory options (M5 included), 51 GPUs and 5 CPUs = 120.
        assertTrue(files.size() >= 120, "at least 120 devices, found " + files.size());
    }

    /**
     * Datasheet figures, spot-checked by hand: RTX 4090 24 GiB at 1008 GB/s (Ada whitepaper); dual-channel DDR5-5600 =
     * 2 x 5600 MT/s x 8 B = 89.6 GB/s; H100 SXM 3350 GB/s, 80 GiB.
     */
    @Test
    void datasheetFigures() {
        assertEquals(24L << 30, Hardware.RTX_4090.memoryBytes());
        assertEquals(1008.0, Hardware.RTX_4090.memoryBandwidthGBps(), 0.0);
        assertEquals(DeviceKind.DISCRETE_GPU, Hardware.RTX_4090.kind());
        assertEquals(89.6, Hardware.DDR5_5600_DUAL_CHANNEL.memoryBandwidthGBps(), 1e-9);
        assertEquals(DeviceKind.SYSTEM_RAM, Hardware.DDR5_5600_DUAL_CHANNEL.kind());
        assertEquals(3350.0, Catalog.hardware("h100-sxm").device().memoryBandwidthGBps(), 0.0);
        // HBM3 on the H100 SXM, HBM2e on the MI210 (their datasheets); GDDR6X on the RTX 4090, LPDDR5X on DGX Spark
        assertTrue(Catalog.hardware("h100-sxm").device().highBandwidthMemory());
        assertTrue(Catalog.hardware("mi210").device().highBandwidthMemory());
        assertFalse(Catalog.hardware("rtx-4090").device().highBandwidthMemory());
        assertFalse(Catalog.hardware("dgx-spark").device().highBandwidthMemory());
        assertEquals(80L << 30, Catalog.hardware("h100-sxm").device().memoryBytes());
        assertEquals(DeviceKind.UNIFIED_MEMORY, Catalog.hardware("m3-ultra").device().kind());
    }

    /**
     * The data files hold exactly the documented keys (a typo such as "memoryByte" would otherwise be silently ignored
     * by the reader), every figure that is present names a source, and every source is a link.
     */
    @Test
    void everyFile_matchesTheSchema() {
        Set<String> top = Set.of("id", "displayName", "kind", "backend", "memoryBytes", "memoryBandwidthGBps",
                "highBandwidthMemory", "denseTflops", "hostLink", "gpuMemoryFraction", "power", "cpu", "sources", "notes");
        Set<String> cpuKeys = Set.of("performanceCores", "efficiencyCores", "hardwareThreads", "memoryChannels",
                "memoryMTps", "numaNodes", "clockGHz", "fp32FlopsPerCycle");
        Set<String> cpuSources = Set.of("cpuCores", "cpuMemory", "cpuNuma", "cpuClock", "cpuFlopsPerCycle");
        for (String id : Catalog.index("hardware")) {
            Map<String, Object> file = Catalog.readJson("hardware/" + id + ".json");
            assertTrue(top.containsAll(file.keySet()), id + ": unknown keys in " + file.keySet());
            assertTrue(file.keySet().containsAll(Set.of("id", "displayName", "kind", "memoryBytes",
                    "memoryBandwidthGBps", "denseTflops", "sources", "notes")), id + ": missing keys");
            assertEquals(Set.of("fp16", "int8", "fp8", "fp4"), map(file, "denseTflops").keySet(), id);
            Map<String, Object> sources = map(file, "sources");
            Set<String> sourceKeys = new java.util.HashSet<>(sources.keySet());
            // a power figure and its source come together, or neither
            assertEquals(file.containsKey("power"), sourceKeys.remove("power"), id + ": power and its source");
            // CPU figures come with one source per fact, or neither
            assertEquals(file.containsKey("cpu"), sourceKeys.containsAll(cpuSources), id + ": cpu and its sources");
            if (file.containsKey("cpu")) {
                assertEquals(cpuKeys, map(file, "cpu").keySet(), id);
                for (String key : cpuSources) {
                    assertTrue(sources.get(key) != null, id + ": no source for " + key);
                }
            }
            sourceKeys.removeAll(cpuSources);
            assertEquals(Set.of("memory", "bandwidth", "compute", "hostLink", "gpuMemoryFraction"), sourceKeys, id);
            for (Object source : sources.values()) {
                assertTrue(source == null || source.toString().startsWith("http"), id + ": source " + source);
            }
            if (file.get("gpuMemoryFraction") != null) {
                assertTrue(sources.get("gpuMemoryFraction") != null, id + ": gpuMemoryFraction without a source");
            }
            assertFalse(file.get("notes").toString().isBlank(), id + ": notes say where the figures come from");
        }
    }

    /**
     * New presets, figures worked out by hand from their cited sources: M4 Pro with 24 GB = 24 x 2^30 B at Apple's
     * 273 GB/s; RX 7900 XTX 384-bit x 20 Gbps / 8 = 960 GB/s; EPYC 9654 12 channels x 4800 MT/s x 8 B = 460.8 GB/s;
     * one MI250 GCD = half of the package's 128 GB and 3.2 TB/s; RTX 3070 FP16 (FP32 accumulate) = 46 SMs x 1.725 GHz
     * x 512 FLOP/clk = 40.6 TFLOPS; M4 Max 36 GB is the 32-core GPU bin at 410 GB/s, not the 546 GB/s one.
     */
    @Test
    void newPresets_handWorkedFigures() {
        Device m4Pro24 = Catalog.hardware("m4-pro-24gb").device();
        assertEquals(24L << 30, m4Pro24.memoryBytes());
        assertEquals(273.0, m4Pro24.memoryBandwidthGBps(), 0.0);
        assertEquals(960.0, Catalog.hardware("rx-7900-xtx").device().memoryBandwidthGBps(), 0.0);
        assertEquals(Backend.VULKAN, Catalog.hardware("rx-7900-xtx").device().backend());
        Device epyc = Catalog.hardware("epyc-9654").device();
        assertEquals(12 * 4800 * 8 / 1000.0, epyc.memoryBandwidthGBps(), 1e-9);
        assertEquals(DeviceKind.SYSTEM_RAM, epyc.kind());
        Device mi250 = Catalog.hardware("mi250").device();
        assertEquals(128L << 30, 2 * mi250.memoryBytes());
        assertEquals(3200.0, 2 * mi250.memoryBandwidthGBps(), 0.0);
        assertEquals(Backend.ROCM, mi250.backend());
        assertEquals(40.6, Catalog.hardware("rtx-3070").device().denseTflops(Precision.FP16).orElseThrow(), 0.0);
        assertEquals(410.0, Catalog.hardware("m4-max-36gb").device().memoryBandwidthGBps(), 0.0);
        assertEquals(546.0, Catalog.hardware("m4-max-48gb").device().memoryBandwidthGBps(), 0.0);
    }

    /**
     * A memory option of an Apple chip is the same chip with more or less RAM: presets naming the same chip and GPU
     * core count (for example "Apple M4 Pro (20-core GPU, ...") share bandwidth and compute and differ in memory.
     */
    @Test
    void appleMemoryOptions_shareTheChipFigures() {
        Map<String, List<HardwarePreset>> byChip = Catalog.hardware().stream()
                .filter(p -> p.displayName().startsWith("Apple "))
                .collect(Collectors.groupingBy(p -> p.displayName().substring(0, p.displayName().indexOf(','))));
        int options = 0;
        for (List<HardwarePreset> chip : byChip.values()) {
            Device first = chip.get(0).device();
            Set<Long> sizes = new java.util.HashSet<>();
            for (HardwarePreset preset : chip) {
                assertEquals(first.memoryBandwidthGBps(), preset.device().memoryBandwidthGBps(), 0.0, preset.id());
                assertEquals(first.denseTflops(Precision.FP16), preset.device().denseTflops(Precision.FP16),
                        preset.id());
                assertTrue(sizes.add(preset.device().memoryBytes()), preset.id() + ": a duplicate memory option");
            }
            options += chip.size() - 1;
        }
        assertTrue(options >= 15, "memory options beyond one per chip: " + options);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Map<String, Object> file, String key) {
        return (Map<String, Object>) file.get(key);
    }

    /**
     * Published power figures: NVIDIA's 450 W total board power of the RTX 4090, Apple's 10 W idle and 295 W maximum
     * at the wall for the M2 Ultra Mac Studio (https://support.apple.com/en-us/102027), the GB10's 140 W package
     * power; every device with a figure names its source, and devices whose figure was not verified have none.
     */
    @Test
    void powerFigures() {
        io.github.llmestimator.hardware.Power rtx = Hardware.RTX_4090.power().orElseThrow();
        assertEquals(450, rtx.maxWatts());
        assertEquals(io.github.llmestimator.hardware.Power.Scope.BOARD, rtx.scope());
        assertTrue(rtx.idle().isEmpty());
        io.github.llmestimator.hardware.Power mac = Catalog.hardware("m2-ultra").device().power().orElseThrow();
        assertEquals(295, mac.maxWatts());
        assertEquals(10, mac.idle().getAsDouble());
        assertEquals(io.github.llmestimator.hardware.Power.Scope.SYSTEM, mac.scope());
        assertEquals(140, Catalog.hardware("dgx-spark").device().power().orElseThrow().maxWatts());
        // a laptop GPU's power is the laptop maker's choice within a range: no single figure
        assertTrue(Catalog.hardware("rtx-4090-laptop").device().power().isEmpty());
        // NVIDIA's H100 PCIe product brief: 350 W maximum TDP; Intel's i9-14900K: 253 W maximum turbo power (package)
        assertEquals(350, Catalog.hardware("h100-pcie").device().power().orElseThrow().maxWatts());
        io.github.llmestimator.hardware.Power cpu = Catalog.hardware("core-i9-14900k").device().power().orElseThrow();
        assertEquals(253, cpu.maxWatts());
        assertEquals(io.github.llmestimator.hardware.Power.Scope.PACKAGE, cpu.scope());
        long withPower = 0;
        for (HardwarePreset preset : Catalog.hardware()) {
            if (preset.device().power().isPresent()) {
                withPower++;
                assertTrue(preset.sources().get("power").startsWith("https://"), preset.id());
            }
        }
        assertEquals(53, withPower);
    }

    /**
     * CPU figures, checked by hand against the cited datasheets: a Ryzen 9 9950X has 16 cores, 32 threads, two channels
     * of DDR5-5600 (2 x 5600 x 8 B = 89.6 GB/s, the preset's bandwidth), one NUMA node and a 4.3 GHz base clock; Zen 5
     * has two 512-bit FMA pipes, so 2 x 16 lanes x 2 = 64 FLOPs per cycle and 4.3 x 64 = 275.2 GFLOP/s per core. A Core
     * i9-14900K has 8 P + 16 E cores and 32 threads; its P-core does 2 x 8 x 2 = 32 FLOPs per cycle at 3.2 GHz = 102.4
     * GFLOP/s. A Xeon 6980P ships in SNC3: 3 NUMA nodes for one socket of 128 cores. An EPYC 9654 (Zen 4, AVX-512 as two
     * 256-bit halves) does 2.4 GHz x 32 = 76.8 GFLOP/s per core.
     */
    @Test
    void cpuFigures() {
        io.github.llmestimator.hardware.CpuTopology zen5 = Catalog.hardware("ryzen-9-9950x").device().cpu().orElseThrow();
        assertEquals(16, zen5.physicalCores());
        assertEquals(0, zen5.efficiencyCores());
        assertEquals(32, zen5.hardwareThreads());
        assertEquals(2, zen5.memoryChannels());
        assertEquals(5600, zen5.memoryMTps());
        assertEquals(1, zen5.numaNodes());
        assertEquals(275.2, zen5.fp32GflopsPerCore(), 1e-9);
        assertEquals(89.6, zen5.memoryBandwidthGBps(), 1e-9);
        io.github.llmestimator.hardware.CpuTopology raptor =
                Catalog.hardware("core-i9-14900k").device().cpu().orElseThrow();
        assertEquals(8, raptor.performanceCores());
        assertEquals(24, raptor.physicalCores());
        assertEquals(32, raptor.hardwareThreads());
        assertEquals(102.4, raptor.fp32GflopsPerCore(), 1e-9);
        io.github.llmestimator.hardware.CpuTopology granite =
                Catalog.hardware("xeon-6980p").device().cpu().orElseThrow();
        assertEquals(3, granite.numaNodes());
        assertEquals(128, granite.physicalCores());
        assertEquals(76.8, Catalog.hardware("epyc-9654").device().cpu().orElseThrow().fp32GflopsPerCore(), 1e-9);
        // M4 Pro (14-core CPU): 10 P + 4 E cores, LPDDR5X-8533 on 256 bits = 4 x 8533 x 8 B = 273.056 GB/s
        io.github.llmestimator.hardware.CpuTopology m4Pro = Catalog.hardware("m4-pro-24gb").device().cpu().orElseThrow();
        assertEquals(10, m4Pro.performanceCores());
        assertEquals(4, m4Pro.efficiencyCores());
        assertEquals(273.056, m4Pro.memoryBandwidthGBps(), 1e-9);
        // Strix Halo: 16 Zen 5 cores with the 512-bit pipeline at 3.0 GHz base: 3.0 x 64 = 192 GFLOP/s
        assertEquals(192.0, Hardware.RYZEN_AI_MAX_395.cpu().orElseThrow().fp32GflopsPerCore(), 1e-9);
        // the GB10's CPU clock is unpublished: no CPU rather than a guessed one
        assertTrue(Hardware.DGX_SPARK.cpu().isEmpty());
    }

    /**
     * Every CPU's channels x MT/s x 8 B matches the device's stated bandwidth within 3 % (Apple rounds 204.8 GB/s to
     * 200), so a wrong channel count or memory speed cannot slip in; every SYSTEM_RAM preset named after a CPU has one.
     */
    @Test
    void cpuMemory_matchesTheBandwidth() {
        for (HardwarePreset preset : Catalog.hardware()) {
            Device device = preset.device();
            device.cpu().ifPresent(cpu -> assertEquals(1, cpu.memoryBandwidthGBps() / device.memoryBandwidthGBps(),
                    0.03, preset.id() + ": " + cpu.memoryBandwidthGBps() + " GB/s from channels and MT/s vs "
                            + device.memoryBandwidthGBps()));
            if (device.kind() == DeviceKind.SYSTEM_RAM) {
                assertEquals(!preset.id().startsWith("ddr"), device.cpu().isPresent(), preset.id());
            }
        }
    }

    @Test
    void hardware_unknownIdListsClosest() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Catalog.hardware("rtx-4900"));
        assertTrue(e.getMessage().startsWith("hardware id: 'rtx-4900' (expected a catalog id; closest: [rtx-40"),
                e.getMessage());
        assertTrue(e.getMessage().contains("rtx-4090"), e.getMessage());
    }
}
