package io.github.llmestimator.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.llmestimator.memory.ContextMemory;
import io.github.llmestimator.memory.ContextSettings;
import io.github.llmestimator.memory.KvCacheType;
import io.github.llmestimator.model.ModelSpec;
import io.github.llmestimator.quant.QuantScheme;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Published figures (each with its link in the data), now through the catalog presets: the core module's table of GGUF sizes
 * (one source per row) re-run on the presets, and the llama.cpp load logs.
 */
final class CatalogEstimatesTest {

    /** The core module keeps the table of published GGUF sizes; its model keys map to these catalog ids. */
    private static final Path SIZES = Path.of("../core/src/test/resources/io/github/llmestimator/quant/published-gguf-sizes.csv");

    private static final Map<String, String> CATALOG_ID = Map.of(
            "llama-3.1-8b", "llama-3.1-8b", "llama-3.1-70b", "llama-3.1-70b", "qwen3-8b", "qwen3-8b",
            "qwen3-14b", "qwen3-14b", "mixtral-8x7b", "mixtral-8x7b", "deepseek-r1", "deepseek-v3",
            "gpt-oss-20b", "gpt-oss-20b", "qwen3-next-80b", "qwen3-next-80b-a3b", "qwen3.5-9b", "qwen3.5-9b");

    /** These published files were converted without the checkpoint's MTP layer (block_count 61 and 32). */
    private static final java.util.Set<String> NO_MTP_IN_FILE = java.util.Set.of("deepseek-r1", "qwen3.5-9b");

    private static final long MAX_METADATA_BYTES = 16L << 20;

    private static final double MIB = 1 << 20;

    @Test
    void publishedGgufSizes_throughPresets() throws IOException {
        List<String> lines = Files.readAllLines(SIZES, StandardCharsets.UTF_8);
        int checked = 0;
        StringBuilder failures = new StringBuilder();
        for (String line : lines) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] f = line.split(",", 7);
            String id = CATALOG_ID.get(f[0]);
            if (id == null) {
                continue;
            }
            ModelSpec spec = Catalog.model(id).spec();
            if (NO_MTP_IN_FILE.contains(f[0])) {
                spec = spec.withoutNextTokenPredictionLayers();
            }
            long bytes = QuantScheme.ofName(f[1]).assign(spec, Boolean.parseBoolean(f[2])).loadedBytes();
            double value = Double.parseDouble(f[3]);
            double half = Double.parseDouble(f[5]);
            boolean ok;
            switch (f[4]) {
                case "BYTES":
                    ok = value - bytes >= 0 && value - bytes <= MAX_METADATA_BYTES;
                    break;
                case "GIB":
                    ok = Math.abs(bytes / (double) (1L << 30) - value) <= half + 1e-9;
                    break;
                default:
                    ok = (bytes + MAX_METADATA_BYTES) / 1e9 >= value - half && bytes / 1e9 <= value + half;
            }
            if (!ok) {
                failures.append(line).append(" -> ").append(bytes).append(" B\n");
            }
            checked++;
        }
        assertEquals("", failures.toString());
        assertTrue(checked >= 45, "rows checked: " + checked);
    }

    private static ContextMemory context(String id, ContextSettings settings) {
        return ContextMemory.of(Catalog.model(id).spec(), settings);
    }

    /** kv_cache_logs.tsv: Llama-3.1-8B 4096 f16 512.00 MiB; Qwen3-32B 40960 f16 10240.00 MiB. */
    @Test
    void kvLogs_denseModels() {
        assertEquals(512.00, context("llama-3.1-8b", ContextSettings.defaults(4096)).kvCacheBytes() / MIB, 0.005);
        assertEquals(10240.00, context("qwen3-32b", ContextSettings.defaults(40960)).kvCacheBytes() / MIB, 0.005);
    }

    /** kv_cache_logs.tsv: gemma-3-27b 131072 f16 without a sliding-window cache 63488.00 MiB. */
    @Test
    void kvLogs_gemma3() {
        ContextMemory memory = context("gemma-3-27b", ContextSettings.defaults(131072).withFullSlidingWindowCache(true));
        assertEquals(63488.00, memory.kvCacheBytes() / MIB, 0.005);
    }

    /** kv_cache_logs.tsv: gpt-oss-20b 131072 f16, -ub 2048: non-SWA 3072.00 MiB, SWA 54.00 MiB (2304 cells). */
    @Test
    void kvLogs_gptOss() {
        ContextMemory memory = context("gpt-oss-20b", ContextSettings.defaults(131072).withBatchTokens(2048, 2048));
        assertEquals(3072.00, memory.fullAttentionKvBytes() / MIB, 0.005);
        assertEquals(54.00, memory.slidingWindowKvBytes() / MIB, 0.005);
    }

    /**
     * kv_cache_logs.tsv: DeepSeek-R1 32768 q8_0 MLA latent 1166.62 MiB (the V3 preset has the same trunk). That file,
     * converted without the MTP layer, caches 61 layers; one that keeps it caches 62, as llama.cpp caches MTP layers.
     */
    @Test
    void kvLogs_deepSeekLatent() {
        ContextMemory memory = ContextMemory.of(Catalog.model("deepseek-v3").spec().withoutNextTokenPredictionLayers(),
                ContextSettings.defaults(32768).withCacheTypes(KvCacheType.Q8_0, KvCacheType.Q8_0));
        assertEquals(1166.62, memory.kvCacheBytes() / MIB, 0.005 + 1e-9);
    }

    /** kv_cache_logs.tsv: Qwen3.5-27B 24576 f16: KV 1536.00 MiB, recurrent state 5.62 + 144.00 MiB. */
    @Test
    void kvLogs_qwen35Hybrid() {
        ContextMemory memory = context("qwen3.5-27b", ContextSettings.defaults(24576));
        assertEquals(1536.00, memory.kvCacheBytes() / MIB, 0.005);
        assertEquals(149.62, memory.recurrentStateBytes() / MIB, 0.01);
    }
}
