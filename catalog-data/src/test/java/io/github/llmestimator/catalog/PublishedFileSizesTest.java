package io.github.llmestimator.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.llmestimator.model.ModelSpec;
import io.github.llmestimator.quant.QuantScheme;
import io.github.llmestimator.quant.QuantizedWeights;
import io.github.llmestimator.quant.TensorAssignment;
import io.github.llmestimator.quant.TensorType;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * Files as they are published: the GGUF sizes of published-file-sizes.tsv (each row with its link) against the tensor
 * data llama.cpp's recipe gives the catalog preset, with the MTP layers kept or dropped as the row's file has them.
 */
final class PublishedFileSizesTest {

    /** The largest header seen on a published file: Llama-3 tokenizer metadata, 7.8 MB; headers are 2 to 12 MB. */
    private static final long MAX_HEADER_BYTES = 16L << 20;

    @Test
    void publishedFiles_holdWhatTheEstimateCountsInTheFile() throws IOException {
        List<String> failures = new ArrayList<>();
        StringBuilder report = new StringBuilder("published files against the estimate's tensor data in the file (a whole"
                + " file adds its header, 2 to 12 MB: 7.8 MB of Llama-3 tokenizer is 1 % of a 1B model at Q4_K_M)\n");
        int rows = 0;
        for (String line : lines()) {
            String[] f = line.split("\t");
            ModelSpec spec = Catalog.model(f[0]).spec();
            if (f[2].equals("dropped")) {
                spec = spec.withoutNextTokenPredictionLayers();
            }
            long tensors = QuantScheme.ofName(f[1]).assign(spec).fileTensorBytes();
            boolean wholeFile = f[3].equals("file");
            double value = Double.parseDouble(f[4]);
            double tolerance = Double.parseDouble(f[6]);
            // the range of sizes the estimate allows for what the row measures: a header of 0 to 16 MiB for a file
            long low = tensors;
            long high = wholeFile ? tensors + MAX_HEADER_BYTES : tensors;
            boolean ok;
            switch (f[5]) {
                case "BYTES":
                    ok = value >= low && value <= high;
                    break;
                case "PERCENT":
                    double bytes = wholeFile ? value : value * (1L << 30);
                    ok = Math.abs(tensors / bytes - 1) * 100 <= tolerance;
                    break;
                default:
                    double unit = unit(f[5]);
                    ok = high / unit >= value - tolerance - 1e-9 && low / unit <= value + tolerance + 1e-9;
                    break;
            }
            double published = f[5].equals("BYTES") || f[5].equals("PERCENT") && wholeFile ? value
                    : f[5].equals("PERCENT") ? value * (1L << 30) : value * unit(f[5]);
            report.append(String.format(Locale.ROOT, "  %-18s %-7s MTP %-8s %-8s published %,19.0f, tensor data %,17d"
                    + " (%+.3f %%)%n", f[0], f[1], f[2], f[3], published, tensors, (tensors / published - 1) * 100));
            if (!ok) {
                failures.add(line);
            }
            rows++;
        }
        System.out.print(report);
        assertEquals(19, rows, "rows read");
        assertTrue(failures.isEmpty(), "published sizes not matched:\n" + String.join("\n", failures) + "\n" + report);
    }

    /**
     * Phi-4's fused attention projection, worked by hand: each layer's attn_qkv is [5120, 5120 + 2 x 1280] = 39,321,600
     * weights. At Q4_K_M llama.cpp gives it the attention-V rule, Q6_K where use_more_bits(i, 40) holds (layers 0-4,
     * 35-39 and every third from 7 to 34: 20 layers) and Q4_K elsewhere: 20 x 39,321,600 x 210 / 256 = 645,120,000 B
     * plus 20 x 39,321,600 x 144 / 256 = 442,368,000 B. Three separate projections would have left Q and K at Q4_K.
     */
    @Test
    void phi4_fusedQkv_followsTheAttentionVRule() {
        QuantizedWeights weights = QuantScheme.Q4_K_M.assign(Catalog.model("phi-4").spec());
        long q6 = 0;
        long q4 = 0;
        int fused = 0;
        for (TensorAssignment a : weights.assignments()) {
            String name = a.tensor().name();
            assertTrue(!name.endsWith(".attn_q.weight") && !name.endsWith(".attn_v.weight"), name);
            if (name.endsWith(".attn_qkv.weight")) {
                fused++;
                assertEquals(39_321_600L, a.tensor().ne0() * a.tensor().ne1(), name);
                if (a.type() == TensorType.Q6_K) {
                    q6 += a.bytes();
                } else {
                    assertEquals(TensorType.Q4_K, a.type(), name);
                    q4 += a.bytes();
                }
            }
        }
        assertEquals(40, fused);
        assertEquals(645_120_000L, q6);
        assertEquals(442_368_000L, q4);
    }

    /**
     * GLM-4.5-Air's MTP layer holds its own token embedding and output head (4096 x 151,552 each), so the file is 3.3 %
     * larger than the weights llama.cpp loads: the published BF16 conversion's blk.46 is 7,234,265,600 B of 220,988,
     * 046,336 B (the tensor map in published-file-sizes.tsv).
     */
    @Test
    void glm45Air_mtpLayer_isInTheFileNotInTheLoadedWeights() {
        QuantizedWeights bf16 = QuantScheme.BF16.assign(Catalog.model("glm-4.5-air").spec());
        assertEquals(7_234_265_600L, bf16.fileTensorBytes() - bf16.loadedBytes());
        long ownCopies = 0;
        for (TensorAssignment a : bf16.assignments()) {
            if (a.tensor().name().equals("blk.46.nextn.embed_tokens.weight")
                    || a.tensor().name().equals("blk.46.nextn.shared_head_head.weight")) {
                ownCopies += a.bytes();
            }
        }
        assertEquals(2L * 4096 * 151_552 * 2, ownCopies);
    }

    private static double unit(String name) {
        switch (name) {
            case "GIB":
                return 1L << 30;
            case "GB":
                return 1e9;
            case "MB":
                return 1e6;
            default:
                throw new IllegalArgumentException("unit: " + name + " (expected: BYTES, GIB, GB, MB or PERCENT)");
        }
    }

    private static List<String> lines() throws IOException {
        List<String> lines = new ArrayList<>();
        try (InputStream in = PublishedFileSizesTest.class.getResourceAsStream("published-file-sizes.tsv")) {
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (!line.isBlank() && !line.startsWith("#")) {
                    lines.add(line);
                }
            }
        }
        return lines;
    }
}
