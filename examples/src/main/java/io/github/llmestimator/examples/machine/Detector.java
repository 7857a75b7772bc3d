package io.github.llmestimator.examples.machine;

import io.github.llmestimator.examples.Views;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * Detects this machine: reads the operating system's files and runs the vendors' tools through a {@link Host}, and
 * turns their output into {@link Fact}s with the readers of this package. Nothing is guessed: a file or tool that is
 * missing or refuses (dmidecode without root) leaves its facts unknown, with the reason.
 */
public final class Detector {

    private static final List<String> NVIDIA_FIELDS = List.of("name", "memory.total");

    private Detector() {
    }

    /** Where detection reads: files and commands. Implementations return empty for what is missing. */
    public interface Host {
        /**
         * Returns the operating system's name, as {@code os.name}.
         *
         * @return the name, such as {@code Linux} or {@code Mac OS X}
         */
        String osName();

        /**
         * Reads a file.
         *
         * @param path the path
         * @return its text, or empty when it is missing or unreadable
         */
        Optional<String> file(String path);

        /**
         * Runs a command and returns what it printed, if it ran and exited with status 0.
         *
         * @param command the program and its arguments
         * @return standard output, or a failure saying why (not found, exit status and the first line of its error)
         */
        Result run(String... command);

        /**
         * The hardware threads the JVM sees.
         *
         * @return at least 1
         */
        int availableProcessors();
    }

    /**
     * What a command gave: its output, or why there is none.
     *
     * @param output standard output when the command succeeded
     * @param failure why it did not ("not on PATH", "exit status 1: Permission denied")
     */
    public record Result(Optional<String> output, String failure) {

        /**
         * Returns a success.
         *
         * @param output standard output
         * @return the result
         */
        public static Result ok(String output) {
            return new Result(Optional.of(output), "");
        }

        /**
         * Returns a failure.
         *
         * @param why why the command gave nothing
         * @return the result
         */
        public static Result failed(String why) {
            return new Result(Optional.empty(), why);
        }
    }

    /**
     * Detects the machine.
     *
     * @param host where to read, not null
     * @return what was found
     */
    public static Machine detect(Host host) {
        List<Fact> facts = new ArrayList<>();
        facts.add(new Fact("operating system", host.osName(), "Java os.name"));
        boolean mac = host.osName().toLowerCase(Locale.ROOT).startsWith("mac");
        boolean linux = host.osName().toLowerCase(Locale.ROOT).startsWith("linux");
        OptionalLong memory = OptionalLong.empty();
        int logical = host.availableProcessors();
        Optional<String> chip = Optional.empty();
        List<DetectedGpu> gpus = new ArrayList<>();
        OptionalDouble peak = OptionalDouble.empty();
        if (linux) {
            Optional<String> cpuinfo = host.file("/proc/cpuinfo");
            if (cpuinfo.isPresent()) {
                Linux.CpuInfo cpu = Linux.cpuinfo(cpuinfo.get());
                facts.add(cpu.modelName().map(m -> new Fact("cpu model", m, "/proc/cpuinfo model name"))
                        .orElse(Fact.unknown("cpu model", "/proc/cpuinfo has no model name line")));
                logical = cpu.logicalCpus();
                facts.add(new Fact("hardware threads", String.valueOf(logical), "/proc/cpuinfo processor entries"));
                facts.add(cpu.physicalCores().isPresent() ? new Fact("physical cores",
                        String.valueOf(cpu.physicalCores().getAsInt()), "/proc/cpuinfo distinct (physical id, core id)")
                        : Fact.unknown("physical cores", "/proc/cpuinfo has no core id lines"));
            } else {
                facts.add(Fact.unknown("cpu model", "/proc/cpuinfo not readable"));
                facts.add(new Fact("hardware threads", String.valueOf(logical), "JVM availableProcessors"));
            }
            memory = host.file("/proc/meminfo").map(Linux::memTotalBytes).orElse(OptionalLong.empty());
            facts.add(memory.isPresent() ? new Fact("memory", Views.gib(memory.getAsLong()), "/proc/meminfo MemTotal")
                    : Fact.unknown("memory", "/proc/meminfo has no MemTotal"));
            facts.add(host.file("/sys/devices/system/node/online").map(list -> new Fact("NUMA nodes",
                    String.valueOf(Linux.countList(list)), "/sys/devices/system/node/online"))
                    .orElse(Fact.unknown("NUMA nodes", "/sys/devices/system/node/online not readable")));
            peak = dmidecode(host, facts);
        } else if (mac) {
            // all keys: naming one an Intel Mac lacks (hw.perflevel0.*) would make sysctl fail on the others too
            Result sysctl = host.run("sysctl", "-a");
            if (sysctl.output().isPresent()) {
                MacOs.Sysctl s = MacOs.sysctl(sysctl.output().get());
                chip = s.brand().filter(b -> b.startsWith("Apple M"));
                facts.add(s.brand().map(b -> new Fact("cpu model", b, "sysctl machdep.cpu.brand_string"))
                        .orElse(Fact.unknown("cpu model", "sysctl has no machdep.cpu.brand_string")));
                memory = s.memoryBytes();
                facts.add(memory.isPresent() ? new Fact("memory", Views.gib(memory.getAsLong()), "sysctl hw.memsize")
                        : Fact.unknown("memory", "sysctl has no hw.memsize"));
                if (s.performanceCores().isPresent()) {
                    facts.add(new Fact("performance cores", String.valueOf(s.performanceCores().getAsInt()),
                            "sysctl hw.perflevel0.physicalcpu"));
                }
                if (s.efficiencyCores().isPresent()) {
                    facts.add(new Fact("efficiency cores", String.valueOf(s.efficiencyCores().getAsInt()),
                            "sysctl hw.perflevel1.physicalcpu"));
                }
                if (s.logicalCpus().isPresent()) {
                    logical = s.logicalCpus().getAsInt();
                    facts.add(new Fact("hardware threads", String.valueOf(logical), "sysctl hw.logicalcpu"));
                }
            } else {
                facts.add(Fact.unknown("memory", "sysctl: " + sysctl.failure()));
            }
            Result profiler = host.run("system_profiler", "SPHardwareDataType", "SPDisplaysDataType");
            if (profiler.output().isPresent()) {
                MacOs.SystemProfiler p = MacOs.systemProfiler(profiler.output().get());
                if (p.chip().isPresent()) {
                    chip = p.chip();
                    facts.add(new Fact("chip", p.chip().get(), "system_profiler SPHardwareDataType Chip"));
                }
                if (p.gpuName().isPresent()) {
                    gpus.add(new DetectedGpu(p.gpuName().get(), OptionalLong.empty(), p.gpuCores(),
                            "system_profiler SPDisplaysDataType"));
                }
            } else {
                facts.add(Fact.unknown("chip", "system_profiler: " + profiler.failure()));
            }
        } else {
            facts.add(new Fact("hardware threads", String.valueOf(logical), "JVM availableProcessors"));
            facts.add(Fact.unknown("memory", "no reader for " + host.osName() + " (Linux and macOS are read)"));
        }
        if (!mac) {
            List<String> none = new ArrayList<>();
            Result nvidia = host.run("nvidia-smi", "--query-gpu=name,memory.total", "--format=csv,noheader,nounits");
            if (nvidia.output().isPresent()) {
                gpus.addAll(GpuTools.nvidiaSmi(nvidia.output().get(), NVIDIA_FIELDS));
            } else {
                none.add("nvidia-smi: " + nvidia.failure());
            }
            Result rocm = host.run("rocm-smi", "--showproductname", "--showmeminfo", "vram", "--csv");
            if (rocm.output().isPresent()) {
                gpus.addAll(GpuTools.rocmSmi(rocm.output().get()));
            } else {
                none.add("rocm-smi: " + rocm.failure());
            }
            if (gpus.isEmpty()) {
                facts.add(new Fact("GPU", "none found", String.join("; ", none)));
            }
        }
        for (DetectedGpu gpu : gpus) {
            String memoryText = gpu.memoryBytes().isPresent() ? ", " + Views.gib(gpu.memoryBytes().getAsLong())
                    : "";
            String cores = gpu.cores().isPresent() ? ", " + gpu.cores().getAsInt() + " GPU cores" : "";
            facts.add(new Fact("GPU", gpu.name() + memoryText + cores, gpu.source()));
        }
        return new Machine(facts, gpus, memory, peak, logical, chip);
    }

    /** Adds the RAM's type, speed, channels and peak from dmidecode, or says why they are unknown. */
    private static OptionalDouble dmidecode(Host host, List<Fact> facts) {
        Result result = host.run("dmidecode", "-t", "memory");
        if (result.output().isEmpty() || !result.output().get().contains("Memory Device")) {
            String why = "dmidecode -t memory: " + (result.output().isPresent() ? "no Memory Device record (it needs"
                    + " root)" : result.failure());
            facts.add(Fact.unknown("memory type, speed and channels", why));
            return OptionalDouble.empty();
        }
        List<Dmidecode.Module> modules = Dmidecode.modules(result.output().get());
        String source = "dmidecode -t memory";
        facts.add(new Fact("memory modules", String.valueOf(modules.size()), source + " populated slots"));
        modules.stream().map(Dmidecode.Module::type).flatMap(Optional::stream).findFirst().ifPresentOrElse(
                type -> facts.add(new Fact("memory type", type, source + " Type")),
                () -> facts.add(Fact.unknown("memory type", source + " says Unknown")));
        OptionalInt speed = modules.stream().map(Dmidecode.Module::configuredMegatransfers)
                .filter(OptionalInt::isPresent).mapToInt(OptionalInt::getAsInt).min();
        facts.add(speed.isPresent() ? new Fact("memory speed", speed.getAsInt() + " MT/s",
                source + " Configured Memory Speed") : Fact.unknown("memory speed", source + " states none"));
        OptionalInt channels = Dmidecode.channels(modules);
        facts.add(channels.isPresent() ? new Fact("memory channels", String.valueOf(channels.getAsInt()),
                source + " channels named in Bank Locator/Locator") : Fact.unknown("memory channels",
                        source + ": a slot names no channel"));
        OptionalDouble peak = Dmidecode.peakBandwidthGBps(modules);
        facts.add(peak.isPresent() ? new Fact("memory peak bandwidth", String.format(Locale.ROOT, "%.1f GB/s",
                peak.getAsDouble()), source + ": channels x data width x MT/s") : Fact.unknown(
                        "memory peak bandwidth", source + ": channels, widths or speeds unknown"));
        return peak;
    }
}
