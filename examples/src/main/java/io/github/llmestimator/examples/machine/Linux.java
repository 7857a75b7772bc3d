package io.github.llmestimator.examples.machine;

import java.util.HashSet;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Readers of Linux's own descriptions of the machine (proc(5), the kernel's sysfs NUMA documentation): pure functions
 * of the files' text.
 */
public final class Linux {

    private Linux() {
    }

    /**
     * What {@code /proc/cpuinfo} says about the processors.
     *
     * @param modelName the first {@code model name} line (x86), or empty (many ARM kernels print none)
     * @param logicalCpus the {@code processor} entries: hardware threads the kernel runs, at least 1
     * @param physicalCores distinct {@code (physical id, core id)} pairs, or empty when the file has no core ids
     * @param sockets distinct {@code physical id} values, or empty
     */
    public record CpuInfo(Optional<String> modelName, int logicalCpus, OptionalInt physicalCores,
            OptionalInt sockets) {
    }

    /**
     * Reads {@code /proc/cpuinfo}: one block per logical CPU, {@code key : value} lines.
     *
     * @param text the file's text, not null
     * @return what it says
     * @throws IllegalArgumentException if it lists no {@code processor}
     */
    public static CpuInfo cpuinfo(String text) {
        String model = null;
        int processors = 0;
        Set<String> cores = new HashSet<>();
        Set<String> sockets = new HashSet<>();
        String socket = "0";
        boolean coreIds = false;
        for (String line : text.split("\n")) {
            int colon = line.indexOf(':');
            if (colon < 0) {
                continue;
            }
            String key = line.substring(0, colon).strip().toLowerCase(Locale.ROOT);
            String value = line.substring(colon + 1).strip();
            switch (key) {
                case "processor":
                    processors++;
                    socket = "0";
                    break;
                case "model name":
                    if (model == null && !value.isEmpty()) {
                        model = value;
                    }
                    break;
                case "physical id":
                    socket = value;
                    sockets.add(value);
                    break;
                case "core id":
                    coreIds = true;
                    cores.add(socket + "/" + value);
                    break;
                default:
                    break;
            }
        }
        if (processors == 0) {
            throw new IllegalArgumentException("/proc/cpuinfo: no 'processor' line (expected: one block per logical"
                    + " CPU, as proc(5) describes)");
        }
        return new CpuInfo(Optional.ofNullable(model), processors,
                coreIds ? OptionalInt.of(cores.size()) : OptionalInt.empty(),
                sockets.isEmpty() ? OptionalInt.empty() : OptionalInt.of(sockets.size()));
    }

    /**
     * Reads {@code MemTotal} of {@code /proc/meminfo}: usable RAM, in kibibytes as the kernel prints it.
     *
     * @param text the file's text, not null
     * @return bytes ({@code kB x 1024}), or empty when the line is missing
     * @throws IllegalArgumentException if the line is there but not a number of kB
     */
    public static OptionalLong memTotalBytes(String text) {
        for (String line : text.split("\n")) {
            if (line.startsWith("MemTotal:")) {
                String[] parts = line.substring("MemTotal:".length()).strip().split("\\s+");
                if (parts.length != 2 || !parts[1].equals("kB") || !parts[0].matches("\\d{1,15}")) {
                    throw new IllegalArgumentException("/proc/meminfo: '" + line + "' (expected: MemTotal: N kB)");
                }
                return OptionalLong.of(Long.parseLong(parts[0]) * 1024);
            }
        }
        return OptionalLong.empty();
    }

    /**
     * Counts the nodes of a sysfs CPU or node list, such as {@code /sys/devices/system/node/online}: {@code 0},
     * {@code 0-1}, {@code 0,2-3}.
     *
     * @param list the list, not null
     * @return how many ids it names
     * @throws IllegalArgumentException if it is not such a list
     */
    public static int countList(String list) {
        String text = list.strip();
        if (!text.matches("\\d+(-\\d+)?(,\\d+(-\\d+)?)*")) {
            throw new IllegalArgumentException("node list: '" + text + "' (expected: ids and ranges such as 0-1,4)");
        }
        int count = 0;
        for (String part : text.split(",")) {
            String[] range = part.split("-");
            int first = Integer.parseInt(range[0]);
            int last = range.length == 2 ? Integer.parseInt(range[1]) : first;
            if (last < first) {
                throw new IllegalArgumentException("node list: '" + text + "' (expected: ranges low-high)");
            }
            count += last - first + 1;
        }
        return count;
    }
}
