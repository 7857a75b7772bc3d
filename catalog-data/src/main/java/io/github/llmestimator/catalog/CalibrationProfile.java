package io.github.llmestimator.catalog;

import com.fasterxml.jackson.jr.ob.JSON;
import io.github.llmestimator.hardware.Calibration;
import io.github.llmestimator.hardware.Device;
import io.github.llmestimator.hardware.Precision;
import io.github.llmestimator.quant.QuantScheme;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalDouble;

/**
 * A device calibrated on its own runs, as a file: the device (in the format of the catalog's hardware files), its
 * {@link Calibration}, and the measured runs, so that an estimate made with it can show them beside its own figures.
 *
 * <p>The file is one JSON object:
 * <pre>{@code
 * {
 *   "format": "llm-estimator-calibration-1",
 *   "source": "the llama-bench output it was fitted on (a file name)",
 *   "device": { ...a catalog hardware file: displayName, kind, backend, memoryBytes, memoryBandwidthGBps, ... },
 *   "calibration": { "lowMemoryEfficiency": 0.74, "memoryEfficiency": 0.77, "highMemoryEfficiency": 0.81,
 *                    "layerSeconds": 9.5e-6, "computeFactor": 0.28, "runs": 18 },
 *   "runs": [ { "model": "gpt-oss-20b", "scheme": "MXFP4_MOE", "promptTokens": 0, "generatedTokens": 32,
 *               "depthTokens": 4096, "microBatchTokens": 2048, "tokensPerSecond": 77.36, "fitted": true } ]
 * }
 * }</pre>
 * {@code computeFactor} is {@code null} when no prompt run was fitted. Load it with {@link #read(String)} and estimate
 * with {@link #device()} as with any device.
 *
 * @param device the device, with its calibration
 * @param source what the calibration was fitted on
 * @param runs the measured runs; an immutable list
 */
public record CalibrationProfile(Device device, String source, List<CalibrationRun> runs) {

    /** The value of the file's {@code format} key. */
    public static final String FORMAT = "llm-estimator-calibration-1";

    /**
     * Validates the components.
     *
     * @param device the device, with its calibration
     * @param source what the calibration was fitted on
     * @param runs the measured runs
     * @throws NullPointerException if a component is null
     * @throws IllegalArgumentException if the device has no calibration
     */
    public CalibrationProfile {
        Objects.requireNonNull(device, "device");
        Objects.requireNonNull(source, "source");
        runs = List.copyOf(runs);
        if (device.calibration().isEmpty()) {
            throw new IllegalArgumentException("device: " + device + " (expected: a device with a calibration)");
        }
    }

    /**
     * Returns the calibration.
     *
     * @return the device's calibration
     */
    public Calibration calibration() {
        return device.calibration().orElseThrow();
    }

    /**
     * Returns the measured runs of one model in one scheme, to show beside an estimate of it.
     *
     * @param modelId the catalog model id, not null
     * @param scheme the scheme, not null
     * @return the runs, decode first; an immutable list
     * @throws NullPointerException if an argument is null
     */
    public List<CalibrationRun> runs(String modelId, QuantScheme scheme) {
        Objects.requireNonNull(modelId, "modelId");
        Objects.requireNonNull(scheme, "scheme");
        List<CalibrationRun> found = new ArrayList<>();
        for (CalibrationRun run : runs) {
            if (run.modelId().equals(modelId) && run.scheme() == scheme) {
                found.add(run);
            }
        }
        found.sort((x, y) -> Boolean.compare(!x.isDecode(), !y.isDecode()));
        return List.copyOf(found);
    }

    /**
     * Reads a profile file.
     *
     * @param json the file's text, not null
     * @return the profile
     * @throws NullPointerException if {@code json} is null
     * @throws IllegalArgumentException if the text is not such a file; the message names the key and what was
     *     expected
     */
    public static CalibrationProfile read(String json) {
        Objects.requireNonNull(json, "json");
        Map<String, Object> root;
        try {
            root = ConfigReader.readObject(JSON.std.getStreamingFactory().createParser(json));
        } catch (IOException e) {
            throw new IllegalArgumentException("calibration profile: not JSON: " + e.getMessage().lines().findFirst()
                    .orElse("") + " (expected: a file written by the calibrate command)", e);
        }
        try {
            if (root == null || !FORMAT.equals(root.get("format"))) {
                throw new IllegalArgumentException("key 'format' = " + (root == null ? null : root.get("format"))
                        + " (expected: \"" + FORMAT + "\")");
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> deviceFile = new LinkedHashMap<>((Map<String, Object>) object(root, "device"));
            deviceFile.put("id", "profile");
            Device device = HardwareFile.read("profile", deviceFile).device();
            Map<?, ?> c = object(root, "calibration");
            Object factor = c.get("computeFactor");
            Calibration calibration = new Calibration(number(c, "lowMemoryEfficiency"), number(c, "memoryEfficiency"),
                    number(c, "highMemoryEfficiency"), number(c, "layerSeconds"),
                    factor == null ? OptionalDouble.empty() : OptionalDouble.of(number(c, "computeFactor")),
                    (int) number(c, "runs"));
            List<CalibrationRun> runs = new ArrayList<>();
            Object list = root.get("runs");
            if (!(list instanceof List)) {
                throw new IllegalArgumentException("key 'runs' = " + list + " (expected: a list)");
            }
            for (Object item : (List<?>) list) {
                if (!(item instanceof Map)) {
                    throw new IllegalArgumentException("runs: " + item + " (expected: objects)");
                }
                Map<?, ?> r = (Map<?, ?>) item;
                Object model = r.get("model");
                Object scheme = r.get("scheme");
                if (!(model instanceof String) || !(scheme instanceof String) || !(r.get("fitted") instanceof Boolean)) {
                    throw new IllegalArgumentException("runs: " + r + " (expected: model and scheme strings, fitted"
                            + " true or false)");
                }
                Catalog.model((String) model);
                runs.add(new CalibrationRun((String) model, QuantScheme.ofName((String) scheme),
                        (int) number(r, "promptTokens"), (int) number(r, "generatedTokens"),
                        (int) number(r, "depthTokens"), (int) number(r, "microBatchTokens"),
                        number(r, "tokensPerSecond"), (Boolean) r.get("fitted")));
            }
            Object source = root.get("source");
            return new CalibrationProfile(device.withCalibration(calibration), source == null ? "" : source.toString(),
                    runs);
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new IllegalArgumentException("calibration profile: " + e.getMessage(), e);
        }
    }

    /**
     * Returns the profile as the JSON text {@link #read(String)} reads.
     *
     * @return the text, not null
     */
    public String toJson() {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("format", FORMAT);
        root.put("source", source);
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("displayName", device.name());
        d.put("kind", device.kind().name());
        d.put("backend", device.backend().name());
        d.put("memoryBytes", device.memoryBytes());
        d.put("memoryBandwidthGBps", device.memoryBandwidthGBps());
        Map<String, Object> tflops = new LinkedHashMap<>();
        for (Precision p : Precision.values()) {
            tflops.put(p.name().toLowerCase(Locale.ROOT),
                    device.denseTflops(p).isPresent() ? device.denseTflops(p).getAsDouble() : null);
        }
        d.put("denseTflops", tflops);
        d.put("hostLink", device.hostLink().map(link -> {
            Map<String, Object> l = new LinkedHashMap<>();
            l.put("pcieGeneration", link.pcieGeneration());
            l.put("lanes", link.lanes());
            return (Object) l;
        }).orElse(null));
        // a Metal device without a share follows macOS's working-set rule, which the reloaded preset applies again
        d.put("gpuMemoryFraction", device.gpuMemoryFraction().isPresent()
                ? device.gpuMemoryFraction().getAsDouble() : null);
        // the power figure rides along so that a calibrated device still shows its energy per token
        d.put("power", device.power().map(power -> {
            Map<String, Object> w = new LinkedHashMap<>();
            w.put("maxWatts", power.maxWatts());
            w.put("idleWatts", power.idle().isPresent() ? power.idle().getAsDouble() : null);
            w.put("scope", power.scope().name());
            return (Object) w;
        }).orElse(null));
        Map<String, Object> sources = new LinkedHashMap<>();
        sources.put("memory", "as given to the calibrate command");
        sources.put("bandwidth", "as given to the calibrate command");
        if (device.power().isPresent()) {
            sources.put("power", "as given to the calibrate command");
        }
        d.put("sources", sources);
        d.put("notes", "");
        root.put("device", d);
        Calibration c = calibration();
        Map<String, Object> calibration = new LinkedHashMap<>();
        calibration.put("lowMemoryEfficiency", c.lowMemoryEfficiency());
        calibration.put("memoryEfficiency", c.memoryEfficiency());
        calibration.put("highMemoryEfficiency", c.highMemoryEfficiency());
        calibration.put("layerSeconds", c.layerSeconds());
        calibration.put("computeFactor", c.computeFactor().isPresent() ? c.computeFactor().getAsDouble() : null);
        calibration.put("runs", c.runs());
        root.put("calibration", calibration);
        List<Map<String, Object>> list = new ArrayList<>();
        for (CalibrationRun run : runs) {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("model", run.modelId());
            r.put("scheme", run.scheme().name());
            r.put("promptTokens", run.promptTokens());
            r.put("generatedTokens", run.generatedTokens());
            r.put("depthTokens", run.depthTokens());
            r.put("microBatchTokens", run.microBatchTokens());
            r.put("tokensPerSecond", run.measuredTokensPerSecond());
            r.put("fitted", run.fitted());
            list.add(r);
        }
        root.put("runs", list);
        try {
            return JSON.std.with(JSON.Feature.PRETTY_PRINT_OUTPUT).with(JSON.Feature.WRITE_NULL_PROPERTIES)
                    .asString(root) + "\n";
        } catch (IOException e) {
            throw new IllegalStateException("calibration profile: cannot write JSON", e);
        }
    }

    private static Map<?, ?> object(Map<?, ?> map, String key) {
        Object value = map.get(key);
        if (!(value instanceof Map)) {
            throw new IllegalArgumentException("key '" + key + "' = " + value + " (expected: an object)");
        }
        return (Map<?, ?>) value;
    }

    private static double number(Map<?, ?> map, String key) {
        Object value = map.get(key);
        if (!(value instanceof Number)) {
            throw new IllegalArgumentException("key '" + key + "' = " + value + " (expected: a number)");
        }
        return ((Number) value).doubleValue();
    }
}
