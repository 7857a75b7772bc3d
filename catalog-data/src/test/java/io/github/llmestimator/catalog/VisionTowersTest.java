package io.github.llmestimator.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.llmestimator.vision.VisionTower;
import io.github.llmestimator.vision.VisionTowerKind;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Vision towers read from the config.json of the catalog's vision-language presets and of a user's file. */
final class VisionTowersTest {

    @Test
    void gemma3TowerFromTheStoredConfig() {
        // vision_config: 27 layers, hidden 1152, MLP 4304, 16 heads, patch 14, image 896 (64 patches per side);
        // mm_tokens_per_image 256 = 16 per side, so 4x4 pooling; text_config hidden_size 2560
        assertEquals(new VisionTower(VisionTowerKind.GEMMA3, 27, 1152, 4304, 16, 14, 4, 4096, 2560, 0),
                VisionTowers.of(Catalog.model("gemma-3-4b")).orElseThrow());
    }

    @Test
    void qwen35AndPixtralTowersFromTheStoredConfigs() {
        // vision_config of Qwen3.5-27B: depth 27, hidden 1152, MLP 4304, 16 heads, patch 16, merge 2, 2304 positions,
        // out_hidden_size 5120, no deepstack indexes
        assertEquals(new VisionTower(VisionTowerKind.QWEN3_VL, 27, 1152, 4304, 16, 16, 2, 2304, 5120, 0),
                VisionTowers.of(Catalog.model("qwen3.5-27b")).orElseThrow());
        // Mistral Small 3.1: Pixtral 24 layers, hidden 1024, MLP 4096, 16 heads, patch 14; spatial_merge_size 2;
        // text hidden_size 5120
        assertEquals(new VisionTower(VisionTowerKind.PIXTRAL, 24, 1024, 4096, 16, 14, 2, 0, 5120, 0),
                VisionTowers.of(Catalog.model("mistral-small-3.2-24b")).orElseThrow());
    }

    @Test
    void everyVisionPresetHasItsTowerOrSaysWhyNot() {
        Map<String, String> outcome = new TreeMap<>();
        for (ModelPreset preset : Catalog.models()) {
            try {
                Optional<VisionTower> tower = VisionTowers.of(preset);
                tower.ifPresent(t -> outcome.put(preset.id(), t.kind().name()));
            } catch (ConfigImportException e) {
                outcome.put(preset.id(), "not modelled");
                assertTrue(e.getMessage().contains("vision_config model_type"), e.getMessage());
            }
        }
        System.out.println("vision towers of the catalog presets: " + outcome);
        for (String id : new String[] {"gemma-3-4b", "gemma-3-12b", "gemma-3-27b"}) {
            assertEquals("GEMMA3", outcome.get(id), id);
        }
        for (String id : new String[] {"qwen3.5-9b", "qwen3.5-27b", "qwen3.5-35b-a3b", "qwen3.5-122b-a10b",
                "qwen3.5-397b-a17b"}) {
            assertEquals("QWEN3_VL", outcome.get(id), id);
        }
        assertEquals("PIXTRAL", outcome.get("mistral-small-3.2-24b"));
        assertEquals("PIXTRAL", outcome.get("devstral-small-2-24b"));
        // Kimi K2.5's MoonViT is not modelled; Llama 4's stored config has no vision_config
        assertEquals("not modelled", outcome.get("kimi-k2.5"));
        assertTrue(!outcome.containsKey("llama-4-scout-17b-16e"));
    }

    @Test
    void aUsersConfigFile(@TempDir Path dir) throws IOException {
        Path config = dir.resolve("config.json");
        // Qwen2.5-VL-7B-Instruct's vision_config keys the converter reads
        Files.writeString(config, "{\"model_type\": \"qwen2_5_vl\", \"vision_config\": {\"model_type\": \"qwen2_5_vl\","
                + " \"depth\": 32, \"hidden_size\": 1280, \"intermediate_size\": 3420, \"num_heads\": 16,"
                + " \"patch_size\": 14, \"spatial_merge_size\": 2, \"out_hidden_size\": 3584}}",
                StandardCharsets.UTF_8);
        assertEquals(new VisionTower(VisionTowerKind.QWEN2_5_VL, 32, 1280, 3420, 16, 14, 2, 0, 3584, 0),
                VisionTowers.fromPath(config).orElseThrow());
        Files.writeString(config, "{\"model_type\": \"llama\"}", StandardCharsets.UTF_8);
        assertTrue(VisionTowers.fromPath(config).isEmpty());
        Files.writeString(config, "{\"model_type\": \"qwen2_5_vl\", \"vision_config\": {\"model_type\": \"qwen2_5_vl\","
                + " \"depth\": 32}}", StandardCharsets.UTF_8);
        ConfigImportException missing = assertThrows(ConfigImportException.class, () -> VisionTowers.fromPath(config));
        assertTrue(missing.getMessage().contains("hidden_size"), missing.getMessage());
        Files.writeString(config, "{\"vision_config\": ", StandardCharsets.UTF_8);
        assertThrows(ConfigImportException.class, () -> VisionTowers.fromPath(config));
    }
}
