package io.github.llmestimator.throughput;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.llmestimator.Estimator;
import io.github.llmestimator.hardware.Device;
import io.github.llmestimator.hardware.DeviceKind;
import io.github.llmestimator.model.ModelSpec;
import io.github.llmestimator.quant.QuantScheme;
import io.github.llmestimator.testing.ReferenceModels;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * The decode estimate against every published llama.cpp decode speed of shared/validation/decode_throughput.tsv (as
 * published-decode-speeds.csv, one row per measurement with its source), and the fit of the bandwidth efficiencies in
 * {@link Efficiency}. Prints the table of rows, estimates and ratios, and the fit per device kind; asserts issue 3's
 * acceptance figures: the median ratio estimate / measured within 0.85-1.15 and at least 90 % of rows within 0.7-1.3.
 */
final class PublishedDecodeSpeedsTest {

    private static final ModelSpec LLAMA_2_7B = ReferenceModels.llama2_7b();

    /** One row of the table with its estimate. */
    private static final class Row {
        String hardware;
        DeviceKind kind;
        double bandwidthGBps;
        String scheme;
        int position;
        double measured;
        String backend;
        String source;
        DecodeSpeed estimate;

        double ratio() {
            return estimate.tokensPerSecond() / measured;
        }

        /** The efficiency this row implies: the one that would make the estimate equal the measurement. */
        double impliedEfficiency() {
            return Efficiency.memory(kind, Efficiency.EXPECTED) / ratio();
        }
    }

    static List<String> fields(String line) {
        List<String> out = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '"') {
                quoted = !quoted;
            } else if (c == ',' && !quoted) {
                out.add(field.toString());
                field.setLength(0);
            } else {
                field.append(c);
            }
        }
        out.add(field.toString());
        return out;
    }

    static List<Row> rows() throws IOException {
        List<Row> rows = new ArrayList<>();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(
                PublishedDecodeSpeedsTest.class.getResourceAsStream("published-decode-speeds.csv"),
                StandardCharsets.UTF_8))) {
            String line;
            boolean header = true;
            while ((line = in.readLine()) != null) {
                if (line.startsWith("#") || line.isBlank()) {
                    continue;
                }
                if (header) {
                    header = false;
                    continue;
                }
                List<String> f = fields(line);
                Row row = new Row();
                row.hardware = f.get(0);
                row.kind = DeviceKind.valueOf(f.get(1));
                row.bandwidthGBps = Double.parseDouble(f.get(2));
                row.scheme = f.get(4);
                row.position = Integer.parseInt(f.get(6));
                row.measured = Double.parseDouble(f.get(7));
                row.backend = f.get(8);
                row.source = f.get(9);
                Device.Builder device = Device.builder(row.hardware, row.kind).memoryBytes(192L << 30)
                        .memoryBandwidthGBps(row.bandwidthGBps);
                if (row.kind == DeviceKind.UNIFIED_MEMORY) {
                    device.gpuMemoryFraction(1.0);
                }
                row.estimate = Estimator.of(LLAMA_2_7B).quant(QuantScheme.ofName(row.scheme)).on(device.build())
                        .estimate().decode(row.position);
                rows.add(row);
            }
        }
        return rows;
    }

    static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    /** The value below which {@code p} of the values lie (nearest rank). */
    static double percentile(double[] values, double p) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(p * sorted.length);
        return sorted[Math.max(0, rank - 1)];
    }

    @Test
    void decode_matchesPublishedSpeeds() throws IOException {
        List<Row> rows = rows();
        StringBuilder table = new StringBuilder(String.format(Locale.ROOT, "%-28s %-14s %6s %-5s %5s %8s %8s %6s %5s%n",
                "hardware", "backend", "GB/s", "quant", "pos", "measured", "estimate", "ratio", "eta"));
        double[] ratios = new double[rows.size()];
        int within = 0;
        int inRange = 0;
        for (int i = 0; i < rows.size(); i++) {
            Row r = rows.get(i);
            ratios[i] = r.ratio();
            boolean ok = ratios[i] >= 0.7 && ratios[i] <= 1.3;
            within += ok ? 1 : 0;
            inRange += r.measured >= r.estimate.lowTokensPerSecond() && r.measured <= r.estimate.highTokensPerSecond()
                    ? 1 : 0;
            table.append(String.format(Locale.ROOT, "%-28s %-14s %6.0f %-5s %5d %8.2f %8.2f %6.3f %5.3f%s%n",
                    r.hardware, r.backend.length() > 14 ? r.backend.substring(0, 14) : r.backend, r.bandwidthGBps,
                    r.scheme, r.position, r.measured, r.estimate.tokensPerSecond(), ratios[i], r.impliedEfficiency(),
                    ok ? "" : "  <- outside 0.7-1.3"));
        }
        double median = median(ratios);
        double share = (double) within / rows.size();
        table.append(String.format(Locale.ROOT, "%d rows: median ratio %.3f, %d of %d (%.1f %%) within 0.7-1.3,"
                + " %d (%.1f %%) within the low-high range%n", rows.size(), median, within, rows.size(), 100 * share,
                inRange, 100.0 * inRange / rows.size()));
        for (DeviceKind kind : DeviceKind.values()) {
            double[] implied = rows.stream().filter(r -> r.kind == kind).mapToDouble(Row::impliedEfficiency).toArray();
            if (implied.length == 0) {
                table.append(String.format(Locale.ROOT, "%-14s no rows: efficiency %.2f (%.2f-%.2f) is not fitted%n",
                        kind, Efficiency.memory(kind, 1), Efficiency.memory(kind, 0), Efficiency.memory(kind, 2)));
                continue;
            }
            double logMean = Arrays.stream(implied).map(Math::log).average().orElseThrow();
            double[] kindRatios = rows.stream().filter(r -> r.kind == kind).mapToDouble(Row::ratio).toArray();
            table.append(String.format(Locale.ROOT, "%-14s %d rows: efficiency used %.3f (low %.3f, high %.3f);"
                    + " implied by rows: geometric mean %.3f, median %.3f, p10 %.3f, p90 %.3f, min %.3f, max %.3f;"
                    + " ratio median %.3f%n", kind, implied.length, Efficiency.memory(kind, 1),
                    Efficiency.memory(kind, 0), Efficiency.memory(kind, 2), Math.exp(logMean), median(implied),
                    percentile(implied, 0.1), percentile(implied, 0.9), percentile(implied, 0),
                    percentile(implied, 1), median(kindRatios)));
        }
        System.out.print(table);
        assertTrue(median >= 0.85 && median <= 1.15, () -> "median ratio " + median + "\n" + table);
        assertTrue(share >= 0.9, () -> "share within 0.7-1.3: " + share + "\n" + table);
        int bracketed = inRange;
        assertTrue(bracketed >= 0.8 * rows.size(), () -> "rows within the low-high range: " + bracketed + "\n" + table);
    }
}
