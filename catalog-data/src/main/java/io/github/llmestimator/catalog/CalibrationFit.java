package io.github.llmestimator.catalog;

import io.github.llmestimator.hardware.Calibration;
import io.github.llmestimator.hardware.Device;
import io.github.llmestimator.model.ModelSpec;
import io.github.llmestimator.quant.QuantScheme;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * Fits a device's speed-model parameters ({@link Calibration}) on its own llama-bench runs.
 *
 * <p>Each run's model is found in the catalog: by the parameter count llama-bench prints ({@code model_n_params},
 * within 0.5 %, the rounding of its markdown table) and the file type in its {@code model_type} (the last words of
 * llama.cpp's model description, such as {@code Q4_K - Medium} or {@code MXFP4 MoE}), or the one catalog model the
 * caller names for the whole file. A run whose file is more than 5 % larger or smaller than the library's weights for
 * that scheme (a file quantized with other types, such as a QAT release) is left out and says so.
 *
 * <p>Decode: every {@code tgN} run is one equation {@code t = a x + s L}, with {@code t} the measured time per
 * token, {@code x = bytes / B} ({@code bytes} what the library says the token reads at the middle of the test: weights
 * touched and the KV cache at that depth; {@code B} the device's peak bandwidth), {@code L} the model's layers,
 * {@code a} the inverse of the achieved efficiency and {@code s} the time per layer. The fit minimises the largest
 * relative error {@code max |(a x_i + s L_i) / t_i - 1|} (a minimax fit: the calibration's promise is how far its
 * worst run is, and fast and slow runs count alike), with {@code s >= 0}. The band of the calibration is the lowest and highest efficiency the runs imply at that
 * {@code s}. Prefill: the compute factor is the geometric mean of measured over estimated speed of the {@code ppN} runs
 * from an empty context, iterated four times since only the compute-bound part of a prompt scales with it.
 *
 * <p>This class is thread-safe and has no state.
 */
public final class CalibrationFit {

    private static final double PARAMETER_TOLERANCE = 0.005;
    private static final double SIZE_TOLERANCE = 0.05;
    private static final int DEFAULT_MICRO_BATCH = 512;
    /** Ternary-search steps: each keeps 2/3 of the interval, so 200 steps narrow it by 10^-35, below a double's. */
    private static final int SEARCH_STEPS = 200;

    private CalibrationFit() {
    }

    /**
     * A fit: the calibration, the runs it used and showed, and the rows it left out with the reason.
     *
     * @param calibration the fitted calibration
     * @param runs the runs matched to catalog models, fitted or not (prompt tests after a filled context are shown,
     *     not fitted); an immutable list
     * @param skipped the runs left out, each with the reason; an immutable list
     */
    public record Result(Calibration calibration, List<CalibrationRun> runs, List<String> skipped) {

        /**
         * Copies the lists.
         *
         * @param calibration the fitted calibration
         * @param runs the runs matched to catalog models
         * @param skipped the runs left out, with reasons
         * @throws NullPointerException if a component is null
         */
        public Result {
            Objects.requireNonNull(calibration, "calibration");
            runs = List.copyOf(runs);
            skipped = List.copyOf(skipped);
        }
    }

    /** Whether the presets have the same layers, width, vocabulary and tying: the same tensors, named differently. */
    private static boolean sameShape(List<ModelPreset> presets) {
        ModelSpec first = presets.get(0).spec();
        return presets.stream().map(ModelPreset::spec).allMatch(s -> s.layers().equals(first.layers())
                && s.hiddenSize() == first.hiddenSize() && s.vocabularySize() == first.vocabularySize()
                && s.tiedEmbeddings() == first.tiedEmbeddings());
    }

    /**
     * Matches llama-bench runs to catalog models. A run that states fewer GPU layers ({@code n_gpu_layers}) than the
     * model has is left out on a GPU or unified-memory device, and one with any under a GPU backend on system RAM: the calibration is of
     * one device holding the whole model.
     *
     * @param device the device the runs were measured on, not null
     * @param runs the runs, not null
     * @param modelId the catalog model every run is of, or empty to match each run by its parameters and file type
     * @param skipped receives each run left out, with the reason
     * @return the matched runs, none fitted yet
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if {@code modelId} is not a catalog id
     */
    public static List<CalibrationRun> match(Device device, List<LlamaBenchRun> runs, Optional<String> modelId,
            List<String> skipped) {
        Objects.requireNonNull(device, "device");
        Objects.requireNonNull(runs, "runs");
        Objects.requireNonNull(skipped, "skipped");
        Optional<ModelPreset> named = Objects.requireNonNull(modelId, "modelId").map(Catalog::model);
        List<CalibrationRun> matched = new ArrayList<>();
        for (LlamaBenchRun run : runs) {
            Optional<QuantScheme> scheme = scheme(run.modelType());
            if (scheme.isEmpty()) {
                skipped.add(run + ": file type of '" + run.modelType() + "' not known to the library");
                continue;
            }
            List<ModelPreset> candidates = new ArrayList<>();
            for (ModelPreset preset : named.map(List::of).orElseGet(Catalog::models)) {
                double params = preset.spec().totalParameters();
                if (Math.abs(params - run.modelParameters()) <= PARAMETER_TOLERANCE * run.modelParameters()) {
                    candidates.add(preset);
                }
            }
            if (candidates.size() > 1 && sameShape(candidates)) {
                // releases of one architecture at one size (Qwen3-30B-A3B and its Coder, a 2507 refresh) read the
                // same bytes per token: the first in catalog order whose context holds the run, else the longest
                long tokens = (long) run.depthTokens() + run.promptTokens() + run.generatedTokens();
                List<ModelPreset> same = candidates;
                candidates = List.of(same.stream().filter(p -> p.spec().maxContextTokens() >= tokens).findFirst()
                        .orElseGet(() -> same.stream().max(Comparator.comparingInt(p -> p.spec().maxContextTokens()))
                                .orElseThrow()));
            }
            if (candidates.size() != 1) {
                String params = String.format(Locale.ROOT, "%.2f B parameters", run.modelParameters() / 1e9);
                skipped.add(run + ": " + (candidates.isEmpty() ? (named.isPresent() ? named.get().id()
                        + " has not its " + params : "no catalog model has its " + params)
                        : "several catalog models match " + ids(candidates)) + " (name it with --model)");
                continue;
            }
            ModelPreset preset = candidates.get(0);
            int layers = preset.spec().layers().size();
            boolean cpu = device.kind() == io.github.llmestimator.hardware.DeviceKind.SYSTEM_RAM;
            boolean gpuBackend = run.backends().matches("(?i).*(cuda|metal|mtl|vulkan|rocm|hip|sycl).*");
            if (run.gpuLayers().isPresent() && (cpu ? gpuBackend && run.gpuLayers().getAsInt() > 0
                    : run.gpuLayers().getAsInt() < layers)) {
                skipped.add(run + ": ngl " + run.gpuLayers().getAsInt() + " on " + device.kind() + " (expected: "
                        + (cpu ? "0" : "at least the model's " + layers + " layers") + ", the whole model on the"
                        + " device)");
                continue;
            }
            long weights = io.github.llmestimator.Estimator.of(preset.spec()).quant(scheme.get()).estimate()
                    .weightBytes();
            if (Math.abs(weights - run.modelSizeBytes()) > SIZE_TOLERANCE * run.modelSizeBytes()) {
                skipped.add(String.format(Locale.ROOT, "%s: the file holds %.2f GiB, the library's %s %s %.2f GiB"
                        + " (a file quantized with other tensor types)", run, run.modelSizeBytes() / 0x1p30,
                        preset.id(), scheme.get(), weights / 0x1p30));
                continue;
            }
            matched.add(new CalibrationRun(preset.id(), scheme.get(), run.promptTokens(), run.generatedTokens(),
                    run.depthTokens(), run.microBatchTokens().orElse(DEFAULT_MICRO_BATCH), run.tokensPerSecond(),
                    false));
        }
        return matched;
    }

    /**
     * Fits a device's calibration on llama-bench runs.
     *
     * @param device the device the runs were measured on (each run holding the whole model on it), not null
     * @param runs the runs, not null
     * @param modelId the catalog model every run is of, or empty to match each run by its parameters and file type
     * @return the fit
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if no decode run matches a catalog model, or {@code modelId} is unknown
     */
    public static Result fit(Device device, List<LlamaBenchRun> runs, Optional<String> modelId) {
        Objects.requireNonNull(device, "device");
        List<String> skipped = new ArrayList<>();
        List<CalibrationRun> matched = match(device, runs, modelId, skipped);
        Device plain = device.calibration().isPresent() ? uncalibrated(device) : device;
        List<double[]> decode = new ArrayList<>();
        for (CalibrationRun run : matched) {
            if (run.isDecode()) {
                double bytes = run.estimate(plain).orElseThrow().bytesPerToken();
                decode.add(new double[] {bytes / (device.memoryBandwidthGBps() * 1e9),
                    Catalog.model(run.modelId()).spec().layers().size(), 1 / run.measuredTokensPerSecond()});
            }
        }
        if (decode.isEmpty()) {
            throw new IllegalArgumentException("llama-bench runs: no tgN run of a catalog model" + (skipped.isEmpty()
                    ? "" : " (left out: " + skipped + ")") + " (expected: at least one decode run of a model the"
                    + " catalog has; name it with --model)");
        }
        double[] fit = minimax(decode);
        double a = fit[0];
        double s = fit[1];
        double low = 1 / a;
        double high = 1 / a;
        for (double[] row : decode) {
            double memorySeconds = row[2] - row[1] * s;
            if (memorySeconds > 0) {
                double implied = row[0] / memorySeconds;
                low = Math.min(low, implied);
                high = Math.max(high, implied);
            }
        }
        Calibration decodeOnly = Calibration.ofDecode(low, 1 / a, high, s, decode.size());
        Device calibrated = plain.withCalibration(decodeOnly);
        List<CalibrationRun> prompts = new ArrayList<>();
        for (CalibrationRun run : matched) {
            if (!run.isDecode() && run.depthTokens() == 0 && run.estimate(calibrated).isPresent()) {
                prompts.add(run);
            }
        }
        OptionalDouble factor = OptionalDouble.empty();
        if (!prompts.isEmpty()) {
            double f = 1;
            for (int iteration = 0; iteration < 4; iteration++) {
                Device trial = plain.withCalibration(new Calibration(low, 1 / a, high, s, OptionalDouble.of(f), 1));
                double logSum = 0;
                for (CalibrationRun run : prompts) {
                    logSum += Math.log(run.measuredTokensPerSecond() / run.estimate(trial).orElseThrow()
                            .tokensPerSecond());
                }
                f *= Math.exp(logSum / prompts.size());
            }
            factor = OptionalDouble.of(f);
        }
        Calibration calibration = new Calibration(low, 1 / a, high, s, factor, decode.size() + prompts.size());
        List<CalibrationRun> result = new ArrayList<>();
        for (CalibrationRun run : matched) {
            boolean fitted = run.isDecode() || prompts.contains(run);
            result.add(new CalibrationRun(run.modelId(), run.scheme(), run.promptTokens(), run.generatedTokens(),
                    run.depthTokens(), run.microBatchTokens(), run.measuredTokensPerSecond(), fitted));
        }
        return new Result(calibration, result, skipped);
    }

    /**
     * Returns {@code {a, s}} minimising the largest relative error of the time per token, {@code max |(a x + s L) / t
     * - 1|}, with {@code a > 0} and {@code s >= 0}. The objective is a maximum of absolute values of functions linear
     * in {@code (a, s)}, so it is convex and nested ternary searches find its minimum; the time per layer is searched
     * up to the shortest {@code t / L}, where the layers alone would take the whole measured time.
     */
    static double[] minimax(List<double[]> rows) {
        double sMax = Double.MAX_VALUE;
        double aMax = 0;
        for (double[] row : rows) {
            sMax = Math.min(sMax, row[2] / row[1]);
            aMax = Math.max(aMax, 2 * row[2] / row[0]);
        }
        double lo = 0;
        double hi = sMax;
        for (int i = 0; i < SEARCH_STEPS; i++) {
            double m1 = lo + (hi - lo) / 3;
            double m2 = hi - (hi - lo) / 3;
            if (bestA(rows, m1, aMax)[1] <= bestA(rows, m2, aMax)[1]) {
                hi = m2;
            } else {
                lo = m1;
            }
        }
        double s = (lo + hi) / 2;
        return new double[] {bestA(rows, s, aMax)[0], s};
    }

    /** Returns {@code {a, error}}: the {@code a} that minimises the largest relative error at a time per layer. */
    private static double[] bestA(List<double[]> rows, double s, double aMax) {
        double lo = 0;
        double hi = aMax;
        for (int i = 0; i < SEARCH_STEPS; i++) {
            double m1 = lo + (hi - lo) / 3;
            double m2 = hi - (hi - lo) / 3;
            if (error(rows, m1, s) <= error(rows, m2, s)) {
                hi = m2;
            } else {
                lo = m1;
            }
        }
        double a = (lo + hi) / 2;
        return new double[] {a, error(rows, a, s)};
    }

    private static double error(List<double[]> rows, double a, double s) {
        double worst = 0;
        for (double[] row : rows) {
            worst = Math.max(worst, Math.abs((a * row[0] + s * row[1]) / row[2] - 1));
        }
        return worst;
    }

    /** Rebuilds a device without its calibration, so that a refit starts from the backend's constants. */
    private static Device uncalibrated(Device device) {
        Device.Builder builder = Device.builder(device.name(), device.kind()).memoryBytes(device.memoryBytes())
                .memoryBandwidthGBps(device.memoryBandwidthGBps()).backend(device.backend());
        for (io.github.llmestimator.hardware.Precision p : io.github.llmestimator.hardware.Precision.values()) {
            device.denseTflops(p).ifPresent(t -> builder.denseTflops(p, t));
        }
        device.hostLink().ifPresent(link -> builder.hostLink(link.pcieGeneration(), link.lanes()));
        device.gpuMemoryFraction().ifPresent(builder::gpuMemoryFraction);
        device.appleWorkingSet().ifPresent(set -> set.wiredLimitMiB().ifPresent(builder::wiredLimitMiB));
        return builder.build();
    }

    /**
     * Returns the scheme of llama.cpp's file-type name at the end of a {@code model_type}: {@code Q8_0},
     * {@code Q4_K - Medium} (Q4_K_M), {@code IQ4_XS - 4.25 bpw} (IQ4_XS), {@code MXFP4 MoE}, {@code all F32}; the
     * k-quant with no size letter, {@code Q2_K - Medium}, is Q2_K, and {@code IQ3_S mix} is IQ3_M.
     *
     * @param modelType llama-bench's {@code model_type}: architecture, size label, file type
     * @return the scheme, or empty when the name is none the library knows
     */
    static Optional<QuantScheme> scheme(String modelType) {
        String[] words = modelType.strip().split("\\s+", 3);
        if (words.length < 3) {
            return Optional.empty();
        }
        String name = words[2];
        if (name.startsWith("all ")) {
            name = name.substring(4);
        }
        String size = "";
        int dash = name.indexOf(" - ");
        if (dash >= 0) {
            String suffix = name.substring(dash + 3);
            name = name.substring(0, dash);
            size = suffix.equals("Small") ? "_S" : suffix.equals("Medium") ? "_M" : suffix.equals("Large") ? "_L" : "";
        }
        if (name.equals("Q2_K") && size.equals("_M")) {
            size = "";
        }
        if (name.equals("IQ3_S mix")) {
            name = "IQ3_M";
        }
        try {
            return Optional.of(QuantScheme.ofName(name.replace(' ', '_') + size));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static String ids(List<ModelPreset> presets) {
        List<String> ids = new ArrayList<>();
        presets.forEach(p -> ids.add(p.id()));
        return ids.toString();
    }
}
