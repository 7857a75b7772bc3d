package io.github.llmestimator.examples.cli;

import io.github.llmestimator.catalog.CalibrationFit;
import io.github.llmestimator.catalog.CalibrationProfile;
import io.github.llmestimator.catalog.CalibrationRun;
import io.github.llmestimator.catalog.LlamaBench;
import io.github.llmestimator.examples.Views;
import io.github.llmestimator.hardware.Calibration;
import io.github.llmestimator.hardware.Device;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code calibrate}: fits a device's speed constants on the user's own llama-bench runs and saves a profile. */
@Command(name = "calibrate", mixinStandardHelpOptions = true, versionProvider = LlmEstimatorCommand.Version.class,
        description = {"Fit a device's speed constants on your own llama-bench runs (its -o json, -o jsonl, -o csv or"
                + " markdown output): the achieved share of peak memory bandwidth and the time per layer of each"
                + " decoded token (tgN runs), and a factor on compute (ppN runs). Prints every run measured beside"
                + " the estimate before and after, and saves a profile that --hardware profile:FILE loads."})
final class CalibrateCommand implements Callable<Integer> {

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--llama-bench", required = true, paramLabel = "FILE",
            description = "llama-bench output, in any of its formats.")
    Path file;

    @Option(names = {"-m", "--model"}, paramLabel = "ID",
            description = "The catalog model every run is of (default: each run's model found by its parameters and"
                    + " file type).")
    String model;

    @Option(names = "--hardware", paramLabel = "DEVICE",
            description = "The one device the runs were measured on, holding the whole model: " + HardwareArgument.SYNTAX
                    + " (default: this machine's GPU or Apple chip, else its RAM, as hardware --detect finds it).")
    String hardware;

    @Option(names = {"-o", "--output"}, paramLabel = "PROFILE", description = "Save the profile to this file.")
    Path output;

    @Option(names = "--json", description = "Print one JSON object.")
    boolean json;

    @picocli.CommandLine.Mixin
    ThisMachine.MeasureOptions measure;

    @Override
    public Integer call() {
        Device device = device();
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("--llama-bench " + file + ": no such file (expected: the output of"
                    + " llama-bench saved to a file)", e);
        } catch (IOException e) {
            throw new UncheckedIOException("--llama-bench " + file + ": " + e.getMessage(), e);
        }
        LlamaBench.Result parsed = LlamaBench.parse(text);
        CalibrationFit.Result fit = CalibrationFit.fit(device, parsed.runs(), Optional.ofNullable(model));
        List<String> skipped = new ArrayList<>(parsed.skipped());
        skipped.addAll(fit.skipped());
        Device calibrated = device.withCalibration(fit.calibration());
        CalibrationProfile profile = new CalibrationProfile(calibrated, file.getFileName().toString(), fit.runs());
        if (output != null) {
            try {
                Files.writeString(output, profile.toJson());
            } catch (IOException e) {
                throw new UncheckedIOException("-o " + output + ": " + e.getMessage(), e);
            }
        }
        PrintWriter out = spec.commandLine().getOut();
        out.print(json ? json(device, calibrated, fit, skipped) : text(device, calibrated, fit, skipped));
        out.flush();
        return LlmEstimatorCommand.ANSWERED;
    }

    private Device device() {
        if (hardware != null) {
            if (measure.measure) {
                throw new IllegalArgumentException("--measure: with --hardware (expected: one of them)");
            }
            HardwareArgument argument = HardwareArgument.parse(hardware);
            if (argument.count() != 1) {
                throw new IllegalArgumentException("--hardware: '" + hardware + "' (expected: one device; a"
                        + " calibration is of one device holding the whole model)");
            }
            return argument.device();
        }
        ThisMachine.Found found = ThisMachine.detect(measure, 0);
        if (found.hardware().isEmpty()) {
            throw new IllegalArgumentException("--hardware: not given, and this machine gives no device with a known"
                    + " bandwidth (" + String.join("; ", found.notes()) + ") (expected: --hardware DEVICE, or"
                    + " --measure)");
        }
        return HardwareArgument.parse(found.hardware().get(0)).device();
    }

    private String text(Device device, Device calibrated, CalibrationFit.Result fit, List<String> skipped) {
        Calibration c = fit.calibration();
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "Calibration of %s (%s, peak %.1f GB/s) on %d runs of %s%n",
                device.name(), device.backend(), device.memoryBandwidthGBps(), c.runs(), file.getFileName()));
        out.append(String.format(Locale.ROOT, "  achieved share of peak bandwidth: %.3f (runs imply %.3f to %.3f)%n",
                c.memoryEfficiency(), c.lowMemoryEfficiency(), c.highMemoryEfficiency()));
        out.append(String.format(Locale.ROOT, "  time per layer and decoded token: %.1f us%n", c.layerSeconds() * 1e6));
        out.append(c.computeFactor().isPresent() ? String.format(Locale.ROOT, "  compute factor (ppN runs from an"
                + " empty context): %.3f%n", c.computeFactor().getAsDouble()) : "  compute factor: none (no ppN run"
                        + " from an empty context)\n");
        out.append(String.format(Locale.ROOT, "  %-16s %-9s %-16s %10s %10s %10s %7s%n", "model", "scheme", "test",
                "measured", "before", "after", "after/m"));
        for (CalibrationRun run : fit.runs()) {
            double measured = run.measuredTokensPerSecond();
            Optional<CalibrationRun.Speeds> before = run.estimate(device);
            Optional<CalibrationRun.Speeds> after = run.estimate(calibrated);
            out.append(String.format(Locale.ROOT, "  %-16s %-9s %-16s %10s %10s %10s %7s%s%n", run.modelId(),
                    run.scheme(), run.test(), Views.speed(measured),
                    before.map(s -> Views.speed(s.tokensPerSecond())).orElse("n/a"),
                    after.map(s -> Views.speed(s.tokensPerSecond())).orElse("n/a"),
                    after.map(s -> String.format(Locale.ROOT, "%.3f", s.tokensPerSecond() / measured)).orElse("-"),
                    run.fitted() ? "" : "  (not fitted)"));
        }
        out.append("  tokens/s; before = the backend's constants, after = calibrated; n/a = a prompt after a filled"
                + " context (not modelled)\n");
        for (String reason : skipped) {
            out.append("  left out: ").append(reason).append('\n');
        }
        if (output != null) {
            out.append("Saved ").append(output).append(": use it with --hardware profile:").append(output)
                    .append('\n');
        }
        return out.toString();
    }

    private String json(Device device, Device calibrated, CalibrationFit.Result fit, List<String> skipped) {
        Calibration c = fit.calibration();
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("device", device.name());
        root.put("backend", device.backend().name());
        root.put("bandwidthGBps", device.memoryBandwidthGBps());
        Map<String, Object> calibration = new LinkedHashMap<>();
        calibration.put("runs", c.runs());
        calibration.put("memoryEfficiency", List.of(c.lowMemoryEfficiency(), c.memoryEfficiency(),
                c.highMemoryEfficiency()));
        calibration.put("layerSeconds", c.layerSeconds());
        calibration.put("computeFactor", c.computeFactor().isPresent() ? c.computeFactor().getAsDouble() : null);
        root.put("calibration", calibration);
        List<Map<String, Object>> runs = new ArrayList<>();
        for (CalibrationRun run : fit.runs()) {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("model", run.modelId());
            r.put("scheme", run.scheme().name());
            r.put("test", run.test());
            r.put("depth", run.depthTokens());
            r.put("fitted", run.fitted());
            r.put("measuredTokensPerSecond", run.measuredTokensPerSecond());
            r.put("before", run.estimate(device).map(s -> (Object) s.tokensPerSecond()).orElse(null));
            r.put("after", run.estimate(calibrated).map(s -> (Object) s.tokensPerSecond()).orElse(null));
            runs.add(r);
        }
        root.put("runs", runs);
        root.put("skipped", skipped);
        root.put("profile", output == null ? null : output.toString());
        return Views.json(root);
    }
}
