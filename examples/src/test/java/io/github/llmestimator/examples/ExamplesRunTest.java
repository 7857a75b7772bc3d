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

    /** The speed matrix covers the memory systems the seed page compares, and the MoE split rows. */
    @Test
    void modelReport_speedMatrixAndProfile() {
        String report = run();
        for (String row : new String[] {"DDR4-3200 dual channel", "DDR5-5600 dual channel", "Apple M3 Ultra",
            "RTX 4090", "RTX 5090", "H100", "+ experts in DDR5-5600 (--cpu-moe)"}) {
            assertTrue(report.contains(row), row + " missing:\n" + report);
        }
        assertTrue(report.contains("Hardware profile: workstation / unified-memory class"), report);
    }

    @Test
    void modelReport_json() {
        String json = run("--json", "llama-3.1-8b", "Q4_K_M", "8192");
        assertTrue(json.contains("\"weightBytes\" : 4912898048"), json);
        assertTrue(json.contains("\"recommendedKitGB\" : 8"), json);
        assertTrue(json.contains("\"speeds\""), json);
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
        assertTrue(unknown.getMessage().startsWith("model: 'qwen9' is neither a catalog id nor a config.json file"
                + " (model id: 'qwen9' (expected a catalog id; closest: ["), unknown.getMessage());
        assertThrows(IllegalArgumentException.class, () -> run("llama-3.1-8b", "Q4_K_Q"));
        assertThrows(IllegalArgumentException.class, () -> run("llama-3.1-8b", "Q4_K_M", "8k"));
    }
}
