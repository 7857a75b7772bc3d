package io.github.llmestimator.gguf;

import io.github.llmestimator.memory.ContextSettings;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Tallies {@link LlamaCppOracle}'s context rows: exact rows per component, refusals, compute-buffer ratios. */
final class ContextReport {

    /** The components compared byte for byte, in the shim's order; the compute buffer is only measured. */
    static final String[] EXACT = {"KV", "SWA KV", "recurrent state", "output"};

    private ContextReport() {
    }

    static String describe(ContextSettings s) {
        return String.format(Locale.ROOT, "c=%d np=%d%s b=%d ub=%d ctk=%s ctv=%s fa=%s%s", s.contextTokens(),
                s.parallelSequences(), s.llamaCpp().unifiedKvCache() ? " kvu" : "", s.llamaCpp().batchTokens(),
                        s.llamaCpp().microBatchTokens(),
                s.keyCacheType(), s.valueCacheType(), s.llamaCpp().flashAttention() ? "on" : "off",
                s.llamaCpp().fullSlidingWindowCache() ? " swa-full" : "");
    }

    /** Every row where the library and llama.cpp disagree on a refusal or on an exact component. */
    static List<String> misses(List<LlamaCppOracle.Row> rows) {
        List<String> misses = new ArrayList<>();
        for (LlamaCppOracle.Row r : rows) {
            String where = r.arch() + " " + describe(r.settings()) + ": ";
            if (r.refusedByLlama() != r.refusedByLibrary()) {
                misses.add(where + "llama.cpp " + r.llama() + " / library " + r.library());
                continue;
            }
            if (r.refusedByLlama()) {
                if (!r.library().contains("(expected:")) {
                    misses.add(where + "library refusal without what is allowed: " + r.library());
                }
                continue;
            }
            for (int c = 0; c < EXACT.length; c++) {
                if (r.actual()[c] != r.estimate()[c]) {
                    misses.add(where + EXACT[c] + " llama.cpp " + r.actual()[c] + " / library " + r.estimate()[c]);
                }
            }
        }
        return misses;
    }

    static String of(List<LlamaCppOracle.Row> rows) {
        StringBuilder out = new StringBuilder("llama.cpp oracle: context memory, " + rows.size() + " contexts\n");
        int both = 0;
        int refusedBoth = 0;
        int refusalDisagreements = 0;
        int[] exact = new int[EXACT.length];
        Map<String, List<Double>> ratios = new LinkedHashMap<>();
        for (LlamaCppOracle.Row r : rows) {
            if (r.refusedByLlama() != r.refusedByLibrary()) {
                refusalDisagreements++;
                continue;
            }
            if (r.refusedByLlama()) {
                refusedBoth++;
                continue;
            }
            both++;
            for (int c = 0; c < EXACT.length; c++) {
                exact[c] += r.actual()[c] == r.estimate()[c] ? 1 : 0;
            }
            ratios.computeIfAbsent(r.arch(), a -> new ArrayList<>()).add((double) r.estimate()[4] / r.actual()[4]);
        }
        for (int c = 0; c < EXACT.length; c++) {
            out.append(String.format(Locale.ROOT, "  %-16s exact in %d of %d%n", EXACT[c], exact[c], both));
        }
        out.append(String.format(Locale.ROOT, "  refusals         %d refused by both, %d disagreements%n",
                refusedBoth, refusalDisagreements));
        out.append("  compute buffer   rows exact to the byte; library / llama.cpp: median [min, max]\n");
        List<Double> all = new ArrayList<>();
        for (Map.Entry<String, List<Double>> e : ratios.entrySet()) {
            all.addAll(e.getValue());
            out.append(String.format(Locale.ROOT, "    %-14s %s%n", e.getKey(), summary(e.getValue())));
        }
        out.append(String.format(Locale.ROOT, "    %-14s %s%n", "all", summary(all)));
        return out.toString();
    }

    /** One line per context: architecture, settings, then llama.cpp's and the library's bytes of each component. */
    static String table(List<LlamaCppOracle.Row> rows) {
        StringBuilder out = new StringBuilder("arch\tsettings\tkv\tswa\tstate\toutput\tcompute\tlib kv\tlib swa"
                + "\tlib state\tlib output\tlib compute\n");
        for (LlamaCppOracle.Row r : rows) {
            out.append(r.arch()).append('\t').append(describe(r.settings()));
            for (long[] values : new long[][] {r.actual(), r.estimate()}) {
                for (int c = 0; c < 5; c++) {
                    out.append('\t').append(values == null ? "refused" : Long.toString(values[c]));
                }
            }
            out.append('\n');
        }
        return out.toString();
    }

    /** Exact rows (ratio 1) of all, then the median, lowest and highest ratio. */
    static String summary(List<Double> values) {
        if (values.isEmpty()) {
            return "-";
        }
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).toArray();
        Arrays.sort(sorted);
        long exact = values.stream().filter(v -> v == 1.0).count();
        double median = sorted.length % 2 == 1 ? sorted[sorted.length / 2]
                : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
        return String.format(Locale.ROOT, "%4d of %4d exact (%5.1f %%); %.4fx [%.4fx, %.4fx]", exact, sorted.length,
                100.0 * exact / sorted.length, median, sorted[0], sorted[sorted.length - 1]);
    }
}
