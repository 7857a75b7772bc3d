package io.github.llmestimator.examples.cli;

import io.github.llmestimator.catalog.CalibrationProfile;
import io.github.llmestimator.catalog.Catalog;
import io.github.llmestimator.hardware.Backend;
import io.github.llmestimator.hardware.Device;
import io.github.llmestimator.hardware.DeviceKind;
import io.github.llmestimator.hardware.Precision;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One {@code --hardware} argument: a catalog device or a device described inline, with a count.
 *
 * <pre>
 * rtx-4090                      a catalog id (see the hardware command)
 * "RTX 4090", 4090, "M4 Pro 24GB" a name people use (catalog hardware/aliases.tsv); case and spaces ignored
 * 2x rtx-3090                   two of them
 * gpu:24GiB@1008GB/s            a discrete GPU with 24 GiB at 1008 GB/s (PCIe 4.0 x16 assumed)
 * gpu:16GB@448,fp16=88,pcie=5x8 with its dense FP16 TFLOPS (for prefill) and host link
 * ram:128GiB@89.6GB/s           system RAM
 * unified:64GiB@273,gpu=0.75    unified memory (Apple, AMD Strix Halo) and the share the GPU may use
 * unified:128GiB@273,gpu=0.9,backend=cuda   a DGX Spark: the llama.cpp backend its GPU runs (default: metal)
 * profile:spark.json            a device calibrated on its own runs (the calibrate command writes the file)
 * </pre>
 * Sizes need a unit (GiB, GB, TiB, TB), since 24 "GB" of a GPU are 24 GiB; bandwidth is in GB/s.
 *
 * @param count how many of the device, 1 to {@value #MAX_COUNT}
 * @param device the device
 * @param profile the calibration profile the device was read from, if any
 */
record HardwareArgument(int count, Device device, Optional<CalibrationProfile> profile) {

    /** The most devices of one kind a command line names: two full server nodes. */
    static final int MAX_COUNT = 16;

    static final String SYNTAX = "a catalog id (see `hardware`) or a device name such as 'RTX 4090' or 'M4 Pro 24GB',"
            + " optionally with a count (2x rtx-3090), or"
            + " gpu|ram|unified:SIZE@BANDWIDTH such as gpu:24GiB@1008GB/s or ram:128GiB@89.6GB/s"
            + " (options: ,fp16=TFLOPS ,pcie=GENxLANES for a gpu; ,gpu=SHARE for unified, needed unless its backend is"
            + " metal, where macOS's working-set rule applies; ,backend=cuda|rocm|vulkan|metal for either), or profile:FILE (a device calibrated by the calibrate command)";

    private static final Pattern COUNTED = Pattern.compile("(?:(\\d+)\\s*[xX×*]\\s*)?(.+)");
    private static final Pattern INLINE = Pattern.compile(
            "(gpu|ram|unified):([0-9.]+)\\s*(gib|gb|tib|tb)@([0-9.]+)\\s*(?:gb/s)?((?:,[a-z0-9]+=[a-z0-9.]+)*)");

    static HardwareArgument parse(String text) {
        if (text.trim().toLowerCase(Locale.ROOT).startsWith("profile:")) {
            CalibrationProfile profile = readProfile(text.trim().substring("profile:".length()));
            return new HardwareArgument(1, profile.device(), Optional.of(profile));
        }
        String trimmed = text.trim();
        Matcher counted = COUNTED.matcher(trimmed);
        if (trimmed.isEmpty() || !counted.matches()) {
            throw invalid(text, "empty");
        }
        // a name may begin with digits ("4090", "7900 XTX"), so the whole text is tried as a name before a count
        if (!trimmed.contains(":") && !Catalog.findHardwareByName(trimmed).isEmpty()) {
            return new HardwareArgument(1, Catalog.hardwareByName(trimmed).device(), Optional.empty());
        }
        int count = 1;
        if (counted.group(1) != null) {
            count = parseCount(text, counted.group(1));
        }
        String name = counted.group(2).trim();
        Device device = name.contains(":") ? inline(text, name.toLowerCase(Locale.ROOT))
                : Catalog.hardwareByName(name).device();
        if (count > 1 && device.kind() != DeviceKind.DISCRETE_GPU) {
            throw new IllegalArgumentException("--hardware: '" + text + "': " + count + " x " + device.kind()
                    + " (expected: a count only for discrete GPUs; system RAM and unified memory are one pool)");
        }
        return new HardwareArgument(count, device, Optional.empty());
    }

    /** Reads a calibration profile; a missing or malformed file is bad input. */
    static CalibrationProfile readProfile(String file) {
        try {
            return CalibrationProfile.read(Files.readString(Path.of(file)));
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("--hardware profile:" + file + ": no such file (expected: a profile"
                    + " written by `llm-estimator calibrate --llama-bench FILE -o PROFILE`)", e);
        } catch (IOException e) {
            throw new UncheckedIOException("--hardware profile:" + file + ": " + e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--hardware profile:" + file + ": " + e.getMessage(), e);
        }
    }

    private static int parseCount(String text, String digits) {
        int count;
        try {
            count = Integer.parseInt(digits);
        } catch (NumberFormatException e) {
            count = Integer.MAX_VALUE;
        }
        if (count < 1 || count > MAX_COUNT) {
            throw new IllegalArgumentException("--hardware: '" + text + "': count " + digits + " (expected: 1 to "
                    + MAX_COUNT + ")");
        }
        return count;
    }

    private static Device inline(String text, String spec) {
        Matcher m = INLINE.matcher(spec.replace(" ", ""));
        if (!m.matches()) {
            throw invalid(text, "not a device");
        }
        DeviceKind kind = m.group(1).equals("gpu") ? DeviceKind.DISCRETE_GPU
                : m.group(1).equals("ram") ? DeviceKind.SYSTEM_RAM : DeviceKind.UNIFIED_MEMORY;
        double amount = number(text, m.group(2));
        double unit = switch (m.group(3)) {
            case "gib" -> 0x1p30;
            case "gb" -> 1e9;
            case "tib" -> 0x1p40;
            default -> 1e12;
        };
        double bytes = amount * unit;
        if (!(bytes >= 1L << 20) || bytes > 0x1p50) {
            throw new IllegalArgumentException("--hardware: '" + text + "': memory " + m.group(2) + " " + m.group(3)
                    + " (expected: 1 MiB to 1 PiB)");
        }
        double bandwidth = number(text, m.group(4));
        if (!(bandwidth > 0) || bandwidth > 100_000) {
            throw new IllegalArgumentException("--hardware: '" + text + "': bandwidth " + m.group(4)
                    + " GB/s (expected: more than 0, at most 100,000)");
        }
        Device.Builder builder = Device.builder(kindName(kind) + " " + m.group(2) + " " + unitName(m.group(3)) + " @ "
                + m.group(4) + " GB/s", kind).memoryBytes((long) bytes).memoryBandwidthGBps(bandwidth);
        boolean linkGiven = false;
        for (String option : m.group(5).split(",")) {
            if (option.isEmpty()) {
                continue;
            }
            String key = option.substring(0, option.indexOf('='));
            String value = option.substring(option.indexOf('=') + 1);
            if (key.equals("fp16") && kind != DeviceKind.SYSTEM_RAM) {
                builder.denseTflops(Precision.FP16, number(text, value));
            } else if (key.equals("pcie") && kind == DeviceKind.DISCRETE_GPU && value.matches("\\d{1,2}x\\d{1,2}")) {
                builder.hostLink(Integer.parseInt(value.substring(0, value.indexOf('x'))),
                        Integer.parseInt(value.substring(value.indexOf('x') + 1)));
                linkGiven = true;
            } else if (key.equals("backend") && kind != DeviceKind.SYSTEM_RAM) {
                builder.backend(backend(text, value));
            } else if (key.equals("gpu") && kind == DeviceKind.UNIFIED_MEMORY) {
                builder.gpuMemoryFraction(number(text, value));
            } else {
                throw invalid(text, "option '" + option + "' does not apply to " + m.group(1));
            }
        }
        if (kind == DeviceKind.DISCRETE_GPU && !linkGiven) {
            builder.hostLink(4, 16);
        }
        try {
            return builder.build();
        } catch (IllegalStateException e) {
            throw invalid(text, e.getMessage());
        }
    }

    private static Backend backend(String text, String value) {
        for (Backend backend : Backend.values()) {
            if (backend != Backend.CPU && backend.name().equalsIgnoreCase(value)) {
                return backend;
            }
        }
        throw invalid(text, "backend '" + value + "' is not one of cuda, rocm, vulkan, metal");
    }

    private static String kindName(DeviceKind kind) {
        return kind == DeviceKind.DISCRETE_GPU ? "GPU" : kind == DeviceKind.SYSTEM_RAM ? "System RAM" : "Unified memory";
    }

    private static String unitName(String unit) {
        return switch (unit) {
            case "gib" -> "GiB";
            case "gb" -> "GB";
            case "tib" -> "TiB";
            default -> "TB";
        };
    }

    private static double number(String text, String value) {
        try {
            double number = Double.parseDouble(value);
            if (Double.isFinite(number)) {
                return number;
            }
        } catch (NumberFormatException e) {
            // reported below with the whole argument
        }
        throw invalid(text, "'" + value + "' is not a number");
    }

    private static IllegalArgumentException invalid(String text, String why) {
        return new IllegalArgumentException("--hardware: '" + text + "': " + why + " (expected: " + SYNTAX + ")");
    }
}
