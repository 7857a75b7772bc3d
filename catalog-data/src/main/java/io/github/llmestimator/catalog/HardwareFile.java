package io.github.llmestimator.catalog;

import io.github.llmestimator.hardware.Backend;
import io.github.llmestimator.hardware.CpuTopology;
import io.github.llmestimator.hardware.Device;
import io.github.llmestimator.hardware.DeviceKind;
import io.github.llmestimator.hardware.Power;
import io.github.llmestimator.hardware.Precision;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;

/** Reads one hardware data file into a {@link HardwarePreset}. */
final class HardwareFile {

    private HardwareFile() {
    }

    static HardwarePreset read(String id, Map<String, Object> file) {
        String where = "catalog hardware " + id;
        ConfigReader reader = new ConfigReader(file, where);
        reader.requireFileId(id);
        String displayName = reader.string("displayName");
        try {
            DeviceKind kind = DeviceKind.valueOf(reader.string("kind"));
            Device.Builder builder = Device.builder(displayName, kind)
                    .memoryBytes(number(file, "memoryBytes", where).longValue())
                    .memoryBandwidthGBps(number(file, "memoryBandwidthGBps", where).doubleValue());
            Map<String, Object> tflops = reader.object("denseTflops");
            for (Precision precision : Precision.values()) {
                Object value = tflops.get(precision.name().toLowerCase(Locale.ROOT));
                if (value != null) {
                    builder.denseTflops(precision, number(tflops, precision.name().toLowerCase(Locale.ROOT), where)
                            .doubleValue());
                }
            }
            if (file.get("hostLink") != null) {
                Map<String, Object> link = reader.object("hostLink");
                builder.hostLink(number(link, "pcieGeneration", where).intValue(), number(link, "lanes", where).intValue());
            }
            if (file.get("highBandwidthMemory") != null) {
                builder.highBandwidthMemory(reader.bool("highBandwidthMemory", false));
            }
            if (file.get("backend") != null) {
                builder.backend(Backend.valueOf(reader.string("backend")));
            }
            if (file.get("power") != null) {
                Map<String, Object> power = reader.object("power");
                Object idle = power.get("idleWatts");
                builder.power(new Power(number(power, "maxWatts", where).doubleValue(),
                        idle == null ? OptionalDouble.empty()
                                : OptionalDouble.of(number(power, "idleWatts", where).doubleValue()),
                        Power.Scope.valueOf(String.valueOf(power.get("scope")))));
            }
            if (file.get("cpu") != null) {
                Map<String, Object> cpu = reader.object("cpu");
                builder.cpu(new CpuTopology(integer(cpu, "performanceCores", where),
                        integer(cpu, "efficiencyCores", where), integer(cpu, "hardwareThreads", where),
                        integer(cpu, "memoryChannels", where), integer(cpu, "memoryMTps", where),
                        integer(cpu, "numaNodes", where), number(cpu, "clockGHz", where).doubleValue(),
                        integer(cpu, "fp32FlopsPerCycle", where)));
            }
            if (file.get("gpuMemoryFraction") != null) {
                builder.gpuMemoryFraction(number(file, "gpuMemoryFraction", where).doubleValue());
            }
            Map<String, String> sources = new LinkedHashMap<>();
            reader.object("sources").forEach((figure, source) -> {
                if (source != null) {
                    sources.put(figure, source.toString());
                }
            });
            return new HardwarePreset(id, displayName, builder.build(), sources, reader.string("notes", ""));
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new IllegalStateException(where + ": " + e.getMessage(), e);
        }
    }

    /** A count: a JSON number without a fractional part (a core count of 16.5 is a typo, not 16). */
    private static int integer(Map<String, Object> map, String key, String where) {
        Number value = number(map, key, where);
        if (value.doubleValue() != Math.rint(value.doubleValue()) || Math.abs(value.doubleValue()) > Integer.MAX_VALUE) {
            throw new IllegalStateException(where + ": key '" + key + "' = " + value + " (expected: a whole number)");
        }
        return value.intValue();
    }

    private static Number number(Map<String, Object> map, String key, String where) {
        Object value = map.get(key);
        if (!(value instanceof Number)) {
            throw new IllegalStateException(where + ": key '" + key + "' = " + value + " (expected: a number)");
        }
        return (Number) value;
    }
}
