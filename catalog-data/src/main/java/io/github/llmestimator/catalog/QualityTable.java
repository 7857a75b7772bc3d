package io.github.llmestimator.catalog;

import io.github.llmestimator.quant.QualityModel;
import io.github.llmestimator.quant.QuantQuality;
import io.github.llmestimator.quant.QuantScheme;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Quantization quality as data: a mean KL-divergence per file type, measured by llama.cpp's
 * {@code llama-perplexity --kl-divergence}, and a stated rule for the types the table lacks.
 *
 * <p><b>The shipped table</b> ({@link #llamaCpp(boolean)}) is llama.cpp's published LLaMA 3 8B scoreboard
 * ({@code tools/perplexity/README.md}, MIT; {@code quality/llama-cpp-kld.tsv} holds every row with its source). A type
 * measured there answers with its measurement, its range the printed uncertainty times two (about 95 %). The figures
 * are LLaMA 3 8B's: on other models they are a ranking more than a value (the same README measures LLaMA 2 7B 2.5 to
 * 4.1 times lower at the same types, see {@link #crossModelRatios()}).
 *
 * <p><b>The rule for other types</b> is a least-squares line of {@code ln(meanKld)} against bits per weight over the
 * table's quantized rows (the F16 row, the source's storage floor, left out), each row's bits per weight its file size
 * over the model's parameters; a type the table lacks gets the line's value at the scheme's bits per weight on the model
 * at hand, its range {@code exp(+-2 s)} around it with {@code s} the residual standard deviation in log space. Only GGUF
 * file types get the rule: checkpoint formats (FP8, AWQ, NVFP4) are other quantizers.
 *
 * <p><b>A user's table</b> ({@link #read(Path)}) is the printed output of one or more
 * {@code llama-perplexity --kl-divergence} runs, or a tab-separated file of {@code scheme}, {@code mean_kld} and
 * optionally {@code mean_kld_unc}; it has no rule, so types it lacks have no figure.
 *
 * <p>This class is immutable and thread-safe.
 */
public final class QualityTable implements QualityModel {

    /** LLaMA 3 8B's parameters: the catalog's llama-3.1-8b, the same architecture and shape. */
    private static final String REFERENCE_MODEL = "llama-3.1-8b";

    /** The importance matrix whose rows the shipped table prefers: the one the scoreboard measures every type with. */
    private static final String PREFERRED_IMATRIX = "WT 10m";

    /**
     * One measured row: a model, a file type and an importance matrix.
     *
     * @param model the measured model ({@code llama-3-8b}, {@code llama-2-7b}, or a user's file name)
     * @param scheme the file type
     * @param imatrix {@code none}, or the importance matrix as the source names it
     * @param sizeGib the file size in GiB (2^30 bytes), if given
     * @param ppl the perplexity on the test text, if given
     * @param meanKld the mean KL-divergence
     * @param meanKldUncertainty its printed uncertainty (one standard error), 0 if not given
     * @param pplRatio the mean PPL(Q)/PPL(base), if given
     * @param sameTopPercent how often both models rank the same token first, in percent, if given
     * @param source where the row comes from
     */
    public record Row(String model, QuantScheme scheme, String imatrix, OptionalDouble sizeGib, OptionalDouble ppl,
            double meanKld,
            double meanKldUncertainty, OptionalDouble pplRatio, OptionalDouble sameTopPercent, String source) {

        /**
         * Validates the components.
         *
         * @param model the measured model
         * @param scheme the file type
         * @param imatrix {@code none}, or the importance matrix
         * @param sizeGib the file size in GiB, if given
         * @param ppl the perplexity, if given
         * @param meanKld the mean KL-divergence, finite and at least 0
         * @param meanKldUncertainty its uncertainty, finite and at least 0
         * @param pplRatio the PPL ratio, if given
         * @param sameTopPercent the same-top-token percentage, if given
         * @param source where the row comes from
         * @throws NullPointerException if a component is null
         * @throws IllegalArgumentException if the KL-divergence or its uncertainty is negative or not finite
         */
        public Row {
            Objects.requireNonNull(model, "model");
            Objects.requireNonNull(scheme, "scheme");
            Objects.requireNonNull(imatrix, "imatrix");
            Objects.requireNonNull(sizeGib, "sizeGib");
            Objects.requireNonNull(ppl, "ppl");
            Objects.requireNonNull(pplRatio, "pplRatio");
            Objects.requireNonNull(sameTopPercent, "sameTopPercent");
            Objects.requireNonNull(source, "source");
            if (!(meanKld >= 0) || Double.isInfinite(meanKld)) {
                throw new IllegalArgumentException("meanKld: " + meanKld + " (expected: a finite number >= 0)");
            }
            if (!(meanKldUncertainty >= 0) || Double.isInfinite(meanKldUncertainty)) {
                throw new IllegalArgumentException(
                        "meanKldUncertainty: " + meanKldUncertainty + " (expected: a finite number >= 0)");
            }
        }
    }

    /**
     * The rule for types a table lacks: {@code ln(meanKld) = intercept + slope * bitsPerWeight}.
     *
     * @param intercept the line's value at 0 bits per weight
     * @param slope its change per bit per weight
     * @param residualSd the residual standard deviation of {@code ln(meanKld)}, with {@code points - 2} degrees of
     *     freedom
     * @param points the rows fitted
     */
    public record LogLinearFit(double intercept, double slope, double residualSd, int points) {

        /**
         * Validates the components.
         *
         * @param intercept the line's value at 0 bits per weight, finite
         * @param slope its change per bit per weight, finite
         * @param residualSd the residual standard deviation, finite and at least 0
         * @param points the rows fitted, at least 3
         * @throws IllegalArgumentException if a value is out of range
         */
        public LogLinearFit {
            if (!Double.isFinite(intercept) || !Double.isFinite(slope) || !(residualSd >= 0)
                    || Double.isInfinite(residualSd) || points < 3) {
                throw new IllegalArgumentException("fit: intercept " + intercept + ", slope " + slope
                        + ", residual " + residualSd + ", points " + points
                        + " (expected: finite values and at least 3 points)");
            }
        }

        /**
         * Returns the line's mean KL-divergence at a size.
         *
         * @param bitsPerWeight bits per weight
         * @return {@code exp(intercept + slope * bitsPerWeight)}
         */
        public double meanKld(double bitsPerWeight) {
            return Math.exp(intercept + slope * bitsPerWeight);
        }

        /**
         * Fits the line by least squares.
         *
         * @param bitsPerWeight the sizes, at least 3, finite
         * @param meanKld the mean KL-divergences, as many, each finite and positive
         * @return the fit
         * @throws IllegalArgumentException if the lengths differ, there are fewer than 3 points, all sizes are equal,
         *     or a value is out of range
         */
        public static LogLinearFit of(double[] bitsPerWeight, double[] meanKld) {
            if (bitsPerWeight.length != meanKld.length || bitsPerWeight.length < 3) {
                throw new IllegalArgumentException("points: " + bitsPerWeight.length + " sizes and " + meanKld.length
                        + " values (expected: as many of each, at least 3)");
            }
            int n = bitsPerWeight.length;
            double sx = 0;
            double sy = 0;
            double[] y = new double[n];
            for (int i = 0; i < n; i++) {
                if (!Double.isFinite(bitsPerWeight[i]) || !(meanKld[i] > 0) || Double.isInfinite(meanKld[i])) {
                    throw new IllegalArgumentException("point " + i + ": " + bitsPerWeight[i] + " bpw, KLD "
                            + meanKld[i] + " (expected: finite, the KL-divergence > 0)");
                }
                y[i] = Math.log(meanKld[i]);
                sx += bitsPerWeight[i];
                sy += y[i];
            }
            double mx = sx / n;
            double my = sy / n;
            double sxx = 0;
            double sxy = 0;
            for (int i = 0; i < n; i++) {
                sxx += (bitsPerWeight[i] - mx) * (bitsPerWeight[i] - mx);
                sxy += (bitsPerWeight[i] - mx) * (y[i] - my);
            }
            if (sxx == 0) {
                throw new IllegalArgumentException("sizes: all " + mx + " bpw (expected: at least two sizes)");
            }
            double slope = sxy / sxx;
            double intercept = my - slope * mx;
            double ssr = 0;
            for (int i = 0; i < n; i++) {
                double r = y[i] - (intercept + slope * bitsPerWeight[i]);
                ssr += r * r;
            }
            return new LogLinearFit(intercept, slope, Math.sqrt(ssr / (n - 2)), n);
        }
    }

    private final String description;
    private final Map<QuantScheme, Row> rows;
    private final LogLinearFit fit;

    private QualityTable(String description, Map<QuantScheme, Row> rows, LogLinearFit fit) {
        this.description = description;
        this.rows = rows;
        this.fit = fit;
    }

    private static final class Shipped {
        static final List<Row> ROWS = loadRows();
        static final QualityTable WITH_IMATRIX = build(true);
        static final QualityTable WITHOUT_IMATRIX = build(false);
    }

    /**
     * Returns every row of the shipped data file, in its order.
     *
     * @return the rows, not empty
     */
    public static List<Row> llamaCppRows() {
        return Shipped.ROWS;
    }

    /**
     * Returns llama.cpp's LLaMA 3 8B scoreboard as a quality model.
     *
     * @param imatrix true for files made with an importance matrix (the scoreboard's {@code WT 10m} rows, else its
     *     rows without one, where it measured no variant with one); false for the rows without one only
     * @return the table with its rule
     */
    public static QualityTable llamaCpp(boolean imatrix) {
        return imatrix ? Shipped.WITH_IMATRIX : Shipped.WITHOUT_IMATRIX;
    }

    /**
     * Returns, for each file type the README measures on both LLaMA 2 7B and LLaMA 3 8B (without an importance
     * matrix), how many times higher LLaMA 3 8B's mean KL-divergence is: the spread one model's figures carry to
     * another.
     *
     * @return the ratios by scheme, in the data file's order
     */
    public static Map<QuantScheme, Double> crossModelRatios() {
        Map<QuantScheme, Double> ratios = new EnumMap<>(QuantScheme.class);
        for (Row old : Shipped.ROWS) {
            if (old.model().equals("llama-2-7b")) {
                for (Row row : Shipped.ROWS) {
                    if (row.model().equals("llama-3-8b") && row.scheme() == old.scheme()
                            && row.imatrix().equals("none")) {
                        ratios.put(old.scheme(), row.meanKld() / old.meanKld());
                    }
                }
            }
        }
        return ratios;
    }

    private static QualityTable build(boolean imatrix) {
        Map<QuantScheme, Row> chosen = new EnumMap<>(QuantScheme.class);
        for (Row row : Shipped.ROWS) {
            if (!row.model().equals("llama-3-8b")) {
                continue;
            }
            if (row.imatrix().equals("none")) {
                chosen.putIfAbsent(row.scheme(), row);
            } else if (imatrix && row.imatrix().equals(PREFERRED_IMATRIX)) {
                chosen.put(row.scheme(), row);
            }
        }
        long parameters = Catalog.model(REFERENCE_MODEL).spec().totalParameters();
        List<Row> fitted = chosen.values().stream().filter(r -> r.scheme() != QuantScheme.F16).toList();
        double[] bits = new double[fitted.size()];
        double[] kld = new double[fitted.size()];
        for (int i = 0; i < fitted.size(); i++) {
            bits[i] = fitted.get(i).sizeGib().orElseThrow() * 0x1p30 * 8 / parameters;
            kld[i] = fitted.get(i).meanKld();
        }
        String description = "llama.cpp's LLaMA 3 8B scoreboard (tools/perplexity/README.md, MIT), "
                + (imatrix ? "imatrix WT 10m rows where measured" : "rows without an imatrix");
        return new QualityTable(description, Map.copyOf(chosen), LogLinearFit.of(bits, kld));
    }

    @Override
    public Optional<QuantQuality> quality(QuantScheme scheme, double bitsPerWeight) {
        Objects.requireNonNull(scheme, "scheme");
        if (!(bitsPerWeight > 0) || Double.isInfinite(bitsPerWeight)) {
            throw new IllegalArgumentException("bitsPerWeight: " + bitsPerWeight + " (expected: a finite number > 0)");
        }
        Row row = rows.get(scheme);
        if (row != null) {
            double band = 2 * row.meanKldUncertainty();
            return Optional.of(new QuantQuality(row.meanKld(), Math.max(0, row.meanKld() - band),
                    row.meanKld() + band, "measured on " + row.model() + (row.imatrix().equals("none") ? ""
                            : ", imatrix " + row.imatrix()) + " (" + row.source() + ")"));
        }
        if (fit == null || !scheme.isGguf()) {
            return Optional.empty();
        }
        double kld = fit.meanKld(bitsPerWeight);
        double spread = Math.exp(2 * fit.residualSd());
        return Optional.of(new QuantQuality(kld, kld / spread, kld * spread, String.format(Locale.ROOT,
                "ln(KLD) = %.3f %+.3f x bpw, fitted to %d rows of %s, at %.2f bpw", fit.intercept(), fit.slope(),
                fit.points(), description, bitsPerWeight)));
    }

    /**
     * Returns where the figures come from.
     *
     * @return a description, not blank
     */
    public String description() {
        return description;
    }

    /**
     * Returns the row used for each measured scheme.
     *
     * @return the rows by scheme
     */
    public Map<QuantScheme, Row> rows() {
        return rows;
    }

    /**
     * Returns the rule for types the table lacks.
     *
     * @return the fit, or empty for a user's table
     */
    public Optional<LogLinearFit> fit() {
        return Optional.ofNullable(fit);
    }

    // ---- user tables

    /** {@code llm_load_print_meta}/{@code print_info}: {@code file type   = Q4_K - Medium}. */
    private static final Pattern FILE_TYPE = Pattern.compile("file type\\s*=\\s*(?:\\(guessed\\) )?(.+?)\\s*$");
    /** perplexity.cpp's summary line: {@code Mean    KLD:   0.031273 ±   0.000238}. */
    private static final Pattern MEAN_KLD = Pattern.compile("Mean\\s+KLD:\\s*([0-9.eE+-]+)\\s*±\\s*([0-9.eE+-]+)");
    private static final Pattern PPL_RATIO =
            Pattern.compile("Mean PPL\\(Q\\)/PPL\\(base\\)\\s*:\\s*([0-9.eE+-]+)");
    private static final Pattern PPL = Pattern.compile("Mean PPL\\(Q\\)\\s*:\\s*([0-9.eE+-]+)");
    private static final Pattern SAME_TOP = Pattern.compile("Same top p:\\s*([0-9.eE+-]+)");

    /**
     * Reads a user's quality table: the printed output of one or more {@code llama-perplexity --kl-divergence} runs
     * (each run's {@code file type = ...} line names the type, its {@code Mean    KLD:} line the figure), or
     * tab-separated lines {@code scheme, mean_kld[, mean_kld_unc]} with an optional header line and {@code #}
     * comments.
     *
     * @param file the file, not null
     * @return the table, without a rule for the types it lacks
     * @throws NullPointerException if {@code file} is null
     * @throws UncheckedIOException if the file cannot be read
     * @throws IllegalArgumentException if the file holds no figure, names an unknown type, has a malformed line, or
     *     gives one type twice
     */
    public static QualityTable read(Path file) {
        String text;
        try {
            text = Files.readString(Objects.requireNonNull(file, "file"), StandardCharsets.UTF_8);
        } catch (java.nio.file.NoSuchFileException e) {
            throw new UncheckedIOException(file + ": no such file (expected: the output of llama-perplexity"
                    + " --kl-divergence, or lines of scheme<TAB>mean KLD)", e);
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": cannot be read (" + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()) + ")", e);
        }
        String name = file.getFileName().toString();
        Map<QuantScheme, Row> rows = text.contains("KLD:") ? parseLog(text, name) : parseTsv(text, name);
        if (rows.isEmpty()) {
            throw new IllegalArgumentException(name + ": no quality figure (expected: llama-perplexity"
                    + " --kl-divergence output with 'file type =' and 'Mean    KLD:' lines, or tab-separated lines"
                    + " of scheme and mean KL-divergence)");
        }
        return new QualityTable("the user's table " + name, Map.copyOf(rows), null);
    }

    private static Map<QuantScheme, Row> parseLog(String text, String name) {
        Map<QuantScheme, Row> rows = new EnumMap<>(QuantScheme.class);
        QuantScheme scheme = null;
        Double kld = null;
        double unc = 0;
        OptionalDouble ratio = OptionalDouble.empty();
        OptionalDouble sameTop = OptionalDouble.empty();
        OptionalDouble ppl = OptionalDouble.empty();
        String[] lines = text.split("\r?\n");
        for (int i = 0; i <= lines.length; i++) {
            String line = i < lines.length ? lines[i] : null;
            Matcher type = line == null ? null : FILE_TYPE.matcher(line);
            if (line == null || type.find()) {
                if (scheme != null && kld != null) {
                    put(rows, new Row(name, scheme, "as run", OptionalDouble.empty(), ppl, kld, unc, ratio, sameTop,
                            name), name);
                }
                if (line == null) {
                    break;
                }
                scheme = fileType(type.group(1), name, i + 1);
                kld = null;
                unc = 0;
                ratio = OptionalDouble.empty();
                sameTop = OptionalDouble.empty();
                ppl = OptionalDouble.empty();
                continue;
            }
            Matcher m = MEAN_KLD.matcher(line);
            if (m.find()) {
                if (scheme == null) {
                    throw new IllegalArgumentException(name + " line " + (i + 1) + ": a 'Mean KLD' line before any"
                            + " 'file type =' line (expected: the full output of each llama-perplexity run)");
                }
                kld = number(m.group(1), name, i + 1);
                unc = number(m.group(2), name, i + 1);
                continue;
            }
            Matcher r = PPL_RATIO.matcher(line);
            if (r.find()) {
                ratio = OptionalDouble.of(number(r.group(1), name, i + 1));
            }
            Matcher perplexity = PPL.matcher(line);
            if (perplexity.find()) {
                ppl = OptionalDouble.of(number(perplexity.group(1), name, i + 1));
            }
            Matcher top = SAME_TOP.matcher(line);
            if (top.find()) {
                sameTop = OptionalDouble.of(number(top.group(1), name, i + 1));
            }
        }
        return rows;
    }

    private static Map<QuantScheme, Row> parseTsv(String text, String name) {
        Map<QuantScheme, Row> rows = new EnumMap<>(QuantScheme.class);
        String[] lines = text.split("\r?\n");
        boolean first = true;
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] f = line.split("\t", -1);
            boolean header = first && f[0].equalsIgnoreCase("scheme");
            first = false;
            if (header) {
                continue;
            }
            if (f.length < 2 || f.length > 3) {
                throw new IllegalArgumentException(name + " line " + (i + 1) + ": '" + line + "' (expected: scheme,"
                        + " mean KL-divergence and optionally its uncertainty, separated by tabs)");
            }
            QuantScheme scheme;
            try {
                scheme = QuantScheme.ofName(f[0]);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(name + " line " + (i + 1) + ": " + e.getMessage(), e);
            }
            double kld = number(f[1], name, i + 1);
            double unc = f.length == 3 ? number(f[2], name, i + 1) : 0;
            OptionalDouble none = OptionalDouble.empty();
            put(rows, new Row(name, scheme, "as measured", none, none, kld, unc, none, none,
                    name + " line " + (i + 1)), name);
        }
        return rows;
    }

    private static void put(Map<QuantScheme, Row> rows, Row row, String name) {
        if (rows.put(row.scheme(), row) != null) {
            throw new IllegalArgumentException(name + ": " + row.scheme() + " given twice (expected: one figure per"
                    + " type)");
        }
    }

    private static double number(String text, String name, int line) {
        try {
            double value = Double.parseDouble(text.strip());
            if (!(value >= 0) || Double.isInfinite(value)) {
                throw new NumberFormatException("negative or not finite");
            }
            return value;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " line " + line + ": '" + text.strip() + "' (expected: a finite"
                    + " number >= 0)", e);
        }
    }

    /** Maps llama.cpp's {@code llama_ftype_name} (src/llama-model-loader.cpp) to a scheme. */
    static QuantScheme fileType(String printed, String name, int line) {
        String text = printed.strip();
        String key = switch (text) {
            case "all F32" -> "F32";
            case "MXFP4 MoE" -> "MXFP4_MOE";
            case "IQ3_S mix - 3.66 bpw" -> "IQ3_M";
            default -> {
                int dash = text.indexOf(" - ");
                String base = dash < 0 ? text : text.substring(0, dash);
                String size = dash < 0 ? "" : text.substring(dash + 3);
                yield base.matches("Q[2-6]_K") && !size.isEmpty() ? base + switch (size) {
                    case "Small" -> "_S";
                    case "Medium" -> base.equals("Q6_K") || base.equals("Q2_K") ? "" : "_M";
                    case "Large" -> "_L";
                    default -> "?" + size;
                } : base;
            }
        };
        try {
            return QuantScheme.ofName(key);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(name + " line " + line + ": file type '" + text + "' (expected: a"
                    + " llama.cpp file type this library models)", e);
        }
    }

    private static List<Row> loadRows() {
        List<Row> rows = new ArrayList<>();
        String file = "quality/llama-cpp-kld.tsv";
        try (InputStream in = Catalog.open(file)) {
            boolean header = true;
            int lineNumber = 0;
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                lineNumber++;
                if (line.startsWith("#") || line.isBlank()) {
                    continue;
                }
                if (header) {
                    header = false;
                    continue;
                }
                String[] f = line.split("\t", -1);
                try {
                    rows.add(new Row(f[0], QuantScheme.ofName(f[1]), f[2], optional(f[3]), optional(f[4]),
                            Double.parseDouble(f[8]),
                            Double.parseDouble(f[9]), optional(f[14]), optional(f[16]), f[18]));
                } catch (RuntimeException e) {
                    throw new IllegalStateException("catalog data: " + file + " line " + lineNumber + ": "
                            + e.getMessage(), e);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(file, e);
        }
        return List.copyOf(rows);
    }

    private static OptionalDouble optional(String field) {
        return field.equals("-") ? OptionalDouble.empty() : OptionalDouble.of(Double.parseDouble(field));
    }

    @Override
    public String toString() {
        return "QualityTable[" + description + ", " + rows.size() + " types]";
    }
}
