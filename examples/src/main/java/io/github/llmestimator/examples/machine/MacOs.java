package io.github.llmestimator.examples.machine;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Readers of macOS's descriptions of the machine: {@code sysctl -a} lines ({@code key: value}) and
 * {@code system_profiler SPHardwareDataType SPDisplaysDataType} (indented {@code Key: value} lines; on Apple silicon the
 * display section names the chip and its GPU cores). Pure functions of the text.
 */
public final class MacOs {

    private static final Pattern CORES = Pattern.compile("(\\d+)(?:\\s*\\((\\d+) performance and (\\d+) efficiency\\))?");
    private static final Pattern MEMORY = Pattern.compile("(\\d+)\\s*(GB|TB)");

    private MacOs() {
    }

    /**
     * What sysctl says.
     *
     * @param brand {@code machdep.cpu.brand_string}, such as {@code "Apple M1 Pro"}, or empty
     * @param memoryBytes {@code hw.memsize}, or empty
     * @param performanceCores {@code hw.perflevel0.physicalcpu}, or empty (Intel Macs have no perflevels)
     * @param efficiencyCores {@code hw.perflevel1.physicalcpu}, or empty
     * @param physicalCpus {@code hw.physicalcpu}, or empty
     * @param logicalCpus {@code hw.logicalcpu}, else {@code hw.ncpu}, or empty
     */
    public record Sysctl(Optional<String> brand, OptionalLong memoryBytes, OptionalInt performanceCores,
            OptionalInt efficiencyCores, OptionalInt physicalCpus, OptionalInt logicalCpus) {
    }

    /**
     * Reads {@code sysctl -a} output, or any subset of its lines.
     *
     * @param text the output, not null
     * @return what it says; keys that are absent stay empty
     * @throws IllegalArgumentException if a key that is read holds no whole number
     */
    public static Sysctl sysctl(String text) {
        Map<String, String> values = new HashMap<>();
        for (String line : text.split("\r?\n")) {
            int colon = line.indexOf(':');
            if (colon > 0) {
                values.putIfAbsent(line.substring(0, colon).strip(), line.substring(colon + 1).strip());
            }
        }
        OptionalInt logical = integer(values, "hw.logicalcpu");
        return new Sysctl(Optional.ofNullable(values.get("machdep.cpu.brand_string")),
                values.containsKey("hw.memsize") ? OptionalLong.of(number(values, "hw.memsize")) : OptionalLong.empty(),
                integer(values, "hw.perflevel0.physicalcpu"), integer(values, "hw.perflevel1.physicalcpu"),
                integer(values, "hw.physicalcpu"), logical.isPresent() ? logical : integer(values, "hw.ncpu"));
    }

    /**
     * What system_profiler says.
     *
     * @param chip the {@code Chip} of the hardware overview (Apple silicon), or empty
     * @param cpuCores the {@code Total Number of Cores} of the hardware overview, or empty
     * @param memoryBytes the {@code Memory} of the hardware overview ({@code 16 GB}, which Apple sells as 16 GiB), or
     *     empty
     * @param gpuName the {@code Chipset Model} of the first display adapter, or empty
     * @param gpuCores its {@code Total Number of Cores} (Apple silicon), or empty
     */
    public record SystemProfiler(Optional<String> chip, OptionalInt cpuCores, OptionalLong memoryBytes,
            Optional<String> gpuName, OptionalInt gpuCores) {
    }

    /**
     * Reads {@code system_profiler SPHardwareDataType SPDisplaysDataType} output (either section alone works).
     *
     * @param text the output, not null
     * @return what it says; lines that are absent stay empty
     * @throws IllegalArgumentException if a core count or memory line is not in the form macOS prints
     */
    public static SystemProfiler systemProfiler(String text) {
        String chip = null;
        String gpu = null;
        OptionalInt cpuCores = OptionalInt.empty();
        OptionalInt gpuCores = OptionalInt.empty();
        OptionalLong memory = OptionalLong.empty();
        boolean displays = false;
        for (String raw : text.split("\r?\n")) {
            String line = raw.strip();
            if (line.startsWith("Graphics/Displays:")) {
                displays = true;
                continue;
            }
            if (line.startsWith("Hardware:")) {
                displays = false;
                continue;
            }
            int colon = line.indexOf(':');
            if (colon < 0) {
                continue;
            }
            String key = line.substring(0, colon).strip();
            String value = line.substring(colon + 1).strip();
            if (key.equals("Chipset Model") && gpu == null) {
                gpu = value;
                displays = true;
            } else if (key.equals("Chip") && !displays) {
                chip = value;
            } else if (key.equals("Memory") && !displays && !value.isEmpty()) {
                Matcher m = MEMORY.matcher(value);
                if (!m.matches()) {
                    throw new IllegalArgumentException("system_profiler: Memory '" + value + "' (expected: N GB)");
                }
                memory = OptionalLong.of(Long.parseLong(m.group(1)) << (m.group(2).equals("GB") ? 30 : 40));
            } else if (key.equals("Total Number of Cores")) {
                Matcher m = CORES.matcher(value);
                if (!m.matches()) {
                    throw new IllegalArgumentException("system_profiler: Total Number of Cores '" + value
                            + "' (expected: N, or N (P performance and E efficiency))");
                }
                if (displays) {
                    if (gpuCores.isEmpty()) {
                        gpuCores = OptionalInt.of(Integer.parseInt(m.group(1)));
                    }
                } else {
                    cpuCores = OptionalInt.of(Integer.parseInt(m.group(1)));
                }
            }
        }
        return new SystemProfiler(Optional.ofNullable(chip), cpuCores, memory, Optional.ofNullable(gpu), gpuCores);
    }

    private static OptionalInt integer(Map<String, String> values, String key) {
        return values.containsKey(key) ? OptionalInt.of(Math.toIntExact(number(values, key))) : OptionalInt.empty();
    }

    private static long number(Map<String, String> values, String key) {
        String value = values.get(key);
        if (!value.matches("\\d{1,18}")) {
            throw new IllegalArgumentException("sysctl: " + key + ": '" + value + "' (expected: a whole number)");
        }
        return Long.parseLong(value);
    }
}
