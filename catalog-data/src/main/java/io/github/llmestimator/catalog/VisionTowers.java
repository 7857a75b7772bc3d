package io.github.llmestimator.catalog;

import com.fasterxml.jackson.jr.ob.JSON;
import io.github.llmestimator.vision.VisionTower;
import io.github.llmestimator.vision.VisionTowerKind;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The vision tower of a vision-language model, read from the {@code vision_config} of its {@code config.json}: a
 * catalog preset's stored config, or a user's own file.
 *
 * <p>The keys read per kind are those the llama.cpp converter class of the kind reads (named in
 * {@link VisionTowerKind}); Gemma 3's pooling factor comes from {@code mm_tokens_per_image} (256 tokens from a 64x64
 * grid of patches: 4 per side), as {@code Gemma3VisionModel.set_gguf_parameters} derives it.
 *
 * <p>This class is stateless and thread-safe.
 */
public final class VisionTowers {

    private static final Set<String> QWEN3_VL_TYPES = Set.of("qwen3_vl", "qwen3_vl_moe", "qwen3_5", "qwen3_5_moe");

    private VisionTowers() {
    }

    /**
     * Returns the vision tower of a catalog preset, from the {@code config.json} stored with it.
     *
     * @param preset the preset, not null
     * @return the tower, or empty when the config has no {@code vision_config}
     * @throws NullPointerException if {@code preset} is null
     * @throws ConfigImportException if the config has a tower of a kind this library does not model (the message
     *     names the kind), or a key the kind needs is missing or out of range
     */
    public static Optional<VisionTower> of(ModelPreset preset) {
        Objects.requireNonNull(preset, "preset");
        Map<String, Object> file = Catalog.readJson("models/" + preset.id() + ".json");
        return fromConfig(new ConfigReader(file, "catalog model " + preset.id()).object("config"),
                "catalog model " + preset.id());
    }

    /**
     * Returns the vision tower a {@code config.json} file describes.
     *
     * @param path the file, not null
     * @return the tower, or empty when the file has no {@code vision_config}
     * @throws NullPointerException if {@code path} is null
     * @throws UncheckedIOException if the file cannot be read
     * @throws ConfigImportException if the file is not JSON, or has a tower of a kind this library does not model,
     *     or a key the kind needs is missing or out of range
     */
    public static Optional<VisionTower> fromPath(Path path) {
        Objects.requireNonNull(path, "path");
        Map<String, Object> config;
        try {
            String text = Files.readString(path, StandardCharsets.UTF_8);
            config = ConfigReader.readObject(JSON.std.getStreamingFactory().createParser(text));
        } catch (IOException e) {
            if (e instanceof com.fasterxml.jackson.core.JsonProcessingException) {
                throw new ConfigImportException(path + ": not a JSON object (" + e.getMessage() + ")");
            }
            throw new UncheckedIOException("config.json: cannot read " + path, e);
        }
        if (config == null) {
            throw new ConfigImportException(path + ": null (expected: a config.json object)");
        }
        return fromConfig(config, path.toString());
    }

    static Optional<VisionTower> fromConfig(Map<String, Object> config, String where) {
        ConfigReader top = new ConfigReader(config, where);
        if (!top.has("vision_config")) {
            return Optional.empty();
        }
        ConfigReader vision = new ConfigReader(top.object("vision_config"), where + " vision_config");
        String type = vision.string("model_type", "(none)");
        String topType = top.string("model_type", "(none)");
        if (type.equals("siglip_vision_model") && topType.equals("gemma3")) {
            return Optional.of(gemma3(top, vision));
        }
        if (QWEN3_VL_TYPES.contains(type)) {
            return Optional.of(qwen3(vision));
        }
        if (type.equals("qwen2_5_vl")) {
            return Optional.of(new VisionTower(VisionTowerKind.QWEN2_5_VL, vision.integer("depth"),
                    vision.integer("hidden_size"), vision.integer("intermediate_size"), vision.integer("num_heads"),
                    vision.integer("patch_size"), vision.integer("spatial_merge_size", 2), 0,
                    vision.integer("out_hidden_size"), 0));
        }
        if (type.equals("pixtral") && topType.equals("mistral3")) {
            if (top.bool("multimodal_projector_bias", false)) {
                throw top.inconsistent("multimodal_projector_bias = true",
                        "false, the only Mistral 3 projector modelled (no biases on its linear layers)");
            }
            ConfigReader text = new ConfigReader(top.object("text_config"), where + " text_config");
            return Optional.of(new VisionTower(VisionTowerKind.PIXTRAL, vision.integer("num_hidden_layers"),
                    vision.integer("hidden_size"), vision.integer("intermediate_size"),
                    vision.integer("num_attention_heads"), vision.integer("patch_size"),
                    top.integer("spatial_merge_size", 2), 0, text.integer("hidden_size"), 0));
        }
        throw new ConfigImportException(where + ": vision_config model_type '" + type + "' of a '" + topType
                + "' model (expected one modelled: siglip_vision_model in gemma3, qwen2_5_vl, qwen3_vl, qwen3_vl_moe,"
                + " qwen3_5, qwen3_5_moe, pixtral in mistral3)");
    }

    private static VisionTower gemma3(ConfigReader top, ConfigReader vision) {
        int patch = vision.integer("patch_size");
        int side = vision.multipleOf("image_size", "patch_size", patch) / patch;
        int tokens = top.integer("mm_tokens_per_image", 256);
        int tokensPerSide = (int) Math.round(Math.sqrt(tokens));
        if (tokensPerSide * tokensPerSide != tokens || side % tokensPerSide != 0) {
            throw top.inconsistent("mm_tokens_per_image = " + tokens + " with " + side + " patches per side",
                    "a square number whose side divides the patches per side");
        }
        ConfigReader text = new ConfigReader(top.object("text_config"), "text_config");
        return new VisionTower(VisionTowerKind.GEMMA3, vision.integer("num_hidden_layers"),
                vision.integer("hidden_size"), vision.integer("intermediate_size"),
                vision.integer("num_attention_heads"), patch, side / tokensPerSide, side * side,
                text.integer("hidden_size"), 0);
    }

    private static VisionTower qwen3(ConfigReader vision) {
        int deepstack = vision.has("deepstack_visual_indexes") ? vision.list("deepstack_visual_indexes").size() : 0;
        return new VisionTower(VisionTowerKind.QWEN3_VL, vision.integer("depth"), vision.integer("hidden_size"),
                vision.integer("intermediate_size"), vision.integer("num_heads"), vision.integer("patch_size"),
                vision.integer("spatial_merge_size", 2), vision.integer("num_position_embeddings"),
                vision.integer("out_hidden_size"), deepstack);
    }
}
