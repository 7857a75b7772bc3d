package io.github.llmestimator.examples.machine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/**
 * The detection's readers on recorded outputs (see the README beside the fixtures for where each was published); every
 * expected value is read off the fixture by hand.
 */
final class ParsersTest {

    private static final long MIB = 1L << 20;
    private static final long GIB = 1L << 30;

    static String fixture(String name) {
        try (InputStream in = ParsersTest.class.getResourceAsStream(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException | NullPointerException e) {
            throw new AssertionError("fixture " + name, e);
        }
    }

    /** The CI machine: 2 processors, core ids 0 and 1 of physical id 0, "AMD EPYC"; MemTotal 24683620 kB; node 0. */
    @Test
    void linux_ciMachine() {
        Linux.CpuInfo cpu = Linux.cpuinfo(fixture("proc-cpuinfo-ci-epyc-2cpu.txt"));
        assertEquals(Optional.of("AMD EPYC"), cpu.modelName());
        assertEquals(2, cpu.logicalCpus());
        assertEquals(OptionalInt.of(2), cpu.physicalCores());
        assertEquals(OptionalInt.of(1), cpu.sockets());
        assertEquals(OptionalLong.of(24683620L * 1024), Linux.memTotalBytes(fixture("proc-meminfo-ci.txt")));
        assertEquals(1, Linux.countList(fixture("sys-node-online-ci.txt")));
        assertEquals(4, Linux.countList("0-1,4,6"));
        assertThrows(IllegalArgumentException.class, () -> Linux.countList("0-"));
        assertThrows(IllegalArgumentException.class, () -> Linux.cpuinfo("flags : avx"));
        assertThrows(IllegalArgumentException.class, () -> Linux.memTotalBytes("MemTotal: lots"));
        assertEquals(OptionalLong.empty(), Linux.memTotalBytes("MemFree: 1 kB"));
    }

    /** RTX 2080, memory.total 7979 MiB (the 4th of 19 queried fields, name the 7th). */
    @Test
    void nvidiaSmi_recordedNoHeader() {
        List<String> fields = List.of("power.limit", "power.min_limit", "power.max_limit", "memory.total",
                "vbios_version", "driver_version", "name", "gpu_uuid", "power.draw", "temperature.gpu",
                "temperature.memory", "clocks.current.graphics", "clocks.sm", "clocks.mem", "utilization.gpu",
                "utilization.memory", "fan.speed", "pcie.link.width.current", "pstate");
        List<DetectedGpu> gpus = GpuTools.nvidiaSmi(fixture("nvidia-smi-rtx2080-noheader.csv"), fields);
        assertEquals(1, gpus.size());
        assertEquals("GeForce RTX 2080", gpus.get(0).name());
        assertEquals(OptionalLong.of(7979 * MIB), gpus.get(0).memoryBytes());
        assertEquals("nvidia-smi", gpus.get(0).source());
    }

    @Test
    void nvidiaSmi_headerForm() {
        List<DetectedGpu> gpus = GpuTools.nvidiaSmi(fixture("nvidia-smi-header-constructed.csv"));
        assertEquals(List.of(new DetectedGpu("GeForce RTX 2080", OptionalLong.of(7979 * MIB), OptionalInt.empty(),
                "nvidia-smi")), gpus);
        assertThrows(IllegalArgumentException.class, () -> GpuTools.nvidiaSmi("name, memory.total [MiB]\nX, lots"));
        assertThrows(IllegalArgumentException.class, () -> GpuTools.nvidiaSmi("name\nX"));
    }

    /** Two MI100 by their Card series; the product-name query states no memory. */
    @Test
    void rocmSmi_csvProductName() {
        List<DetectedGpu> gpus = GpuTools.rocmSmi(fixture("rocm-smi-mi100-productname.csv"));
        assertEquals(2, gpus.size());
        assertEquals("Arcturus GL-XL [AMD Instinct MI100]", gpus.get(1).name());
        assertEquals(OptionalLong.empty(), gpus.get(1).memoryBytes());
    }

    /** Navi 21 with 17163091968 B of VRAM and the Raphael iGPU with 67108864 B (64 MiB). */
    @Test
    void rocmSmi_csvWithVram() {
        List<DetectedGpu> gpus = GpuTools.rocmSmi(fixture("rocm-smi-rx6800-raphael.csv"));
        assertEquals("Navi 21 [Radeon RX 6800/6800 XT / 6900 XT]", gpus.get(0).name());
        assertEquals(OptionalLong.of(17_163_091_968L), gpus.get(0).memoryBytes());
        assertEquals("Raphael", gpus.get(1).name());
        assertEquals(OptionalLong.of(64 * MIB), gpus.get(1).memoryBytes());
    }

    @Test
    void rocmSmi_textAndJson() {
        assertEquals("Fiji [Radeon R9 FURY / NANO Series]",
                GpuTools.rocmSmi(fixture("rocm-smi-fiji-productname.txt")).get(0).name());
        // the VRAM query alone names no product: no GPU to report, and its total read when a name is there
        assertEquals(List.of(), GpuTools.rocmSmi(fixture("rocm-smi-meminfo-vram.txt")));
        assertEquals(OptionalLong.of(4_278_190_080L), GpuTools.rocmSmi(fixture("rocm-smi-fiji-productname.txt")
                + fixture("rocm-smi-meminfo-vram.txt")).get(0).memoryBytes());
        assertEquals("AMD INSTINCT MI200 (MCM) OAM LC MBA HPE C2",
                GpuTools.rocmSmi(fixture("rocm-smi-mi200-productname.json")).get(0).name());
        assertThrows(IllegalArgumentException.class, () -> GpuTools.rocmSmi("nothing here"));
    }

    /** M1 Pro: 8 performance and 2 efficiency cores, 10 in all; brand "Apple M1" from the other M1 post. */
    @Test
    void sysctl_recorded() {
        MacOs.Sysctl perf = MacOs.sysctl(fixture("sysctl-m1-pro-perflevel.txt"));
        assertEquals(OptionalInt.of(8), perf.performanceCores());
        assertEquals(OptionalInt.of(2), perf.efficiencyCores());
        assertEquals(OptionalInt.of(10), perf.logicalCpus());
        assertEquals(OptionalLong.empty(), perf.memoryBytes());
        assertEquals(Optional.of("Apple M1"), MacOs.sysctl(fixture("sysctl-m1-machdep.txt")).brand());
        assertEquals(OptionalLong.of(16 * GIB), MacOs.sysctl("hw.memsize: 17179869184").memoryBytes());
        assertThrows(IllegalArgumentException.class, () -> MacOs.sysctl("hw.memsize: a lot"));
    }

    /** M1 Pro: Chip, 10 cores, 16 GB; the constructed M2 Ultra adds the GPU section: 76 GPU cores. */
    @Test
    void systemProfiler() {
        MacOs.SystemProfiler m1 = MacOs.systemProfiler(fixture("system-profiler-m1-pro-hardware.txt"));
        assertEquals(Optional.of("Apple M1 Pro"), m1.chip());
        assertEquals(OptionalInt.of(10), m1.cpuCores());
        assertEquals(OptionalLong.of(16 * GIB), m1.memoryBytes());
        assertEquals(OptionalInt.empty(), m1.gpuCores());
        MacOs.SystemProfiler ultra = MacOs.systemProfiler(fixture("system-profiler-m2-ultra-constructed.txt"));
        assertEquals(Optional.of("Apple M2 Ultra"), ultra.gpuName());
        assertEquals(OptionalInt.of(76), ultra.gpuCores());
        assertEquals(OptionalInt.of(24), ultra.cpuCores());
        assertEquals(OptionalLong.of(192 * GIB), ultra.memoryBytes());
    }

    /**
     * Threadripper: one populated slot, 16 GB DDR4 at 3200 MT/s, 64 data bits, in "P0 CHANNEL A": one channel, 8 B x
     * 3200 MT/s = 25.6 GB/s. The DDR3 server's slots name no channel: unknown.
     */
    @Test
    void dmidecode_recorded() {
        List<Dmidecode.Module> tr = Dmidecode.modules(fixture("dmidecode-threadripper.txt"));
        assertEquals(1, tr.size());
        assertEquals(16 * GIB, tr.get(0).bytes());
        assertEquals(Optional.of("DDR4"), tr.get(0).type());
        assertEquals(OptionalInt.of(3200), tr.get(0).configuredMegatransfers());
        assertEquals(Optional.of("A"), tr.get(0).channel());
        assertEquals(OptionalInt.of(1), Dmidecode.channels(tr));
        assertEquals(25.6, Dmidecode.peakBandwidthGBps(tr).getAsDouble(), 1e-9);
        List<Dmidecode.Module> server = Dmidecode.modules(fixture("dmidecode-ddr3-server.txt"));
        assertEquals(2, server.size());
        assertEquals(8 * GIB, server.get(1).bytes());
        assertEquals(OptionalInt.of(1600), server.get(1).configuredMegatransfers());
        assertEquals(OptionalInt.empty(), Dmidecode.channels(server));
        assertEquals(OptionalDouble.empty(), Dmidecode.peakBandwidthGBps(server));
        assertThrows(IllegalArgumentException.class, () -> Dmidecode.modules("# dmidecode 3.4\nno records"));
    }
}
