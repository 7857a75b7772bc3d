package io.github.llmestimator.site;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.jr.ob.JSON;
import io.github.llmestimator.Estimate;
import io.github.llmestimator.Estimator;
import io.github.llmestimator.catalog.Catalog;
import io.github.llmestimator.catalog.ModelPreset;
import io.github.llmestimator.memory.KvCacheType;
import io.github.llmestimator.quant.QuantScheme;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Checks the generated site without a browser: every page within its weight budget, and every model's tables equal
 * to the library at every 256-token block of context, so that the page is right for any context it accepts.
 */
class SitePageWeightIT {

    /** The budget a model page may weigh on first load: its HTML, the style sheet, the scripts, one speed matrix. */
    static final long PAGE_BUDGET_BYTES = 300_000;

    private static final Path SITE = Path.of(System.getProperty("site.dir", "target/site"));

    private static final Pattern DATA = Pattern.compile(
            "<script id=\"model-data\" type=\"application/json\">(.*?)</script>", Pattern.DOTALL);

    @Test
    void everyPageIsWithinItsBudget() throws IOException {
        long assets = size("assets/site.css") + size("assets/common.js");
        long largest = 0;
        String largestPage = "";
        for (ModelPreset preset : Catalog.models()) {
            long weight = assets + size("assets/model.js") + size("models/" + preset.id() + ".html")
                    + size("models/" + preset.id() + "/" + defaultScheme(preset) + ".js");
            assertTrue(weight <= PAGE_BUDGET_BYTES, preset.id() + ": " + weight + " bytes on first load (budget "
                    + PAGE_BUDGET_BYTES + ")");
            if (weight > largest) {
                largest = weight;
                largestPage = preset.id();
            }
        }
        long hardware = assets + size("assets/hardware.js") + size("hardware.html");
        long index = size("assets/site.css") + size("index.html");
        assertTrue(hardware <= PAGE_BUDGET_BYTES, "hardware.html: " + hardware + " bytes");
        assertTrue(index <= PAGE_BUDGET_BYTES, "index.html: " + index + " bytes");
        System.out.printf("page weight on first load: heaviest model page %s %,d bytes, hardware.html %,d bytes,"
                + " index.html %,d bytes (budget %,d bytes each)%n", largestPage, largest, hardware, index,
                PAGE_BUDGET_BYTES);
    }

    private static String defaultScheme(ModelPreset preset) {
        return ModelPage.supportedSchemes(preset.spec()).contains(QuantScheme.Q4_K_M) ? "Q4_K_M"
                : ModelPage.supportedSchemes(preset.spec()).get(ModelPage.supportedSchemes(preset.spec()).size() / 2)
                        .name();
    }

    private static long size(String relative) throws IOException {
        return Files.size(SITE.resolve(relative));
    }

    /**
     * Reads each model page's tables back (a decoder written here, apart from the page's) and compares every block
     * with the library: weights per scheme at 8K, and KV cache, state and buffers at the last token of every block.
     */
    @Test
    @SuppressWarnings("unchecked")
    void tablesEqualTheLibraryAtEveryBlock() throws IOException {
        long blocksChecked = 0;
        for (ModelPreset preset : Catalog.models()) {
            String html = Files.readString(SITE.resolve("models/" + preset.id() + ".html"), StandardCharsets.UTF_8);
            Matcher m = DATA.matcher(html);
            assertTrue(m.find(), preset.id() + ": no model data");
            Map<String, Object> data = JSON.std.mapFrom(m.group(1).replace("<\\/", "</"));
            int max = preset.spec().maxContextTokens();
            int context = Math.min(8192, max);
            for (Map<String, Object> scheme : (List<Map<String, Object>>) data.get("schemes")) {
                Estimate estimate = Estimator.of(preset.spec()).quant(QuantScheme.ofName((String) scheme.get("name")))
                        .context(context).estimate();
                assertEquals(estimate.weightBytes(), ((Number) scheme.get("weights")).longValue(),
                        preset.id() + " " + scheme.get("name"));
            }
            for (Map<String, Object> cache : (List<Map<String, Object>>) data.get("cacheTypes")) {
                KvCacheType type = KvCacheType.ofName((String) cache.get("name"));
                Estimator base = Estimator.of(preset.spec()).quant(QuantScheme.Q8_0).kvCacheType(type);
                int blocks = (max + 255) / 256;
                for (int block = 1; block <= blocks; block++) {
                    // the block's last token, as the page tabulates it: the padded context of every token of the
                    // block, and below the micro-batch the largest compute buffer of the block (llama.cpp reserves
                    // min(context, n_ubatch) tokens, so there the buffer also grows within the block)
                    Estimate e = base.context(Math.min(block * 256, max)).estimate();
                    String where = preset.id() + " " + type + " block " + block;
                    assertEquals(e.kvCacheBytes(), valueAt(cache.get("kv"), block), where + " KV");
                    assertEquals(e.recurrentStateBytes(), valueAt(cache.get("state"), block), where + " state");
                    assertEquals(e.outputBufferBytes() + e.computeBufferBytes(), valueAt(cache.get("buffers"), block),
                            where + " buffers");
                    blocksChecked++;
                }
            }
        }
        System.out.printf("tables: %,d blocks of context memory equal to the library%n", blocksChecked);
    }

    @SuppressWarnings("unchecked")
    private static long valueAt(Object runs, int block) {
        List<List<Number>> list = (List<List<Number>>) runs;
        List<Number> run = null;
        for (List<Number> candidate : list) {
            if (candidate.get(0).longValue() <= block) {
                run = candidate;
            }
        }
        return run.get(1).longValue() + (block - run.get(0).longValue()) * run.get(2).longValue();
    }
}
