package io.github.llmestimator.examples;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.llmestimator.quant.QuantScheme;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Runs each example's main and checks the lines a user relies on. */
final class ExamplesRunTest {

    private static String run(String... args) {
        PrintStream original = System.out;
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buffer, true, StandardCharsets.UTF_8));
        try {
            ModelReport.main(args);
        } finally {
            System.setOut(original);
        }
        return buffer.toString(StandardCharsets.UTF_8);
    }

    /** The default report is the seed page's case: Qwen3.5-397B-A17B, Q4_K_M, 8192 tokens. */
    @Test
    void modelReport_default() {
        String report = run();
        assertTrue(report.contains("Qwen3.5"), report);
        assertTrue(report.contains("Chosen: Q4_K_M, context 8,192 tokens"), report);
        assertTrue(report.contains("45 gated DeltaNet, 15 full attention"), report);
        assertTrue(report.contains("Memory to buy        256 GB kit"), report);
        assertTrue(report.contains("> Q4_K_M"), report);
    }

    @Test
    void modelReport_otherModel() {
        String report = run("llama-3.1-8b", "Q8_0", "4096");
        assertTrue(report.contains("32 layers (32 full attention)"), report);
    }

    @Test
    void modelReport_badArguments() {
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> ModelReport.render("qwen9", QuantScheme.Q4_K_M, 8192));
        assertTrue(unknown.getMessage().startsWith("model: 'qwen9' (expected a catalog id"), unknown.getMessage());
        assertThrows(IllegalArgumentException.class, () -> run("llama-3.1-8b", "Q4_K_Q"));
        assertThrows(IllegalArgumentException.class, () -> run("llama-3.1-8b", "Q4_K_M", "8k"));
    }
}
