package io.github.llmestimator.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.jr.ob.JSON;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
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
        assertTrue(report.contains("Chosen: Q4_K_M; context 8,192 tokens (-c)"), report);
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

    /**
     * Llama-3.1-8B Q4_K_M weighs 4,912,898,048 bytes (the published file's 4.58 GiB of tensor data); its KV cache at
     * 8192 tokens is 32 layers x 8192 cells x (8 heads x 128) x 2 (K and V) x 2 bytes = 1,073,741,824 bytes.
     */
    @Test
    void modelReport_json() throws Exception {
        Map<String, Object> root = JSON.std.mapFrom(run("--json", "llama-3.1-8b", "Q4_K_M", "8192"));
        Map<?, ?> memory = (Map<?, ?>) root.get("memory");
        assertEquals(4912898048L, ((Number) ((Map<?, ?>) memory.get("weights")).get("bytes")).longValue());
        assertEquals(1073741824L, ((Number) ((Map<?, ?>) memory.get("kvCache")).get("bytes")).longValue());
        assertEquals(1.0, ((Number) ((Map<?, ?>) memory.get("kvCache")).get("GiB")).doubleValue());
        assertEquals(8, ((Number) memory.get("recommendedKitGB")).intValue());
        assertTrue(((List<?>) root.get("speedMatrix")).size() >= 6, root.toString());
    }

    @Test
    void modelReport_otherModel() {
        String report = run("llama-3.1-8b", "Q8_0", "4096");
        assertTrue(report.contains("32 layers (32 full attention)"), report);
    }

    @Test
    void modelReport_badArguments() {
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class, () -> run("qwen9"));
        assertTrue(unknown.getMessage().startsWith("model: 'qwen9' is not a catalog model, alias or file (closest"
                + " catalog ids: "), unknown.getMessage());
        assertThrows(IllegalArgumentException.class, () -> run("llama-3.1-8b", "Q4_K_Q"));
        assertThrows(IllegalArgumentException.class, () -> run("llama-3.1-8b", "Q4_K_M", "8k"));
    }
}
