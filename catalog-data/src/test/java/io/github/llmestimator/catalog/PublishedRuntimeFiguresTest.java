package io.github.llmestimator.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.llmestimator.model.ModelSpec;
import io.github.llmestimator.quant.QuantScheme;
import io.github.llmestimator.runtime.Mlx;
import io.github.llmestimator.runtime.PagedPool;
import io.github.llmestimator.runtime.Runtime;
import io.github.llmestimator.runtime.SgLang;
import io.github.llmestimator.runtime.Vllm;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The runtimes against what they printed at start-up: published vLLM and SGLang logs (each row with its link, in
 * published-vllm-logs.csv and published-sglang-logs.csv) and published MLX checkpoint sizes (published-mlx-sizes.csv).
 * Each row's inputs are the log's (GPU memory as CUDA reported it, utilization, lengths, tensor parallelism) with the
 * catalog preset of the model; the estimate is the runtime's pool, compared with the published pool. A vLLM or SGLang
 * row marked {@code within} must be within 5 %; a row marked {@code miss} must stay outside (its note says why), so
 * that a change that fixes it is noticed and the row re-marked; a {@code nofit} row printed no blocks, and neither may
 * the estimate. At least eight vLLM rows must be within.
 *
 * <p>Run {@code ./mvnw -q -B -o verify -pl core,catalog-data -Dtest=PublishedRuntimeFiguresTest
 * -Dsurefire.failIfNoSpecifiedTests=false -DskipITs -Djacoco.skip=true} to print the tables.
 */
final class PublishedRuntimeFiguresTest {

    private static final double GIB = 1L << 30;
    private static final double TOLERANCE = 0.05;

    @Test
    void vllmLogs() throws IOException {
        StringBuilder report = new StringBuilder(String.format(Locale.ROOT,
                "vLLM start-up logs: the pool on one GPU, estimate against published (tokens, or GiB where the log"
                        + " prints only the memory)%n%-18s %-8s %-8s %12s %12s %8s %10s %10s  %s%n", "row", "role",
                "expect", "published", "estimate", "error", "weights", "activation", "concurrency"));
        List<String> failures = new ArrayList<>();
        int within = 0;
        for (Map<String, String> row : rows("published-vllm-logs.csv")) {
            ModelSpec model = Catalog.model(row.get("model")).spec();
            long weights = QuantScheme.ofName(row.get("scheme")).assign(model).loadedBytes();
            long gpu = Math.round(Double.parseDouble(row.get("cuda_total_gib")) * GIB);
            Vllm vllm = Runtime.vllm().withCudaReservedBytes(0)
                    .withGpuMemoryUtilization(Double.parseDouble(row.get("utilization")))
                    .withProfileSizes(Integer.parseInt(row.get("batched_tokens")), Integer.parseInt(row.get("seqs")))
                    .withKvCacheBytesPerElement(Integer.parseInt(row.get("kv_bytes")));
            int maxModelLen = Integer.parseInt(row.get("max_model_len"));
            PagedPool pool = vllm.pool(model, weights, gpu, row.get("gpu"), Integer.parseInt(row.get("tp")),
                    maxModelLen);
            boolean byTokens = !row.get("published_tokens").isEmpty();
            double published = byTokens ? Double.parseDouble(row.get("published_tokens"))
                    : Double.parseDouble(row.get("published_kv_gib"));
            double estimate = byTokens ? pool.tokens() : pool.kvCacheBytes() / GIB;
            double error = published == 0 ? (estimate == 0 ? 0 : Double.POSITIVE_INFINITY) : estimate / published - 1;
            boolean close = Math.abs(error) <= TOLERANCE;
            String expect = row.get("expect");
            boolean ok;
            switch (expect) {
                case "within":
                    ok = close;
                    within++;
                    break;
                case "miss":
                    ok = !close;
                    break;
                case "nofit":
                    ok = published == 0 && pool.tokens() == 0;
                    break;
                default:
                    throw new IllegalStateException("row " + row.get("id") + ": expect '" + expect + "'");
            }
            report.append(String.format(Locale.ROOT, "%-18s %-8s %-8s %12s %12s %+7.1f%% %5.2f/%-5s %5.2f/%-5s  %.2fx"
                    + " (published %s)%n", row.get("id"), row.get("role"), expect, show(published, byTokens),
                    show(estimate, byTokens), error * 100, weights / (double) Integer.parseInt(row.get("tp")) / GIB,
                    row.get("published_weights_gib"), pool.activationBytes() / GIB,
                    row.get("published_activation_gib"), pool.maxConcurrency(), row.get("published_concurrency")));
            if (!ok) {
                failures.add(row.get("id") + " (" + expect + "): estimate " + show(estimate, byTokens)
                        + " against published " + show(published, byTokens));
            }
        }
        System.out.print(report);
        assertTrue(failures.isEmpty(), String.join("\n", failures) + "\n" + report);
        assertTrue(within >= 8, "rows expected within 5 %: " + within);
    }

    @Test
    void sglangLogs() throws IOException {
        StringBuilder report = new StringBuilder("SGLang start-up logs: tokens of the pool on one GPU\n");
        List<String> failures = new ArrayList<>();
        for (Map<String, String> row : rows("published-sglang-logs.csv")) {
            ModelSpec model = Catalog.model(row.get("model")).spec();
            long weights = QuantScheme.ofName(row.get("scheme")).assign(model).loadedBytes();
            long gpu = Math.round(Double.parseDouble(row.get("cuda_total_gib")) * GIB);
            SgLang sglang = new SgLang(Double.parseDouble(row.get("mem_fraction_static")),
                    Integer.parseInt(row.get("kv_bytes")), SgLang.CONTEXT_BYTES);
            int tp = Integer.parseInt(row.get("tp"));
            PagedPool pool = sglang.pool(model, weights, gpu, tp, model.maxContextTokens());
            long published = Long.parseLong(row.get("published_tokens"));
            double error = (double) pool.tokens() / published - 1;
            // the K half of the pool as SGLang prints it: tokens x half a token's cache, in GiB
            double kGib = published * (pool.bytesPerToken() / 2.0) / GIB;
            report.append(String.format(Locale.ROOT, "%-22s %-8s %-6s published %,d estimate %,d (%+.1f%%); weights"
                    + " %.2f GiB per GPU (printed %s); K of the published pool %.2f GiB (printed %s)%n",
                    row.get("id"), row.get("role"), row.get("expect"), published, pool.tokens(), error * 100,
                    weights / (double) tp / GIB, row.get("published_weights_gib"), kGib, row.get("published_k_gib")));
            boolean close = Math.abs(error) <= TOLERANCE;
            if (close != row.get("expect").equals("within")) {
                failures.add(row.get("id") + " (" + row.get("expect") + "): estimate " + pool.tokens()
                        + " against published " + published);
            }
            assertEquals(Double.parseDouble(row.get("published_k_gib")), kGib, 0.005, report.toString());
        }
        System.out.print(report);
        assertTrue(failures.isEmpty(), String.join("\n", failures) + "\n" + report);
    }

    @Test
    void mlxSizes() throws IOException {
        StringBuilder report = new StringBuilder("MLX 4-bit group-64 checkpoints: bytes at 4.5 bits per weight\n");
        Mlx mlx = Runtime.mlx();
        for (Map<String, String> row : rows("published-mlx-sizes.csv")) {
            long estimate = mlx.quantizedBytes(Long.parseLong(row.get("quantized_elements")))
                    + Long.parseLong(row.get("sixteen_bit_bytes"));
            double value = Double.parseDouble(row.get("published_size"));
            double published = row.get("unit").equals("GIB") ? value * GIB : value;
            double error = estimate / published - 1;
            report.append(String.format(Locale.ROOT, "%-18s published %,.0f bytes, estimate %,d bytes (%+.2f%%)%n",
                    row.get("id"), published, estimate, error * 100));
            assertTrue(Math.abs(error) <= TOLERANCE, report.toString());
        }
        System.out.print(report);
    }

    private static String show(double value, boolean tokens) {
        return tokens ? String.format(Locale.ROOT, "%,.0f", value) : String.format(Locale.ROOT, "%.2f GiB", value);
    }

    /** Reads a CSV of this folder: '#' lines are comments, the first other line names the columns. */
    private static List<Map<String, String>> rows(String file) throws IOException {
        List<Map<String, String>> rows = new ArrayList<>();
        String[] header = null;
        try (InputStream in = PublishedRuntimeFiguresTest.class.getResourceAsStream(file)) {
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] fields = line.split(",", -1);
                if (header == null) {
                    header = fields;
                    continue;
                }
                assertEquals(header.length, fields.length, file + ": " + line);
                Map<String, String> row = new HashMap<>();
                for (int i = 0; i < header.length; i++) {
                    row.put(header[i], fields[i].trim());
                }
                assertTrue(row.get("link").startsWith("https://github.com/"), file + ": " + line);
                rows.add(row);
            }
        }
        return rows;
    }
}
