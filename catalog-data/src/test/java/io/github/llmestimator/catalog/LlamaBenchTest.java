package io.github.llmestimator.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** llama-bench's three output formats, read from the fixtures under llama-bench/ (see its README for their sources). */
final class LlamaBenchTest {

    static String fixture(String name) {
        try (InputStream in = LlamaBenchTest.class.getResourceAsStream("llama-bench/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new AssertionError(name, e);
        }
    }

    /**
     * llama.cpp's DGX Spark page: 5 models x (5 pp2048 + 5 tg32) rows = 50, the batched-bench table ignored. Row 4 is
     * "gpt-oss 20B MXFP4 MoE | 11.27 GiB | 20.91 B | CUDA | 99 | 2048 | ... | tg32 @ d4096 | 77.36 ± 0.13".
     */
    @Test
    void markdown_dgxSpark() {
        LlamaBench.Result result = LlamaBench.parse(fixture("dgx-spark.md"));
        assertEquals(50, result.runs().size());
        assertTrue(result.skipped().isEmpty());
        LlamaBenchRun run = result.runs().get(3);
        assertEquals("gpt-oss 20B MXFP4 MoE", run.modelType());
        assertEquals(Math.round(11.27 * (1L << 30)), run.modelSizeBytes());
        assertEquals(20_910_000_000L, run.modelParameters());
        assertEquals("CUDA", run.backends());
        assertEquals(OptionalInt.of(99), run.gpuLayers());
        assertEquals(OptionalInt.of(2048), run.microBatchTokens());
        assertEquals(0, run.promptTokens());
        assertEquals(32, run.generatedTokens());
        assertEquals(4096, run.depthTokens());
        assertEquals(77.36, run.tokensPerSecond());
        assertEquals(0.13, run.stddevTokensPerSecond());
        assertEquals("tg32 @ d4096", run.test());
        LlamaBenchRun last = result.runs().get(49);
        assertEquals("gemma3 4B Q4_0", last.modelType());
        assertEquals(58.38, last.tokensPerSecond());
        assertEquals(32768, last.depthTokens());
    }

    /** The constructed CSV and JSON hold the same four rows; the combined pp512+tg128 row is skipped. */
    @ParameterizedTest
    @ValueSource(strings = {"constructed.csv", "constructed.json"})
    void csvAndJson(String name) {
        LlamaBench.Result result = LlamaBench.parse(fixture(name));
        assertEquals(3, result.runs().size());
        assertEquals(1, result.skipped().size());
        assertTrue(result.skipped().get(0).contains("pp512+tg128"), result.skipped().toString());
        LlamaBenchRun pp = result.runs().get(0);
        assertEquals(2048, pp.promptTokens());
        assertEquals(3782.76, pp.tokensPerSecond());
        assertEquals(12_101_070_356L, pp.modelSizeBytes());
        LlamaBenchRun tg = result.runs().get(2);
        assertEquals("qwen3moe 30B.A3B Q8_0", tg.modelType());
        assertEquals(4096, tg.depthTokens());
        assertEquals(53.52, tg.tokensPerSecond());
    }

    /** The JSONL form (one object per line) reads as the array. */
    @Test
    void jsonLines() throws IOException {
        List<Object> records = com.fasterxml.jackson.jr.ob.JSON.std.listFrom(fixture("constructed.json"));
        StringBuilder lines = new StringBuilder();
        for (Object record : records) {
            lines.append(com.fasterxml.jackson.jr.ob.JSON.std.asString(record)).append('\n');
        }
        assertEquals(3, LlamaBench.parse(lines.toString()).runs().size());
    }

    @Test
    void malformed_saysWhereAndWhat() {
        String header = "| model | size | params | backend | test | t/s |\n| --- | ---: | ---: | --- | ---: | ---: |\n";
        IllegalArgumentException speed = assertThrows(IllegalArgumentException.class, () -> LlamaBench.parse(header
                + "| llama 8B Q4_0 | 4.33 GiB | 8.03 B | CUDA | tg128 | fast |\n"));
        assertTrue(speed.getMessage().contains("line 3"), speed.getMessage());
        assertThrows(IllegalArgumentException.class, () -> LlamaBench.parse(header
                + "| llama 8B Q4_0 | 4.33 GB | 8.03 B | CUDA | tg128 | 10 ± 1 |\n"));
        assertThrows(IllegalArgumentException.class, () -> LlamaBench.parse(header
                + "| llama 8B Q4_0 | 4.33 GiB | 8.03 B | CUDA | tg128 | -10 ± 1 |\n"));
        assertThrows(IllegalArgumentException.class, () -> LlamaBench.parse("no table here"));
        assertThrows(IllegalArgumentException.class, () -> LlamaBench.parse("[{\"model_type\": \"x\"}]"));
        assertThrows(IllegalArgumentException.class, () -> LlamaBench.parse("build_commit,n_prompt\n\"abc"));
    }
}
