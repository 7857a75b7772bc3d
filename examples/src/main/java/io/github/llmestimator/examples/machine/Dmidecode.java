package io.github.llmestimator.examples.machine;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A reader of {@code dmidecode -t memory}: the SMBIOS "Memory Device" (type 17) records the firmware keeps, one per
 * slot. A slot whose {@code Size} is {@code No Module Installed} is empty. Speeds are in MT/s; dmidecode before 3.2
 * printed the same SMBIOS field with the unit "MHz", which is read as MT/s too.
 */
public final class Dmidecode {

    private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*(MB|GB|TB)");
    private static final Pattern SPEED = Pattern.compile("(\\d+)\\s*(MT/s|MHz)");
    private static final Pattern WIDTH = Pattern.compile("(\\d+)\\s*bits");
    /** Channel names firmware writes: "P0 CHANNEL A", "Channel A", "ChannelA-DIMM0", "Channel-0-DIMM-0", "CHANNEL 1". */
    private static final Pattern CHANNEL = Pattern.compile("(?i)channel[\\s_-]*([a-z0-9]+)");

    private Dmidecode() {
    }

    /**
     * One populated slot.
     *
     * @param bytes the module's size
     * @param type {@code DDR4}, {@code DDR5}, {@code LPDDR5}..., or empty when {@code Unknown}
     * @param ratedMegatransfers the module's {@code Speed}, or empty
     * @param configuredMegatransfers {@code Configured Memory Speed} (or {@code Configured Clock Speed}), or empty
     * @param dataWidthBits {@code Data Width}, or empty
     * @param channel the channel named in {@code Bank Locator} or {@code Locator}, or empty when neither names one
     */
    public record Module(long bytes, Optional<String> type, OptionalInt ratedMegatransfers,
            OptionalInt configuredMegatransfers, OptionalInt dataWidthBits, Optional<String> channel) {
    }

    /**
     * Reads the populated slots.
     *
     * @param text the output of {@code dmidecode -t memory} (or {@code -t 17}), not null
     * @return the populated slots, in order
     * @throws IllegalArgumentException if the text has no Memory Device record, or a size or speed is not in
     *     dmidecode's form
     */
    public static List<Module> modules(String text) {
        List<Map<String, String>> records = new ArrayList<>();
        Map<String, String> current = null;
        for (String raw : text.split("\r?\n")) {
            String line = raw.strip();
            if (line.equals("Memory Device")) {
                current = new LinkedHashMap<>();
                records.add(current);
            } else if (line.startsWith("Handle ")) {
                current = null;
            } else if (current != null && line.contains(":")) {
                current.put(line.substring(0, line.indexOf(':')).strip(),
                        line.substring(line.indexOf(':') + 1).strip());
            }
        }
        if (records.isEmpty()) {
            throw new IllegalArgumentException("dmidecode: no 'Memory Device' record (expected: the output of"
                    + " dmidecode -t memory, which needs root)");
        }
        List<Module> modules = new ArrayList<>();
        for (Map<String, String> r : records) {
            String size = r.getOrDefault("Size", "");
            Matcher s = SIZE.matcher(size);
            if (!s.matches()) {
                if (size.startsWith("No Module Installed") || size.equals("Not Installed") || size.isEmpty()) {
                    continue;
                }
                throw new IllegalArgumentException("dmidecode: Size '" + size + "' (expected: N MB or N GB, or No"
                        + " Module Installed)");
            }
            long bytes = Long.parseLong(s.group(1)) << (s.group(2).equals("MB") ? 20 : s.group(2).equals("GB") ? 30
                    : 40);
            String type = r.getOrDefault("Type", "Unknown");
            Optional<String> channel = Optional.empty();
            for (String locator : new String[] {r.get("Bank Locator"), r.get("Locator")}) {
                Matcher c = locator == null ? null : CHANNEL.matcher(locator);
                if (channel.isEmpty() && c != null && c.find()) {
                    channel = Optional.of(c.group(1).toUpperCase(Locale.ROOT));
                }
            }
            modules.add(new Module(bytes, type.equals("Unknown") ? Optional.empty() : Optional.of(type),
                    speed(r.get("Speed")), speed(r.getOrDefault("Configured Memory Speed",
                            r.get("Configured Clock Speed"))), width(r.get("Data Width")), channel));
        }
        return modules;
    }

    /**
     * Returns the channels the populated slots occupy, if every slot names its channel.
     *
     * @param modules the populated slots, not null
     * @return distinct channels, or empty when a slot names none (then the count is unknown)
     */
    public static OptionalInt channels(List<Module> modules) {
        Set<String> channels = new LinkedHashSet<>();
        for (Module module : modules) {
            if (module.channel().isEmpty()) {
                return OptionalInt.empty();
            }
            channels.add(module.channel().get());
        }
        return channels.isEmpty() ? OptionalInt.empty() : OptionalInt.of(channels.size());
    }

    /**
     * Returns the peak bandwidth of the populated channels: per channel, its widest module's data width in bytes times
     * the slowest configured transfer rate, summed over channels (GB/s, 10^9).
     *
     * @param modules the populated slots, not null
     * @return GB/s, or empty when the channels, a width or a configured speed are unknown
     */
    public static OptionalDouble peakBandwidthGBps(List<Module> modules) {
        OptionalInt channels = channels(modules);
        if (channels.isEmpty()) {
            return OptionalDouble.empty();
        }
        int slowest = Integer.MAX_VALUE;
        Map<String, Integer> widths = new LinkedHashMap<>();
        for (Module module : modules) {
            OptionalInt rate = module.configuredMegatransfers().isPresent() ? module.configuredMegatransfers()
                    : module.ratedMegatransfers();
            if (rate.isEmpty() || module.dataWidthBits().isEmpty()) {
                return OptionalDouble.empty();
            }
            slowest = Math.min(slowest, rate.getAsInt());
            widths.merge(module.channel().get(), module.dataWidthBits().getAsInt(), Math::max);
        }
        double bytesPerTransfer = 0;
        for (int bits : widths.values()) {
            bytesPerTransfer += bits / 8.0;
        }
        return OptionalDouble.of(bytesPerTransfer * slowest * 1e6 / 1e9);
    }

    private static OptionalInt speed(String value) {
        if (value == null || value.equals("Unknown") || value.isEmpty()) {
            return OptionalInt.empty();
        }
        Matcher m = SPEED.matcher(value);
        if (!m.matches()) {
            throw new IllegalArgumentException("dmidecode: speed '" + value + "' (expected: N MT/s or N MHz)");
        }
        return OptionalInt.of(Integer.parseInt(m.group(1)));
    }

    private static OptionalInt width(String value) {
        Matcher m = value == null ? null : WIDTH.matcher(value);
        return m != null && m.matches() ? OptionalInt.of(Integer.parseInt(m.group(1))) : OptionalInt.empty();
    }
}
