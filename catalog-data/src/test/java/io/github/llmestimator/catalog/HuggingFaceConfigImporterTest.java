package io.github.llmestimator.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.llmestimator.memory.ContextMemory;
import io.github.llmestimator.memory.ContextSettings;
import io.github.llmestimator.model.CheckpointFormat;
import io.github.llmestimator.model.DenseFeedForward;
import io.github.llmestimator.model.FullAttention;
import io.github.llmestimator.model.GatedDeltaNet;
import io.github.llmestimator.model.Layer;
import io.github.llmestimator.model.Mamba2;
import io.github.llmestimator.model.MixtureOfExperts;
import io.github.llmestimator.model.ModelSpec;
import io.github.llmestimator.model.NoAttention;
import io.github.llmestimator.model.SlidingWindowAttention;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The importer on real config.json texts (sources in configs/SOURCES.txt) and on broken ones. */
final class HuggingFaceConfigImporterTest {

    private static String config(String file) {
        try (InputStream in = HuggingFaceConfigImporterTest.class.getResourceAsStream("configs/" + file)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** Qwen3-8B: 36 layers; llama-bench prints 8.19 B parameters; by hand 8190735360 (see core's ModelSpecTest). */
    @Test
    void qwen3_8b() {
        ModelSpec spec = HuggingFaceConfigImporter.fromString(config("Qwen3-8B.json"), "Qwen3-8B");
        assertEquals("qwen3", spec.architecture());
        assertEquals(36, spec.layers().size());
        assertEquals(Layer.of(FullAttention.of(32, 8, 128).withQkNorm(), DenseFeedForward.gated(12288)),
                spec.layers().get(0));
        assertEquals(8190735360L, spec.totalParameters());
    }

    /** DeepSeek-V3: 3 dense layers then MoE, one MTP layer, FP8 checkpoint, 576-element latent per token. */
    @Test
    void deepSeekV3() {
        ModelSpec spec = HuggingFaceConfigImporter.fromString(config("DeepSeek-V3.json"), "DeepSeek-V3");
        assertEquals(61, spec.layers().size());
        assertEquals(1, spec.nextTokenPredictionLayers().size());
        assertEquals(DenseFeedForward.gated(18432), spec.layers().get(2).feedForward());
        assertEquals(MixtureOfExperts.of(256, 8, 2048).withSharedExperts(2048), spec.layers().get(3).feedForward());
        assertEquals(576, spec.layers().get(0).mixer().keyCacheElementsPerToken());
        assertEquals(CheckpointFormat.FP8, spec.checkpointFormat());
        assertEquals(671e9, spec.totalParameters(), 0.01 * 671e9);
    }

    /**
     * Nemotron-3-Nano: the pattern has 23 M, 23 E and 6 * layers. State per sequence: 23 x (3 x (4096 + 2 x 8 x 128)
     * + 128 x 4096) x 4 B = 49930240 B; KV per token: 6 x 2 x 2 x 128 x 2 B = 6144 B.
     */
    @Test
    void nemotronH() {
        ModelSpec spec = HuggingFaceConfigImporter.fromString(config("NVIDIA-Nemotron-3-Nano-30B-A3B.json"), "Nano");
        long mamba = spec.layers().stream().filter(l -> l.mixer() instanceof Mamba2).count();
        long experts = spec.layers().stream().filter(l -> l.mixer() instanceof NoAttention).count();
        assertEquals(23, mamba);
        assertEquals(23, experts);
        ContextMemory memory = ContextMemory.of(spec, ContextSettings.defaults(256));
        assertEquals(49930240L, memory.recurrentStateBytes());
        assertEquals(256L * 6144, memory.kvCacheBytes());
    }

    /**
     * Qwen3.5-397B-A17B from its vision-language config (text_config): 45 DeltaNet + 15 gated attention layers, one
     * MTP layer. KV per token 15 x 2 x 2 x 256 x 2 B = 30720 B; state 45 x (3 x 12288 + 128 x 64 x 128) x 4 B =
     * 195379200 B per sequence.
     */
    @Test
    void qwen35Moe_textConfig() {
        ModelSpec spec = HuggingFaceConfigImporter.fromString(config("Qwen3.5-397B-A17B.json"), "Qwen3.5-397B-A17B");
        assertEquals("qwen35moe", spec.architecture());
        assertEquals(45, spec.layers().stream().filter(l -> l.mixer() instanceof GatedDeltaNet).count());
        assertEquals(1, spec.nextTokenPredictionLayers().size());
        ContextMemory memory = ContextMemory.of(spec, ContextSettings.defaults(1024));
        assertEquals(1024L * 30720, memory.kvCacheBytes());
        assertEquals(195379200L, memory.recurrentStateBytes());
    }

    /** gpt-oss-20b: alternating sliding (128) and full attention, MXFP4 experts; llama-bench prints 20.91 B. */
    @Test
    void gptOss20b() {
        ModelSpec spec = HuggingFaceConfigImporter.fromString(config("gpt-oss-20b.json"), "gpt-oss-20b");
        assertTrue(spec.layers().get(0).mixer() instanceof SlidingWindowAttention);
        assertTrue(spec.layers().get(1).mixer() instanceof FullAttention);
        assertEquals(128, spec.layers().get(0).mixer().slidingWindowTokens());
        assertEquals(CheckpointFormat.MXFP4_EXPERTS, spec.checkpointFormat());
        assertEquals(20.91e9, spec.totalParameters(), 0.005e9);
    }

    /**
     * Devstral 2 / Ministral 3 name their Mistral text model "ministral3" inside a "mistral3" wrapper. By hand for this
     * tiny model: embeddings and untied head 2 x 100 x 64 = 12800; per layer q 64 x 64 + k, v 2 x 64 x 32 + o 64 x 64
     * = 12288, gated FFN 3 x 64 x 128 = 24576, two norms 128, so 2 x 36992 = 73984; final norm 64: 86848.
     */
    @Test
    void ministral3_readAsMistral() {
        String text = "{\"hidden_size\": 64, \"intermediate_size\": 128, \"num_attention_heads\": 4, "
                + "\"num_key_value_heads\": 2, \"head_dim\": 16, \"num_hidden_layers\": 2, \"vocab_size\": 100, "
                + "\"max_position_embeddings\": 1024, \"model_type\": \"%s\"}";
        String wrapped = "{\"model_type\": \"mistral3\", \"tie_word_embeddings\": false, \"text_config\": "
                + String.format(text, "ministral3") + "}";
        ModelSpec spec = HuggingFaceConfigImporter.fromString(wrapped, "Devstral");
        assertEquals(86848L, spec.totalParameters());
        assertEquals(HuggingFaceConfigImporter.fromString(String.format(text, "mistral"), "Devstral"), spec);
    }

    /** Kimi K2.5 wraps the Kimi K2 (DeepSeek-V3 layout) text model and a vision tower: the text model is read alone. */
    @Test
    void kimiK25_readsItsKimiK2TextConfig() {
        String text = "{\"model_type\": \"kimi_k2\", \"hidden_size\": 64, \"intermediate_size\": 128, "
                + "\"moe_intermediate_size\": 32, \"n_routed_experts\": 8, \"n_shared_experts\": 1, "
                + "\"num_experts_per_tok\": 2, \"first_k_dense_replace\": 1, \"num_hidden_layers\": 3, "
                + "\"num_attention_heads\": 4, \"q_lora_rank\": 32, \"kv_lora_rank\": 16, \"qk_rope_head_dim\": 8, "
                + "\"qk_nope_head_dim\": 16, \"v_head_dim\": 16, \"vocab_size\": 100, "
                + "\"max_position_embeddings\": 1024}";
        ModelSpec wrapped = HuggingFaceConfigImporter.fromString(
                "{\"model_type\": \"kimi_k25\", \"text_config\": " + text + "}", "Kimi");
        assertEquals("deepseek2", wrapped.architecture());
        assertEquals(DenseFeedForward.gated(128), wrapped.layers().get(0).feedForward());
        assertEquals(MixtureOfExperts.of(8, 2, 32).withSharedExperts(32), wrapped.layers().get(1).feedForward());
        assertEquals(HuggingFaceConfigImporter.fromString(text, "Kimi"), wrapped);
    }

    @Test
    void fromPath_namesTheModelAfterItsFolder() throws IOException {
        Path dir = java.nio.file.Files.createTempDirectory("Qwen3-8B");
        Path file = java.nio.file.Files.writeString(dir.resolve("config.json"), config("Qwen3-8B.json"));
        assertEquals(dir.getFileName().toString(), HuggingFaceConfigImporter.fromPath(file).name());
    }

    @Test
    void truncatedJson() {
        String text = config("Qwen3-8B.json");
        ConfigImportException e = assertThrows(ConfigImportException.class,
                () -> HuggingFaceConfigImporter.fromString(text.substring(0, text.length() / 2), "x"));
        assertTrue(e.getMessage().startsWith("config.json: not a JSON object"), e.getMessage());
        assertThrows(ConfigImportException.class, () -> HuggingFaceConfigImporter.fromString("", "x"));
        assertThrows(ConfigImportException.class, () -> HuggingFaceConfigImporter.fromString("[1, 2]", "x"));
    }

    /** jackson-jr reads the first JSON value and stopped there, so these were read as their first object. */
    @Test
    void contentAfterTheTopLevelObject() {
        String text = config("Qwen3-8B.json").strip();
        ConfigImportException closers = assertThrows(ConfigImportException.class,
                () -> HuggingFaceConfigImporter.fromString(text + " }}}", "x"));
        assertTrue(closers.getMessage().startsWith("config.json: not a JSON object ("), closers.getMessage());
        ConfigImportException two = assertThrows(ConfigImportException.class,
                () -> HuggingFaceConfigImporter.fromString(text + text, "x"));
        assertTrue(two.getMessage().startsWith("config.json: not a JSON object (content after the top-level value:"
                + " START_OBJECT (expected: the end of the text)"), two.getMessage());
        // trailing whitespace is not content
        assertEquals("Qwen3-8B", HuggingFaceConfigImporter.fromString(text + " \n\t ", "Qwen3-8B").name());
    }

    @Test
    void unknownModelType() {
        ConfigImportException e = assertThrows(ConfigImportException.class,
                () -> HuggingFaceConfigImporter.fromString("{\"model_type\": \"falcon\"}", "x"));
        assertTrue(e.getMessage().startsWith("config.json: model_type 'falcon' (expected one of [cohere2, deepseek_v2"),
                e.getMessage());
    }

    @Test
    void missingKey() {
        String text = config("Qwen3-8B.json").replace("\"hidden_size\"", "\"hidden_size_renamed\"");
        ConfigImportException e = assertThrows(ConfigImportException.class,
                () -> HuggingFaceConfigImporter.fromString(text, "x"));
        assertEquals("config.json: missing key 'hidden_size' (expected: a positive integer)", e.getMessage());
    }

    @Test
    void wrongTypes() {
        String text = config("Qwen3-8B.json").replace("\"num_hidden_layers\": 36", "\"num_hidden_layers\": \"36\"");
        ConfigImportException e = assertThrows(ConfigImportException.class,
                () -> HuggingFaceConfigImporter.fromString(text, "x"));
        assertEquals("config.json: key 'num_hidden_layers' = \"36\" (expected: an integer from 1 to 512, llama.cpp's"
                + " LLAMA_MAX_LAYERS)", e.getMessage());
        String negative = config("Qwen3-8B.json").replace("\"num_hidden_layers\": 36", "\"num_hidden_layers\": -1");
        assertThrows(ConfigImportException.class, () -> HuggingFaceConfigImporter.fromString(negative, "x"));
        String fractional = config("Qwen3-8B.json").replace("\"num_hidden_layers\": 36", "\"num_hidden_layers\": 3.5");
        assertThrows(ConfigImportException.class, () -> HuggingFaceConfigImporter.fromString(fractional, "x"));
        String tie = config("Qwen3-8B.json").replace("\"tie_word_embeddings\": false", "\"tie_word_embeddings\": 0");
        ConfigImportException tieError = assertThrows(ConfigImportException.class,
                () -> HuggingFaceConfigImporter.fromString(tie, "x"));
        assertEquals("config.json: key 'tie_word_embeddings' = 0 (expected: true or false)", tieError.getMessage());
    }

    /** Without head_dim, 4096 / 30 = 136.53 heads' worth was rounded down to 136 before; now the keys are named. */
    @Test
    void headCountNotDividingTheHiddenSize() {
        String text = config("Qwen3-8B.json").replace("\"head_dim\": 128,", "")
                .replace("\"num_attention_heads\": 32", "\"num_attention_heads\": 30")
                .replace("\"num_key_value_heads\": 8", "\"num_key_value_heads\": 6");
        ConfigImportException e = assertThrows(ConfigImportException.class,
                () -> HuggingFaceConfigImporter.fromString(text, "x"));
        assertEquals("config.json: keys 'hidden_size' = 4096 and 'num_attention_heads' = 30 (expected:"
                + " num_attention_heads to divide hidden_size, or a 'head_dim' key)", e.getMessage());
        // 4096 / 32 = 128 divides evenly: the head size the file's own head_dim states
        String dividing = config("Qwen3-8B.json").replace("\"head_dim\": 128,", "");
        assertEquals(HuggingFaceConfigImporter.fromString(config("Qwen3-8B.json"), "x"),
                HuggingFaceConfigImporter.fromString(dividing, "x"));
    }

    /** Expert counts are checked against each other under their JSON names (before: expertsPerToken). */
    @Test
    void expertsPerTokenBeyondTheExperts() {
        String text = config("DeepSeek-V3.json").replace("\"num_experts_per_tok\": 8", "\"num_experts_per_tok\": 300");
        ConfigImportException e = assertThrows(ConfigImportException.class,
                () -> HuggingFaceConfigImporter.fromString(text, "x"));
        assertEquals("config.json: key 'num_experts_per_tok' = 300 (expected: 1 to n_routed_experts = 256)",
                e.getMessage());
        String one = config("gpt-oss-20b.json").replace("\"num_local_experts\": 32", "\"num_local_experts\": 1");
        ConfigImportException single = assertThrows(ConfigImportException.class,
                () -> HuggingFaceConfigImporter.fromString(one, "x"));
        assertEquals("config.json: key 'num_local_experts' = 1 (expected: an integer >= 2)", single.getMessage());
    }

    /** Before, these messages named the spec's fields (count, sliding window of layer 0, sharedSize) or ran out of memory. */
    @Test
    void boundsAndRelationsNameTheJsonKeys() {
        String layers = config("gpt-oss-20b.json").replace("\"num_hidden_layers\": 24", "\"num_hidden_layers\": 2147483647");
        assertEquals("config.json: key 'num_hidden_layers' = 2147483647 (expected: an integer from 1 to 512, llama.cpp's"
                + " LLAMA_MAX_LAYERS)", assertThrows(ConfigImportException.class,
                        () -> HuggingFaceConfigImporter.fromString(layers, "x")).getMessage());
        // DeepSeek-V3: 61 layers, so at most 512 - 61 = 451 MTP layers
        String mtp = config("DeepSeek-V3.json").replace("\"num_nextn_predict_layers\": 1",
                "\"num_nextn_predict_layers\": 452");
        assertEquals("config.json: key 'num_nextn_predict_layers' = 452 (expected: an integer from 0 to 451, so that"
                + " with num_hidden_layers = 61 the layers stay within 512, llama.cpp's LLAMA_MAX_LAYERS)",
                assertThrows(ConfigImportException.class, () -> HuggingFaceConfigImporter.fromString(mtp, "x"))
                        .getMessage());
        String window = config("gpt-oss-20b.json").replace("\"max_position_embeddings\": 131072",
                "\"max_position_embeddings\": 64");
        assertEquals("config.json: keys 'sliding_window' = 128 and 'max_position_embeddings' = 64 (expected:"
                + " sliding_window <= max_position_embeddings)", assertThrows(ConfigImportException.class,
                        () -> HuggingFaceConfigImporter.fromString(window, "x")).getMessage());
        // 2048 * 1048576 = 2^31 is one more than an int holds
        String shared = config("DeepSeek-V3.json").replace("\"n_shared_experts\": 1", "\"n_shared_experts\": 1048576");
        assertEquals("config.json: keys 'n_shared_experts' = 1048576 and 'moe_intermediate_size' = 2048 (expected:"
                + " n_shared_experts * moe_intermediate_size <= 2147483647)", assertThrows(ConfigImportException.class,
                        () -> HuggingFaceConfigImporter.fromString(shared, "x")).getMessage());
    }

    /**
     * MiniMax-M2's config.json (the catalog preset's): every layer full attention with whole-projection QK norms and 256
     * experts of 1536, top 8, no MTP layer. Its count by hand is in core's ModelSpecTest: 228689764864.
     */
    @Test
    void miniMaxM2() {
        ModelSpec spec = Catalog.model("minimax-m2").spec();
        assertEquals("minimax-m2", spec.architecture());
        assertEquals(62, spec.layers().size());
        assertEquals(0, spec.nextTokenPredictionLayers().size());
        assertEquals(Layer.of(FullAttention.of(48, 8, 128).withQkNorm(), MixtureOfExperts.of(256, 8, 1536)),
                spec.layers().get(61));
        assertEquals(CheckpointFormat.FP8, spec.checkpointFormat());
        assertEquals(228689764864L, spec.totalParameters());
    }

    /** What llama.cpp's minimax-m2 loader cannot hold is refused, naming the key. */
    @Test
    void miniMaxM2_variantsLlamaCppCannotLoad() {
        String text = "{\"model_type\": \"minimax_m2\", \"hidden_size\": 64, \"intermediate_size\": 32, "
                + "\"num_attention_heads\": 4, \"num_key_value_heads\": 2, \"head_dim\": 16, \"num_hidden_layers\": 2, "
                + "\"vocab_size\": 100, \"max_position_embeddings\": 1024, \"num_local_experts\": 4, "
                + "\"num_experts_per_tok\": 2%s}";
        assertEquals(2, HuggingFaceConfigImporter.fromString(String.format(text, ""), "x").layers().size());
        assertEquals("config.json: key 'shared_intermediate_size' = 64 (expected: 0; llama.cpp's minimax-m2 loader "
                + "has no shared expert)", assertThrows(ConfigImportException.class,
                        () -> HuggingFaceConfigImporter.fromString(String.format(text,
                                ", \"shared_intermediate_size\": 64"), "x")).getMessage());
        assertThrows(ConfigImportException.class, () -> HuggingFaceConfigImporter.fromString(
                String.format(text, ", \"qk_norm_type\": \"per_head\""), "x"));
        assertThrows(ConfigImportException.class, () -> HuggingFaceConfigImporter.fromString(
                String.format(text, ", \"use_qk_norm\": false"), "x"));
        assertThrows(ConfigImportException.class, () -> HuggingFaceConfigImporter.fromString(
                String.format(text, ", \"use_routing_bias\": false"), "x"));
    }

    /**
     * Olmo 3.1 32B (the catalog preset's config.json): 48 sliding layers of window 4096 and 16 full ones, every fourth.
     * By hand per layer: q and o 2 x 5120 x 5120 + k and v 2 x 5120 x 1024 = 62914560; SwiGLU 3 x 5120 x 27648 =
     * 424673280; post-attention and post-FFN norms 2 x 5120, Q norm 5120, K norm 1024 = 16384; 487604224 per layer,
     * 64 layers 31206670336; embeddings and output 2 x 100278 x 5120 = 1026846720; final norm 5120: 32233522176.
     */
    @Test
    void olmo3_slidingEveryThreeInFour() {
        ModelSpec spec = Catalog.model("olmo-3.1-32b").spec();
        assertEquals("olmo2", spec.architecture());
        assertEquals(Layer.of(SlidingWindowAttention.of(40, 8, 128, 4096).withQkNorm(), DenseFeedForward.gated(27648)),
                spec.layers().get(0));
        assertEquals(Layer.of(FullAttention.of(40, 8, 128).withQkNorm(), DenseFeedForward.gated(27648)),
                spec.layers().get(63));
        assertEquals(16, spec.layers().stream().filter(l -> l.mixer() instanceof FullAttention).count());
        assertEquals(32233522176L, spec.totalParameters());
    }

    /**
     * OLMo 2 has no sliding window; OLMo 3 without layer_types slides on three layers of four, as llama.cpp's converter
     * assumes. By hand for this tiny OLMo 2: per layer q, k, v, o 4 x 64 x 64 = 16384, SwiGLU 3 x 64 x 128 = 24576,
     * post norms 2 x 64 + Q and K norms 2 x 64 = 256, so 4 x 41216 = 164864; embeddings and output 2 x 100 x 64 =
     * 12800; final norm 64: 177728.
     */
    @Test
    void olmo2_andOlmo3WithoutLayerTypes() {
        String text = "{\"model_type\": \"%s\", \"hidden_size\": 64, \"intermediate_size\": 128, "
                + "\"num_attention_heads\": 4, \"num_key_value_heads\": 4, \"num_hidden_layers\": 4, "
                + "\"vocab_size\": 100, \"max_position_embeddings\": 4096%s}";
        ModelSpec olmo2 = HuggingFaceConfigImporter.fromString(String.format(text, "olmo2", ""), "x");
        assertEquals(177728L, olmo2.totalParameters());
        assertTrue(olmo2.layers().stream().allMatch(l -> l.mixer() instanceof FullAttention));
        ModelSpec olmo3 = HuggingFaceConfigImporter.fromString(
                String.format(text, "olmo3", ", \"sliding_window\": 1024"), "x");
        assertEquals(177728L, olmo3.totalParameters());
        assertEquals(List.of(1024, 1024, 1024, 0),
                olmo3.layers().stream().map(l -> l.mixer().slidingWindowTokens()).toList());
    }

    /**
     * Cohere2 (Command R7B, Command A): without layer_types, three sliding layers in four; the output head is the
     * embedding. By hand for this tiny model: per layer q, k, v, o 4 x 64 x 64 = 16384, SwiGLU 3 x 64 x 128 = 24576,
     * one norm 64, so 4 x 41024 = 164096; embeddings 100 x 64 = 6400; final norm 64: 170560.
     */
    @Test
    void cohere2_slidingThreeInFourAndTied() {
        String text = "{\"model_type\": \"cohere2\", \"hidden_size\": 64, \"intermediate_size\": 128, "
                + "\"num_attention_heads\": 4, \"num_key_value_heads\": 4, \"num_hidden_layers\": 4, "
                + "\"vocab_size\": 100, \"max_position_embeddings\": 8192, \"sliding_window\": 4096%s}";
        ModelSpec spec = HuggingFaceConfigImporter.fromString(String.format(text, ""), "x");
        assertEquals(170560L, spec.totalParameters());
        assertTrue(spec.tiedEmbeddings());
        assertEquals(List.of(4096, 4096, 4096, 0),
                spec.layers().stream().map(l -> l.mixer().slidingWindowTokens()).toList());
        assertEquals("config.json: key 'tie_word_embeddings' = false (expected: true; llama.cpp's cohere2 loader reads "
                + "the output head from the token embedding)", assertThrows(ConfigImportException.class,
                        () -> HuggingFaceConfigImporter.fromString(String.format(text,
                                ", \"tie_word_embeddings\": false"), "x")).getMessage());
    }

    /**
     * Granite 3.x dense and SmolLM3 read as the Llama layout; Granite's biases and a head_dim other than
     * hidden / heads are refused. By hand for this tiny model (tied, as both ship): per layer 4 x 64 x 64 + 3 x 64 x
     * 128 + 2 x 64 = 41088, 2 layers 82176; embeddings 100 x 64 = 6400; final norm 64: 88640.
     */
    @Test
    void graniteAndSmolLm3_asLlama() {
        String text = "{\"model_type\": \"%s\", \"hidden_size\": 64, \"intermediate_size\": 128, "
                + "\"num_attention_heads\": 4, \"num_key_value_heads\": 4, \"num_hidden_layers\": 2, "
                + "\"vocab_size\": 100, \"max_position_embeddings\": 8192, \"tie_word_embeddings\": true%s}";
        ModelSpec granite = HuggingFaceConfigImporter.fromString(String.format(text, "granite", ""), "x");
        assertEquals("granite", granite.architecture());
        assertEquals(88640L, granite.totalParameters());
        ModelSpec smol = HuggingFaceConfigImporter.fromString(String.format(text, "smollm3", ""), "x");
        assertEquals("smollm3", smol.architecture());
        assertEquals(88640L, smol.totalParameters());
        assertThrows(ConfigImportException.class, () -> HuggingFaceConfigImporter.fromString(
                String.format(text, "granite", ", \"mlp_bias\": true"), "x"));
        assertThrows(ConfigImportException.class, () -> HuggingFaceConfigImporter.fromString(
                String.format(text, "granite", ", \"head_dim\": 32"), "x"));
    }

    @Test
    void inconsistentValues() {
        String text = config("Qwen3-8B.json").replace("\"num_key_value_heads\": 8", "\"num_key_value_heads\": 7");
        ConfigImportException e = assertThrows(ConfigImportException.class,
                () -> HuggingFaceConfigImporter.fromString(text, "x"));
        assertEquals("config.json: key 'num_key_value_heads' = 7 (expected: a divisor of num_attention_heads = 32)",
                e.getMessage());
        String layerTypes = config("gpt-oss-20b.json").replaceFirst("\"sliding_attention\"", "\"local\"");
        assertThrows(ConfigImportException.class, () -> HuggingFaceConfigImporter.fromString(layerTypes, "x"));
    }

    /**
     * Mamba-2 with the keys of Mamba-Codestral-7B (hidden 4096, 64 layers, head_dim 64, 8 groups, state 128, conv 4):
     * inner width 2 x 4096 = 8192 in 8192 / 64 = 128 heads. State per sequence, f32: 64 x (3 x (8192 + 2 x 8 x 128)
     * + 128 x 8192) x 4 B = 64 x 1079296 x 4 B = 276299776 B; no KV cache; the converter's context of 2^20.
     */
    @Test
    void mamba2() {
        ModelSpec spec = HuggingFaceConfigImporter.fromString("{\"model_type\": \"mamba2\", \"hidden_size\": 4096,"
                + " \"num_hidden_layers\": 64, \"state_size\": 128, \"expand\": 2, \"n_groups\": 8, \"head_dim\": 64,"
                + " \"num_heads\": 128, \"conv_kernel\": 4, \"vocab_size\": 32768, \"tie_word_embeddings\": false}",
                "Mamba-Codestral-7B");
        assertEquals("mamba2", spec.architecture());
        assertEquals(List.of(new Mamba2(128, 64, 128, 8, 4)),
                spec.layers().stream().map(Layer::mixer).distinct().toList());
        assertEquals(64, spec.layers().size());
        assertEquals(32768, spec.vocabularySize());
        assertEquals(1 << 20, spec.maxContextTokens());
        ContextMemory memory = ContextMemory.of(spec, ContextSettings.defaults(4096));
        assertEquals(276299776L, memory.recurrentStateBytes());
        assertEquals(0, memory.kvCacheBytes());
    }

    /**
     * Mamba-2 130M's keys leave the defaults to the converter: inner 2 x 768 = 1536 in heads of 64 (24 heads), one
     * group, state 128, conv 4; its vocabulary of 50277 padded up to a multiple of 16 is 3143 x 16 = 50288.
     */
    @Test
    void mamba2_defaultsAndPaddedVocabulary() {
        ModelSpec spec = HuggingFaceConfigImporter.fromString("{\"model_type\": \"mamba2\", \"hidden_size\": 768,"
                + " \"num_hidden_layers\": 24, \"vocab_size\": 50277}", "mamba2-130m");
        assertEquals(new Mamba2(24, 64, 128, 1, 4), spec.layers().get(0).mixer());
        assertEquals(50288, spec.vocabularySize());
        assertTrue(!spec.tiedEmbeddings());
    }

    @Test
    void supportedModelTypes_coverTheIssueList() {
        assertTrue(HuggingFaceConfigImporter.supportedModelTypes().containsAll(java.util.List.of("llama", "mistral",
                "mixtral", "qwen2", "qwen3", "qwen3_moe", "qwen3_next", "qwen3_5", "qwen3_5_moe", "gemma2", "gemma3",
                "gemma3_text", "gpt_oss", "deepseek_v3", "deepseek_v2", "kimi_k2", "glm4_moe", "phi3",
                "granitemoehybrid", "nemotron_h", "ministral3", "kimi_k25", "minimax_m2", "olmo2", "olmo3", "granite", "smollm3", "cohere2",
                "mamba2")));
    }

    @Test
    void nulls() {
        assertThrows(NullPointerException.class, () -> HuggingFaceConfigImporter.fromString(null, "x"));
        assertThrows(NullPointerException.class, () -> HuggingFaceConfigImporter.fromString("{}", null));
        assertThrows(NullPointerException.class, () -> HuggingFaceConfigImporter.fromPath(null));
    }
}
