package io.github.llmestimator.examples.cli;

import io.github.llmestimator.Estimate;
import io.github.llmestimator.Estimator;
import io.github.llmestimator.SpeculativeDecoding;
import io.github.llmestimator.catalog.CalibrationRun;
import io.github.llmestimator.catalog.PublishedSpeed;
import io.github.llmestimator.hardware.Calibration;
import io.github.llmestimator.examples.ModelReport;
import io.github.llmestimator.examples.ModelSource;
import io.github.llmestimator.examples.Views;
import io.github.llmestimator.hardware.AppleWorkingSet;
import io.github.llmestimator.hardware.Deployment;
import io.github.llmestimator.hardware.Device;
import io.github.llmestimator.hardware.DeviceUsage;
import io.github.llmestimator.hardware.Power;
import io.github.llmestimator.memory.DataSize;
import io.github.llmestimator.planning.ContextPlan;
import io.github.llmestimator.planning.SchemePlan;
import io.github.llmestimator.throughput.DecodeSpeed;
import io.github.llmestimator.throughput.PrefillSpeed;
import io.github.llmestimator.throughput.SpeculativeSpeed;
import io.github.llmestimator.throughput.Speculation;
import io.github.llmestimator.throughput.TokenEnergy;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The estimate of a model on given hardware: memory per device, whether it fits, and, only where it fits, decode and
 * prefill speeds with what bounds each; where it does not fit, what would.
 */
final class DeploymentReport {

    /** The most published measurements printed under an estimate (the JSON has them all). */
    private static final int MEASURED_SHOWN = 6;

    private DeploymentReport() {
    }

    /**
     * What the user pays, for the cost lines: an electricity price per kWh and a rental price per hour, either or both
     * absent (null).
     */
    record Prices(Double perKwh, Double perHour) {
        Prices {
            check("--price-kwh", perKwh);
            check("--price-hour", perHour);
        }

        private static void check(String option, Double price) {
            if (price != null && (!(price >= 0) || price.isInfinite())) {
                throw new IllegalArgumentException(option + ": " + price + " (expected: a finite number >= 0, in your"
                        + " currency)");
            }
        }
    }

    static String text(ModelSource source, Estimator estimator, HardwareOptions.Chosen chosen,
            List<PublishedSpeed> measured, List<CalibrationRun> own,
            Prices prices) {
        Estimate estimate = estimator.estimate();
        StringBuilder out = new StringBuilder();
        line(out, "%s, %s", source.displayName(), scheme(estimate));
        line(out, "  %s", Views.settingsLine(estimate));
        line(out, "  weight formats: %s", Views.weightFormatsLine(estimate));
        if (estimate.loraAdapterBytes() > 0) {
            line(out, "  LoRA adapters: %s = %s, counted in the weights of the devices that hold the layers they adapt",
                    Views.adaptersLine(estimator.loraAdapters()), Views.gib(estimate.loraAdapterBytes()));
        }
        line(out, "  placement: %s", chosen.placement());
        for (String warning : Views.warnings(estimate)) {
            line(out, "  warning: %s", warning);
        }
        out.append('\n');
        deviceTable(out, estimate);
        out.append('\n');
        if (estimate.fits()) {
            int position = Views.sequenceContext(estimate);
            line(out, "Fits. Speed (expected, with the fit's range)%s:", calibratedOn(estimate));
            line(out, "  decode at position %,d:%s %s", position,
                    estimate.context().settings().parallelSequences() > 1 ? " (all sequences together)" : "",
                    Views.text(estimate.decode(position)));
            Optional<PrefillSpeed> prefill = estimate.prefill(Views.promptTokens(position));
            line(out, "  prefill of a %,d-token prompt: %s", Views.promptTokens(position),
                    prefill.map(Views::text).orElse("n/a (a device states no compute throughput)"));
            if (estimate.speculative().isPresent()) {
                speculative(out, estimate.speculative().get(), position);
            }
            if (!own.isEmpty()) {
                Device device = estimate.devices().get(0).device();
                line(out, "Your llama-bench runs of this model and scheme on this device, beside the calibrated"
                        + " estimate:");
                for (CalibrationRun run : own) {
                    line(out, "  %-16s measured %s tokens/s, estimated %s%s", run.test(),
                            Views.speed(run.measuredTokensPerSecond()), run.estimate(device).map(e -> String.format(
                                    Locale.ROOT, "%s (%s-%s)", Views.speed(e.tokensPerSecond()),
                                    Views.speed(e.lowTokensPerSecond()), Views.speed(e.highTokensPerSecond())))
                                    .orElse("n/a (a prompt after a filled context is not modelled)"),
                            run.fitted() ? "" : ", not fitted");
                }
            }
            energy(out, chosen.deployment(), estimate.decode(position), prefill, prices);
            if (!measured.isEmpty()) {
                line(out, "Published llama-bench measurements of this model and scheme on this device:");
                for (PublishedSpeed speed : measured.subList(0, Math.min(MEASURED_SHOWN, measured.size()))) {
                    line(out, "  %s%s: %s tokens/s (%s, build %s; %s)", speed.test(),
                            speed.depth() > 0 ? String.format(Locale.ROOT, " at depth %,d", speed.depth()) : "",
                            Views.speed(speed.tokensPerSecond()), speed.backend(), speed.build(), speed.url());
                }
            }
        } else {
            for (String paging : paging(estimate)) {
                line(out, "%s", paging);
            }
            line(out, "Does not fit: %s. Speeds are shown only for setups that fit.", shortfall(estimate));
            for (String suggestion : suggestions(estimator)) {
                line(out, "  %s", suggestion);
            }
        }
        return out.toString();
    }

    /** The speculative-decoding lines: the setup, the drafter's memory, decode and prefill with it. */
    private static void speculative(StringBuilder out, SpeculativeDecoding s, int position) {
        Speculation setup = s.speculation();
        int at = Math.max(0, position - setup.draftTokens());
        SpeculativeSpeed speed = s.decode(at);
        line(out, "Speculative decoding (%s, %d drafted tokens, acceptance %.3f per token, assumed independent):",
                setup.isMtp() ? "MTP" : "draft model " + setup.draftModel().orElseThrow().name() + " "
                        + setup.draftScheme().orElseThrow(), setup.draftTokens(), setup.acceptance());
        line(out, "  %.2f tokens per step (llama.cpp would print a draft acceptance rate of %.3f)",
                speed.expectedTokensPerStep(), setup.draftAcceptanceRate());
        line(out, "  drafter memory %s, in the device table: weights %s, KV cache %s, rollback state %s, buffers %s",
                DataSize.ofBytes(s.totalBytes()), DataSize.ofBytes(s.weightBytes()), DataSize.ofBytes(s.kvCacheBytes()),
                DataSize.ofBytes(s.rollbackStateBytes()),
                DataSize.ofBytes(s.outputBufferBytes() + s.computeBufferBytes() + s.recurrentStateBytes()));
        line(out, "  decode at position %,d: %s tokens/s (%s-%s), %.2fx of %s tokens/s without it", at,
                Views.speed(speed.tokensPerSecond()), Views.speed(speed.lowTokensPerSecond()),
                Views.speed(speed.highTokensPerSecond()), speed.speedUp(),
                Views.speed(speed.baseline().tokensPerSecond()));
        Optional<PrefillSpeed> prefill = s.prefill(Views.promptTokens(position));
        line(out, "  prefill of a %,d-token prompt, the drafter included: %s", Views.promptTokens(position),
                prefill.map(Views::text).orElse("n/a (a device states no compute throughput)"));
    }

    /** The speculative-decoding figures for the JSON report, or null without speculation. */
    private static Map<String, Object> speculativeJson(Estimate estimate, int position) {
        if (estimate.speculative().isEmpty()) {
            return null;
        }
        SpeculativeDecoding s = estimate.speculative().get();
        Speculation setup = s.speculation();
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("drafter", setup.isMtp() ? "mtp" : setup.draftModel().orElseThrow().name());
        json.put("draftScheme", setup.draftScheme().map(Enum::name).orElse(null));
        json.put("draftTokens", setup.draftTokens());
        json.put("acceptancePerToken", setup.acceptance());
        json.put("expectedTokensPerStep", setup.expectedTokensPerStep());
        json.put("drafterBytes", s.totalBytes());
        json.put("drafterWeightBytes", s.weightBytes());
        json.put("drafterKvCacheBytes", s.kvCacheBytes());
        json.put("rollbackStateBytes", s.rollbackStateBytes());
        if (estimate.fits()) {
            SpeculativeSpeed speed = s.decode(Math.max(0, position - setup.draftTokens()));
            json.put("decodeTokensPerSecond", speed.tokensPerSecond());
            json.put("decodeLowTokensPerSecond", speed.lowTokensPerSecond());
            json.put("decodeHighTokensPerSecond", speed.highTokensPerSecond());
            json.put("speedUp", speed.speedUp());
        }
        return json;
    }

    static String json(ModelSource source, Estimator estimator, HardwareOptions.Chosen chosen,
            List<PublishedSpeed> measured, List<CalibrationRun> own,
            Prices prices) {
        Estimate estimate = estimator.estimate();
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("model", ModelReport.model(source));
        root.put("settings", Views.settings(estimate));
        root.put("weightFormats", ModelReport.formats(estimate));
        root.put("memory", Views.memory(estimate));
        root.put("placement", chosen.placement());
        root.put("devices", devices(estimate));
        root.put("fits", estimate.fits());
        int position = Views.sequenceContext(estimate);
        root.put("decode", estimate.fits() ? Views.decode(estimate.decode(position)) : null);
        root.put("prefill", estimate.fits()
                ? estimate.prefill(Views.promptTokens(position)).map(Views::prefill).orElse(null) : null);
        root.put("energy", estimate.fits() ? energyJson(chosen.deployment(), estimate.decode(position),
                estimate.prefill(Views.promptTokens(position)), prices) : null);
        root.put("suggestions", estimate.fits() ? List.of() : suggestions(estimator));
        root.put("speculative", speculativeJson(estimate, position));
        List<Map<String, Object>> rows = new ArrayList<>();
        for (PublishedSpeed speed : measured) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("test", speed.test());
            row.put("depth", speed.depth());
            row.put("tokensPerSecond", speed.tokensPerSecond());
            row.put("backend", speed.backend());
            row.put("build", speed.build());
            row.put("url", speed.url());
            rows.add(row);
        }
        root.put("measured", rows);
        root.put("calibration", calibrationJson(estimate, own));
        root.put("warnings", Views.warnings(estimate));
        return Views.json(root);
    }

    /** Says which devices' speeds come from their own runs: " (calibrated on 18 runs of DGX Spark)", or nothing. */
    static String calibratedOn(Estimate estimate) {
        StringBuilder text = new StringBuilder();
        for (DeviceUsage usage : estimate.devices()) {
            Device device = usage.device();
            if (device.calibration().isPresent() && text.indexOf(device.name()) < 0) {
                text.append(text.length() == 0 ? " (calibrated on " : "; ")
                        .append(device.calibration().get().runs()).append(" runs of ").append(device.name());
            }
        }
        return text.length() == 0 ? "" : text.append(')').toString();
    }

    /** The calibration of a one-device deployment and its runs beside the estimates, or null when uncalibrated. */
    private static Map<String, Object> calibrationJson(Estimate estimate, List<CalibrationRun> own) {
        Device device = estimate.devices().get(0).device();
        if (estimate.devices().size() != 1 || device.calibration().isEmpty()) {
            return null;
        }
        Calibration c = device.calibration().get();
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("runs", c.runs());
        json.put("memoryEfficiency", List.of(c.lowMemoryEfficiency(), c.memoryEfficiency(), c.highMemoryEfficiency()));
        json.put("layerSeconds", c.layerSeconds());
        json.put("computeFactor", c.computeFactor().isPresent() ? c.computeFactor().getAsDouble() : null);
        List<Map<String, Object>> runs = new ArrayList<>();
        for (CalibrationRun run : own) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("test", run.test());
            row.put("depth", run.depthTokens());
            row.put("measuredTokensPerSecond", run.measuredTokensPerSecond());
            row.put("fitted", run.fitted());
            row.put("estimate", run.estimate(device).map(e -> {
                Map<String, Object> speeds = new LinkedHashMap<>();
                speeds.put("tokensPerSecond", e.tokensPerSecond());
                speeds.put("lowTokensPerSecond", e.lowTokensPerSecond());
                speeds.put("highTokensPerSecond", e.highTokensPerSecond());
                return (Object) speeds;
            }).orElse(null));
            runs.add(row);
        }
        json.put("measured", runs);
        return json;
    }

    /** The energy and cost lines: the utilisation rule applied to the estimated speeds, and the prices given. */
    private static void energy(StringBuilder out, Deployment deployment, DecodeSpeed decode,
            Optional<PrefillSpeed> prefill, Prices prices) {
        Optional<TokenEnergy> decodeEnergy = TokenEnergy.decode(deployment, decode);
        Optional<TokenEnergy> prefillEnergy = prefill.flatMap(p -> TokenEnergy.prefill(deployment, p));
        if (decodeEnergy.isEmpty()) {
            line(out, "  energy: n/a (no published power figure for %s)", deployment.devices().stream()
                    .filter(d -> d.power().isEmpty()).map(Device::name).distinct().collect(Collectors.joining(", ")));
        } else {
            line(out, "Energy (%.1f x published maximum power while decoding, %.1f x while prefilling; %s):",
                    TokenEnergy.DECODE_LOAD_SHARE, TokenEnergy.PREFILL_LOAD_SHARE, powerLine(deployment));
            line(out, "  decode: %.0f W, %s J/token (%s tokens per joule)", decodeEnergy.get().watts(),
                    sig(decodeEnergy.get().joulesPerToken()), sig(1 / decodeEnergy.get().joulesPerToken()));
            prefillEnergy.ifPresent(e -> line(out, "  prefill: %.0f W, %s J/token", e.watts(),
                    sig(e.joulesPerToken())));
            if (prices.perKwh() != null) {
                line(out, "  electricity at %s per kWh, per million tokens: decode %s%s", sig(prices.perKwh()),
                        sig(decodeEnergy.get().electricityCostPerMillionTokens(prices.perKwh())),
                        prefillEnergy.map(e -> ", prefill " + sig(e.electricityCostPerMillionTokens(prices.perKwh())))
                                .orElse(""));
            }
        }
        if (prices.perHour() != null) {
            line(out, "  rental at %s per hour, per million tokens: decode %s%s", sig(prices.perHour()),
                    sig(TokenEnergy.rentalCostPerMillionTokens(prices.perHour(), decode.tokensPerSecond())),
                    prefill.map(p -> ", prefill " + sig(TokenEnergy.rentalCostPerMillionTokens(prices.perHour(),
                            p.tokensPerSecond()))).orElse(""));
        }
    }

    private static String powerLine(Deployment deployment) {
        return deployment.devices().stream().distinct().map(d -> {
            Power p = d.power().orElseThrow();
            return String.format(Locale.ROOT, "%s %.0f W %s", d.name(), p.maxWatts(),
                    p.scope().name().toLowerCase(Locale.ROOT));
        }).collect(Collectors.joining(", "));
    }

    private static Map<String, Object> energyJson(Deployment deployment, DecodeSpeed decode,
            Optional<PrefillSpeed> prefill, Prices prices) {
        Map<String, Object> energy = new LinkedHashMap<>();
        energy.put("decodeLoadShare", TokenEnergy.DECODE_LOAD_SHARE);
        energy.put("prefillLoadShare", TokenEnergy.PREFILL_LOAD_SHARE);
        energy.put("decode", TokenEnergy.decode(deployment, decode).map(e -> energyRow(e, prices)).orElse(null));
        energy.put("prefill", prefill.flatMap(p -> TokenEnergy.prefill(deployment, p)).map(e -> energyRow(e, prices))
                .orElse(null));
        energy.put("pricePerKwh", prices.perKwh());
        energy.put("pricePerHour", prices.perHour());
        energy.put("rentalDecodePerMillionTokens", prices.perHour() == null ? null
                : TokenEnergy.rentalCostPerMillionTokens(prices.perHour(), decode.tokensPerSecond()));
        energy.put("rentalPrefillPerMillionTokens", prices.perHour() == null ? null
                : prefill.map(p -> TokenEnergy.rentalCostPerMillionTokens(prices.perHour(), p.tokensPerSecond()))
                        .orElse(null));
        return energy;
    }

    private static Map<String, Object> energyRow(TokenEnergy energy, Prices prices) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("watts", Views.round(energy.watts()));
        row.put("joulesPerToken", energy.joulesPerToken());
        row.put("electricityPerMillionTokens", prices.perKwh() == null ? null
                : energy.electricityCostPerMillionTokens(prices.perKwh()));
        return row;
    }

    /** Three significant figures: energies and prices span many magnitudes. */
    private static String sig(double value) {
        return String.format(Locale.ROOT, "%.3g", value);
    }

    static List<Map<String, Object>> devices(Estimate estimate) {
        List<Map<String, Object>> devices = new ArrayList<>();
        List<String> names = deviceNames(estimate);
        for (int i = 0; i < estimate.devices().size(); i++) {
            DeviceUsage usage = estimate.devices().get(i);
            Map<String, Object> device = new LinkedHashMap<>();
            device.put("name", names.get(i));
            device.put("kind", usage.device().kind().name());
            device.put("weights", Views.size(usage.weightBytes()));
            device.put("kvCache", Views.size(usage.kvCacheBytes()));
            device.put("recurrentState", Views.size(usage.recurrentStateBytes()));
            device.put("outputBuffer", Views.size(usage.outputBufferBytes()));
            device.put("computeBuffer", Views.size(usage.computeBufferBytes()));
            device.put("runtimeAllowance", Views.size(usage.runtimeOverheadBytes()));
            device.put("total", Views.size(usage.totalBytes()));
            device.put("usable", Views.size(usage.usableBytes()));
            device.put("headroom", Views.size(usage.headroomBytes()));
            device.put("fits", usage.fits());
            device.put("paging", usage.paging());
            device.put("workingSet", usage.device().appleWorkingSet().map(set -> {
                Map<String, Object> w = new LinkedHashMap<>();
                w.put("limit", Views.size(set.limitBytes()));
                w.put("source", set.source().name());
                w.put("wiredLimitMiB", set.wiredLimitMiB().isPresent() ? set.wiredLimitMiB().getAsLong() : null);
                w.put("why", workingSetWhy(set));
                return (Object) w;
            }).orElse(null));
            devices.add(device);
        }
        return devices;
    }

    /** Device names, numbered where one device appears more than once. */
    static List<String> deviceNames(Estimate estimate) {
        List<String> names = new ArrayList<>();
        Map<String, Integer> seen = new LinkedHashMap<>();
        for (DeviceUsage usage : estimate.devices()) {
            seen.merge(usage.device().name(), 1, Integer::sum);
        }
        Map<String, Integer> numbered = new LinkedHashMap<>();
        for (DeviceUsage usage : estimate.devices()) {
            String name = usage.device().name();
            names.add(seen.get(name) > 1 ? name + " #" + numbered.merge(name, 1, Integer::sum) : name);
        }
        return names;
    }

    static void deviceTable(StringBuilder out, Estimate estimate) {
        List<String> names = deviceNames(estimate);
        int width = Math.max(6, names.stream().mapToInt(String::length).max().orElse(6));
        String format = "  %-" + width + "s %9s %9s %9s %9s %9s %9s %9s %9s  %s";
        line(out, "Memory per device, GiB (2^30 bytes)");
        line(out, format, "device", "weights", "KV cache", "state", "buffers", "allowance", "total", "usable",
                "headroom", "fits");
        for (int i = 0; i < names.size(); i++) {
            DeviceUsage u = estimate.devices().get(i);
            line(out, format, names.get(i), g(u.weightBytes()), g(u.kvCacheBytes()), g(u.recurrentStateBytes()),
                    g(u.outputBufferBytes() + u.computeBufferBytes()), g(u.runtimeOverheadBytes()), g(u.totalBytes()),
                    g(u.usableBytes()), g(u.headroomBytes()), u.fits() ? "yes" : u.paging() ? "pages" : "no");
        }
        line(out, "  buffers = output (logits) + compute buffer; allowance = the runtime's own reserve per device;"
                + " usable = what the device lets a model use (the GPU share of unified memory); headroom = usable"
                + " - total");
        for (int i = 0; i < names.size(); i++) {
            int d = i;
            estimate.devices().get(i).device().appleWorkingSet().ifPresent(set -> line(out,
                    "  usable on %s = macOS's GPU working-set limit: %s", names.get(d), workingSetWhy(set)));
        }
    }

    /** Which working-set limit applies to a Mac and why, with how to raise it. */
    static String workingSetWhy(AppleWorkingSet set) {
        String installed = Views.gib(set.installedBytes());
        return switch (set.source()) {
            case DEFAULT_TWO_THIRDS -> String.format(Locale.ROOT, "%s = 2/3 of the %s installed, macOS's default up to"
                    + " 36 GiB; raise it with sudo sysctl iogpu.wired_limit_mb=N and --wired-limit-mb N",
                    Views.gib(set.limitBytes()), installed);
            case DEFAULT_THREE_QUARTERS -> String.format(Locale.ROOT, "%s = 3/4 of the %s installed, macOS's default"
                    + " above 36 GiB; raise it with sudo sysctl iogpu.wired_limit_mb=N and --wired-limit-mb N",
                    Views.gib(set.limitBytes()), installed);
            case WIRED_LIMIT -> String.format(Locale.ROOT, "%s = iogpu.wired_limit_mb %d (--wired-limit-mb) of the %s"
                    + " installed", Views.gib(set.limitBytes()), set.wiredLimitMiB().getAsLong(), installed);
        };
    }

    /**
     * The Macs whose share is past the GPU's working-set limit but within the memory: macOS pages them, so the report
     * says so with the published slowdown rather than a speed.
     */
    static List<String> paging(Estimate estimate) {
        List<String> names = deviceNames(estimate);
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            DeviceUsage usage = estimate.devices().get(i);
            if (usage.paging()) {
                lines.add(String.format(Locale.ROOT, "Pages: %s holds %s, %s past macOS's GPU working-set limit but"
                        + " within its %s; macOS then pages the model through the GPU's working set, and published"
                        + " runs past the limit decode %.0fx to %.0fx slower than wired"
                        + " (https://github.com/osaurus-ai/vmlx-swift/issues/418). Raise the limit with sudo sysctl"
                        + " iogpu.wired_limit_mb=N and --wired-limit-mb N, or make the model smaller.", names.get(i),
                        Views.gib(usage.totalBytes()), Views.gib(-usage.headroomBytes()),
                        Views.gib(usage.device().memoryBytes()), AppleWorkingSet.PAGING_SLOWDOWN_MIN,
                        AppleWorkingSet.PAGING_SLOWDOWN_MAX));
            }
        }
        return lines;
    }

    static String shortfall(Estimate estimate) {
        List<String> names = deviceNames(estimate);
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < names.size(); i++) {
            DeviceUsage usage = estimate.devices().get(i);
            if (!usage.fits()) {
                text.append(text.length() == 0 ? "" : "; ").append(names.get(i)).append(" needs ")
                        .append(Views.gib(-usage.headroomBytes())).append(" more");
            }
        }
        return text.toString();
    }

    /** What would fit on the same hardware: a shorter context at this scheme, or a smaller scheme at this context. */
    static List<String> suggestions(Estimator estimator) {
        List<String> suggestions = new ArrayList<>();
        ContextPlan context = ContextPlan.of(estimator);
        suggestions.add(context.fits()
                ? String.format(Locale.ROOT, "at this scheme, the largest context that fits is %,d tokens (max-context)",
                        context.contextTokens())
                : "at this scheme, not even the smallest context fits: the weights alone are too large");
        SchemePlan quant = SchemePlan.of(estimator);
        suggestions.add(quant.fits()
                ? String.format(Locale.ROOT, "at this context, the best scheme that fits is %s, %.2f bits per weight"
                        + " (best-quant)", quant.scheme(), quant.bitsPerWeight())
                : "at this context, no scheme fits (min-hardware finds hardware that does)");
        return suggestions;
    }

    private static String scheme(Estimate estimate) {
        return estimate.weights().isFromFile() ? "the GGUF file's own tensor types"
                : estimate.weights().scheme().name();
    }

    private static String g(long bytes) {
        return String.format(Locale.ROOT, "%.2f", bytes / (double) (1L << 30));
    }

    static void line(StringBuilder out, String format, Object... args) {
        out.append(String.format(Locale.ROOT, format, args)).append('\n');
    }
}
