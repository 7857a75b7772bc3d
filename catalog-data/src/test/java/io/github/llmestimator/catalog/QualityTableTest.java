package io.github.llmestimator.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.llmestimator.quant.QuantQuality;
import io.github.llmestimator.quant.QuantScheme;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The quality table: the shipped figures against llama.cpp's tools/perplexity/README.md
 * (https://github.com/ggml-org/llama.cpp/blob/master/tools/perplexity/README.md), the rule for other types worked
 * independently, and users' own tables.
 */
final class QualityTableTest {

    @TempDir
    Path folder;

    /**
     * Figures as the README's LLaMA 3 8B scoreboard prints them (mean KLD, and its uncertainty): with an importance
     * matrix Q4_K_M is 0.028152 +- 0.000240, without 0.031273 +- 0.000238; the range is twice the uncertainty.
     */
    @Test
    void measuredTypes_answerWithTheScoreboard() {
        QuantQuality imatrix = QualityTable.llamaCpp(true).quality(QuantScheme.Q4_K_M, 4.89).orElseThrow();
        assertEquals(0.028152, imatrix.meanKld());
        assertEquals(0.028152 - 0.00048, imatrix.lowKld(), 1e-12);
        assertEquals(0.028152 + 0.00048, imatrix.highKld(), 1e-12);
        assertTrue(imatrix.basis().contains("imatrix WT 10m"), imatrix.basis());
        assertEquals(0.031273, QualityTable.llamaCpp(false).quality(QuantScheme.Q4_K_M, 4.89).orElseThrow()
                .meanKld());
        Map<QuantScheme, Double> issue = Map.of(QuantScheme.Q8_0, 0.001355, QuantScheme.Q6_K, 0.005452,
                QuantScheme.Q5_K_M, 0.010762, QuantScheme.IQ4_XS, 0.036334, QuantScheme.Q3_K_M, 0.084358,
                QuantScheme.Q2_K, 0.332223, QuantScheme.IQ2_XXS, 0.812022, QuantScheme.IQ1_S, 2.254554);
        issue.forEach((scheme, kld) -> assertEquals(kld, QualityTable.llamaCpp(true).quality(scheme, 4)
                .orElseThrow().meanKld(), scheme.name()));
        assertEquals(0.101913, QualityTable.llamaCpp(false).quality(QuantScheme.Q3_K_M, 4).orElseThrow().meanKld());
        assertEquals(0.445132, QualityTable.llamaCpp(false).quality(QuantScheme.Q2_K, 4).orElseThrow().meanKld());
    }

    /** Every row of the README's two tables: 46 scoreboard rows and 4 LLaMA 2 7B columns. */
    @Test
    void dataFile_holdsEveryRowWithItsSource() {
        assertEquals(50, QualityTable.llamaCppRows().size());
        assertEquals(46, QualityTable.llamaCppRows().stream().filter(r -> r.model().equals("llama-3-8b")).count());
        QualityTable.Row q2 = QualityTable.llamaCppRows().stream().filter(r -> r.model().equals("llama-3-8b")
                && r.scheme() == QuantScheme.Q2_K && r.imatrix().equals("none")).findFirst().orElseThrow();
        assertEquals(1.564849, q2.pplRatio().getAsDouble());
        assertEquals(71.138, q2.sameTopPercent().getAsDouble());
        assertEquals(2.96, q2.sizeGib().getAsDouble());
        assertEquals(9.751568, q2.ppl().getAsDouble());
        for (QualityTable.Row row : QualityTable.llamaCppRows()) {
            assertTrue(row.source().startsWith("https://github.com/ggml-org/llama.cpp/blob/master/tools/perplexity/"
                    + "README.md#"), row::toString);
        }
    }

    /**
     * LLaMA 3 8B against LLaMA 2 7B (README's comparison table): q2_K 0.445132 / 0.108903 = 4.087, q4_K_M 0.031273 /
     * 0.012686 = 2.465, q6_K 0.005452 / 0.002098 = 2.599, q8_0 0.001355 / 0.000369 = 3.672.
     */
    @Test
    void crossModelRatios() {
        Map<QuantScheme, Double> ratios = QualityTable.crossModelRatios();
        assertEquals(4, ratios.size());
        assertEquals(4.087, ratios.get(QuantScheme.Q2_K), 5e-4);
        assertEquals(2.465, ratios.get(QuantScheme.Q4_K_M), 5e-4);
        assertEquals(2.599, ratios.get(QuantScheme.Q6_K), 5e-4);
        assertEquals(3.672, ratios.get(QuantScheme.Q8_0), 5e-4);
    }

    /**
     * Least squares on three points worked by hand: bpw 1, 2, 3 and ln(KLD) 0, -1, -2.5. Means 2 and -7/6; Sxx = 2,
     * Sxy = -2.5; slope -1.25, intercept -7/6 + 2.5 = 4/3; residuals -1/12, 1/6, -1/12, sum of squares 1/24 over one
     * degree of freedom: s = sqrt(1/24) = 0.204124.
     */
    @Test
    void logLinearFit_byHand() {
        QualityTable.LogLinearFit fit = QualityTable.LogLinearFit.of(new double[] {1, 2, 3},
                new double[] {1, Math.exp(-1), Math.exp(-2.5)});
        assertEquals(-1.25, fit.slope(), 1e-12);
        assertEquals(4.0 / 3, fit.intercept(), 1e-12);
        assertEquals(Math.sqrt(1.0 / 24), fit.residualSd(), 1e-12);
        assertEquals(Math.exp(4.0 / 3 - 1.25 * 4), fit.meanKld(4), 1e-12);
        assertThrows(IllegalArgumentException.class, () -> QualityTable.LogLinearFit.of(new double[] {1, 2},
                new double[] {1, 1}));
        assertThrows(IllegalArgumentException.class, () -> QualityTable.LogLinearFit.of(new double[] {2, 2, 2},
                new double[] {1, 0.5, 0.2}));
        assertThrows(IllegalArgumentException.class, () -> QualityTable.LogLinearFit.of(new double[] {1, 2, 3},
                new double[] {1, 0, 0.2}));
    }

    /**
     * The shipped rule, computed independently (a short script over the data file, sizes times 2^30 x 8 over LLaMA 3
     * 8B's 8,030,261,248 parameters, F16 left out): with the imatrix rows, 27 points, ln(KLD) = 2.26880 - 1.11616 x
     * bpw, residual s = 0.40892 (range x/ exp(2s) = 2.266); without, 14 points, 2.26462 - 1.08876 x bpw, s = 0.38174.
     * A type the table lacks gets the line: TQ2_0 at 2.0625 bpw, exp(2.26880 - 1.11616 x 2.0625) = exp(-0.03328) = 0.967.
     */
    @Test
    void rule_forTypesTheTableLacks() {
        QualityTable.LogLinearFit with = QualityTable.llamaCpp(true).fit().orElseThrow();
        assertEquals(27, with.points());
        assertEquals(2.26880, with.intercept(), 5e-5);
        assertEquals(-1.11616, with.slope(), 5e-5);
        assertEquals(0.40892, with.residualSd(), 5e-5);
        QualityTable.LogLinearFit without = QualityTable.llamaCpp(false).fit().orElseThrow();
        assertEquals(14, without.points());
        assertEquals(2.26462, without.intercept(), 5e-5);
        assertEquals(-1.08876, without.slope(), 5e-5);
        QuantQuality tq2 = QualityTable.llamaCpp(true).quality(QuantScheme.TQ2_0, 2.0625).orElseThrow();
        assertEquals(0.967, tq2.meanKld(), 5e-4);
        assertEquals(tq2.meanKld() / 2.2656, tq2.lowKld(), 1e-3);
        assertEquals(tq2.meanKld() * 2.2656, tq2.highKld(), 1e-3);
        assertTrue(QualityTable.llamaCpp(true).quality(QuantScheme.FP8, 8.5).isEmpty(), "not a GGUF type");
        assertThrows(IllegalArgumentException.class, () -> QualityTable.llamaCpp(true).quality(QuantScheme.Q4_K_M, 0));
    }

    /** Two llama-perplexity runs, as they print: each run's file type line, then its summary. */
    @Test
    void userLog_isParsed() throws IOException {
        Path log = folder.resolve("kld.txt");
        Files.writeString(log, String.join("\n",
                "llama_model_loader: - type q4_K:  193 tensors",
                "print_info: file type   = Q4_K - Medium",
                "Mean PPL(Q)                   :   6.407115 ±   0.039119",
                "Mean PPL(Q)/PPL(base)         :   1.028160 ±   0.000723",
                "Mean    KLD:   0.031273 ±   0.000238",
                "Same top p: 91.901 ± 0.072 %",
                "print_info: file type   = IQ3_S mix - 3.66 bpw",
                "Mean    KLD:   0.102534 ±   0.000663",
                ""));
        QualityTable table = QualityTable.read(log);
        assertEquals(2, table.rows().size());
        QualityTable.Row q4 = table.rows().get(QuantScheme.Q4_K_M);
        assertEquals(0.031273, q4.meanKld());
        assertEquals(0.000238, q4.meanKldUncertainty());
        assertEquals(1.028160, q4.pplRatio().getAsDouble());
        assertEquals(6.407115, q4.ppl().getAsDouble());
        assertEquals(91.901, q4.sameTopPercent().getAsDouble());
        assertEquals(0.102534, table.quality(QuantScheme.IQ3_M, 3.66).orElseThrow().meanKld());
        assertTrue(table.quality(QuantScheme.Q8_0, 8.5).isEmpty(), "a user's table has no rule");
        assertTrue(table.fit().isEmpty());
    }

    @Test
    void userTsv_isParsed() throws IOException {
        Path tsv = folder.resolve("mine.tsv");
        Files.writeString(tsv, "# my runs\nscheme\tmean_kld\tmean_kld_unc\nQ4_K_M\t0.02\t0.001\nq8_0\t0.001\n");
        QualityTable table = QualityTable.read(tsv);
        assertEquals(0.02, table.quality(QuantScheme.Q4_K_M, 4.9).orElseThrow().meanKld());
        assertEquals(0.018, table.quality(QuantScheme.Q4_K_M, 4.9).orElseThrow().lowKld(), 1e-12);
        assertEquals(0.001, table.quality(QuantScheme.Q8_0, 8.5).orElseThrow().highKld());
    }

    @Test
    void malformedUserTables_throwSayingWhat() throws IOException {
        assertEquals("mine.tsv line 1: 'Q4_K_M 0.02' (expected: scheme, mean KL-divergence and optionally its"
                + " uncertainty, separated by tabs)", message("mine.tsv", "Q4_K_M 0.02\n"));
        assertTrue(message("mine.tsv", "Q9_K\t0.1\n").contains("line 1: quantization scheme: 'Q9_K'"));
        assertTrue(message("mine.tsv", "Q4_K_M\t-0.1\n").contains("'-0.1' (expected: a finite number >= 0)"));
        assertTrue(message("mine.tsv", "Q4_K_M\t0.1\nQ4_K_M\t0.2\n").contains("Q4_K_M given twice"));
        assertTrue(message("mine.tsv", "# nothing\n").contains("no quality figure"));
        assertTrue(message("run.log", "Mean    KLD:   0.03 ±   0.0002\n").contains("before any 'file type ='"));
        assertTrue(message("run.log", "file type   = Q1_0\nMean    KLD:   0.03 ±   0.0002\n")
                .contains("file type 'Q1_0'"));
        assertThrows(java.io.UncheckedIOException.class, () -> QualityTable.read(folder.resolve("absent.tsv")));
    }

    /** llama.cpp's printed names (llama_ftype_name in src/llama-model-loader.cpp) map to the schemes. */
    @Test
    void fileTypeNames() {
        assertEquals(QuantScheme.Q2_K, QualityTable.fileType("Q2_K - Medium", "f", 1));
        assertEquals(QuantScheme.Q2_K_S, QualityTable.fileType("Q2_K - Small", "f", 1));
        assertEquals(QuantScheme.Q3_K_L, QualityTable.fileType("Q3_K - Large", "f", 1));
        assertEquals(QuantScheme.Q5_K_M, QualityTable.fileType("Q5_K - Medium", "f", 1));
        assertEquals(QuantScheme.Q6_K, QualityTable.fileType("Q6_K", "f", 1));
        assertEquals(QuantScheme.IQ2_XXS, QualityTable.fileType("IQ2_XXS - 2.0625 bpw", "f", 1));
        assertEquals(QuantScheme.MXFP4_MOE, QualityTable.fileType("MXFP4 MoE", "f", 1));
        assertEquals(QuantScheme.F32, QualityTable.fileType("all F32", "f", 1));
        assertEquals(QuantScheme.TQ1_0, QualityTable.fileType("TQ1_0 - 1.69 bpw ternary", "f", 1));
    }

    private String message(String name, String text) throws IOException {
        Path file = folder.resolve(name);
        Files.writeString(file, text);
        return assertThrows(IllegalArgumentException.class, () -> QualityTable.read(file)).getMessage();
    }
}
