package io.github.llmestimator.examples.machine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** Detection on recorded files and tool outputs served by a fake host; catalog matching by name. */
final class DetectorTest {

    /** A host that serves fixed files and command outputs; anything else is missing. */
    private record FakeHost(String osName, Map<String, String> files, Map<String, String> commands)
            implements Detector.Host {
        @Override
        public Optional<String> file(String path) {
            return Optional.ofNullable(files.get(path));
        }

        @Override
        public Detector.Result run(String... command) {
            String output = commands.get(command[0]);
            return output == null ? Detector.Result.failed("not on PATH") : Detector.Result.ok(output);
        }

        @Override
        public int availableProcessors() {
            return 1;
        }
    }

    private static Optional<Fact> fact(Machine machine, String name) {
        return machine.facts().stream().filter(f -> f.name().equals(name)).findFirst();
    }

    /**
     * The CI machine's files, dmidecode's Threadripper record and no GPU tool: 2 threads, 24683620 kB, 1 node, DDR4
     * at 3200 MT/s in one channel (25.6 GB/s), "GPU: none found" naming both tools.
     */
    @Test
    void linux_withoutGpu() {
        Machine machine = Detector.detect(new FakeHost("Linux", Map.of(
                "/proc/cpuinfo", ParsersTest.fixture("proc-cpuinfo-ci-epyc-2cpu.txt"),
                "/proc/meminfo", ParsersTest.fixture("proc-meminfo-ci.txt"),
                "/sys/devices/system/node/online", ParsersTest.fixture("sys-node-online-ci.txt")),
                Map.of("dmidecode", ParsersTest.fixture("dmidecode-threadripper.txt"))));
        assertEquals(2, machine.logicalCpus());
        assertEquals(OptionalLong.of(24683620L * 1024), machine.memoryBytes());
        assertEquals("/proc/meminfo MemTotal", fact(machine, "memory").orElseThrow().source());
        assertEquals("1", fact(machine, "NUMA nodes").orElseThrow().value());
        assertEquals("DDR4", fact(machine, "memory type").orElseThrow().value());
        assertEquals("3200 MT/s", fact(machine, "memory speed").orElseThrow().value());
        assertEquals(25.6, machine.ramPeakBandwidthGBps().getAsDouble(), 1e-9);
        Fact gpu = fact(machine, "GPU").orElseThrow();
        assertEquals("none found", gpu.value());
        assertEquals("nvidia-smi: not on PATH; rocm-smi: not on PATH", gpu.source());
        assertTrue(machine.gpus().isEmpty());
    }

    /** Without dmidecode, its facts are unknown with the reason; with nvidia-smi, the GPU is listed. */
    @Test
    void linux_unknownsSayWhy() {
        Machine machine = Detector.detect(new FakeHost("Linux", Map.of(), Map.of("nvidia-smi",
                "GeForce RTX 2080, 7979\n")));
        assertFalse(fact(machine, "memory").orElseThrow().known());
        assertEquals("dmidecode -t memory: not on PATH",
                fact(machine, "memory type, speed and channels").orElseThrow().source());
        assertEquals(OptionalDouble.empty(), machine.ramPeakBandwidthGBps());
        assertEquals(List.of(new DetectedGpu("GeForce RTX 2080", OptionalLong.of(7979L << 20), OptionalInt.empty(),
                "nvidia-smi")), machine.gpus());
    }

    /** macOS: the M1 Pro's sysctl and system_profiler lines; the chip and its memory with their sources. */
    @Test
    void macOs() {
        Machine machine = Detector.detect(new FakeHost("Mac OS X", Map.of(), Map.of(
                "sysctl", ParsersTest.fixture("sysctl-m1-pro-perflevel.txt") + "hw.memsize: 17179869184\n",
                "system_profiler", ParsersTest.fixture("system-profiler-m2-ultra-constructed.txt"))));
        assertEquals(Optional.of("Apple M2 Ultra"), machine.appleChip());
        assertEquals(OptionalLong.of(16L << 30), machine.memoryBytes());
        assertEquals("sysctl hw.memsize", fact(machine, "memory").orElseThrow().source());
        assertEquals("8", fact(machine, "performance cores").orElseThrow().value());
        assertEquals(OptionalInt.of(76), machine.appleGpuCores());
    }

    /**
     * Tool names to catalog devices; a GPU of another memory size (an RTX 2080 is not the catalog's 2080 Ti), or an
     * Apple chip of other cores (no M2 Ultra has 72), is no match.
     */
    @Test
    void catalogMatch() {
        assertEquals("a100-80gb", CatalogMatch.gpu(gpu("NVIDIA A100-SXM4-80GB", 81920)).orElseThrow().preset().id());
        assertEquals("a100-40gb", CatalogMatch.gpu(gpu("NVIDIA A100-SXM4-40GB", 40960)).orElseThrow().preset().id());
        assertEquals("rtx-4090", CatalogMatch.gpu(gpu("NVIDIA GeForce RTX 4090", 24564)).orElseThrow().preset().id());
        assertEquals("rtx-3060-12gb", CatalogMatch.gpu(gpu("NVIDIA GeForce RTX 3060", 12288)).orElseThrow().preset()
                .id());
        // the 8 GB bin is its own preset; the 16 GB preset does not match 8 GB
        assertEquals("rtx-4060-ti-8gb", CatalogMatch.gpu(gpu("NVIDIA GeForce RTX 4060 Ti", 8188)).orElseThrow()
                .preset().id());
        assertEquals("rtx-4060-ti-16gb", CatalogMatch.gpu(gpu("NVIDIA GeForce RTX 4060 Ti", 16380)).orElseThrow()
                .preset().id());
        assertEquals(Optional.empty(), CatalogMatch.gpu(gpu("GeForce RTX 2080", 7979)));
        // each memory option of a chip is its own preset: the installed memory picks it
        assertEquals("m2-ultra", CatalogMatch.appleChip("Apple M2 Ultra", OptionalInt.of(76),
                OptionalLong.of(192L << 30)).orElseThrow().preset().id());
        assertEquals("m2-ultra-128gb", CatalogMatch.appleChip("Apple M2 Ultra", OptionalInt.of(76),
                OptionalLong.of(128L << 30)).orElseThrow().preset().id());
        assertEquals("m2-ultra-64gb", CatalogMatch.appleChip("Apple M2 Ultra", OptionalInt.of(60),
                OptionalLong.of(64L << 30)).orElseThrow().preset().id());
        assertEquals(Optional.empty(), CatalogMatch.appleChip("Apple M2 Ultra", OptionalInt.of(72),
                OptionalLong.empty()));
        assertTrue(CatalogMatch.appleChip("Apple M1 Pro", OptionalInt.empty(), OptionalLong.empty()).orElseThrow()
                .note().contains("16-core"));
    }

    @Test
    void probe_rejectsBadSizesAndCountsThreads() {
        assertThrows(IllegalArgumentException.class, () -> new BandwidthProbe(1000, 5));
        assertThrows(IllegalArgumentException.class, () -> new BandwidthProbe(1L << 20, 1));
        assertEquals(List.of(1, 2), box(BandwidthProbe.threadCounts(2)));
        assertEquals(List.of(1, 2, 3, 4, 8, 16, 24), box(BandwidthProbe.threadCounts(24)));
        List<BandwidthProbe.Result> results = new BandwidthProbe(1L << 20, 2).measure(1);
        assertEquals("copy", results.get(0).kernel());
        assertEquals("triad", results.get(1).kernel());
        assertTrue(results.get(1).bestGBps() >= results.get(1).worstGBps() && results.get(1).worstGBps() > 0);
    }

    private static DetectedGpu gpu(String name, long mib) {
        return new DetectedGpu(name, OptionalLong.of(mib << 20), OptionalInt.empty(), "nvidia-smi");
    }

    private static List<Integer> box(int[] values) {
        return java.util.Arrays.stream(values).boxed().toList();
    }
}
