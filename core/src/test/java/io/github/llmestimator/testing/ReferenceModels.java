package io.github.llmestimator.testing;

import io.github.llmestimator.model.MixerBlock;
import io.github.llmestimator.model.CheckpointFormat;
import io.github.llmestimator.model.DenseFeedForward;
import io.github.llmestimator.model.FeedForwardBlock;
import io.github.llmestimator.model.FullAttention;
import io.github.llmestimator.model.GatedDeltaNet;
import io.github.llmestimator.model.LatentAttention;
import io.github.llmestimator.model.Layer;
import io.github.llmestimator.model.MixtureOfExperts;
import io.github.llmestimator.model.ModelSpec;
import io.github.llmestimator.model.SlidingWindowAttention;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Model specs written by hand from the published config.json facts (each method names its
 * row), for tests that must not depend on the catalog.
 */
public final class ReferenceModels {

    private ReferenceModels() {
    }

    /** model_configs.tsv "Llama-3.1-8B": 32 layers, hidden 4096, 32 heads, 8 KV heads x 128, FFN 14336, vocab 128256. */
    public static ModelSpec llama31_8b() {
        return ModelSpec.builder("Llama-3.1-8B").architecture("llama").hiddenSize(4096).vocabularySize(128256)
                .maxContextTokens(131072)
                .addLayers(32, Layer.of(FullAttention.of(32, 8, 128), DenseFeedForward.gated(14336))).build();
    }

    /** Llama-2-7B (meta-llama/Llama-2-7b-hf config.json): 32 layers, hidden 4096, 32 heads (MHA), FFN 11008, vocab 32000. */
    public static ModelSpec llama2_7b() {
        return ModelSpec.builder("Llama-2-7B").architecture("llama").hiddenSize(4096).vocabularySize(32000)
                .maxContextTokens(4096)
                .addLayers(32, Layer.of(FullAttention.of(32, 32, 128), DenseFeedForward.gated(11008))).build();
    }

    /** model_configs.tsv "Llama-3.1-70B": 80 layers, hidden 8192, 64 heads, 8 KV x 128, FFN 28672, vocab 128256. */
    public static ModelSpec llama31_70b() {
        return ModelSpec.builder("Llama-3.1-70B").architecture("llama").hiddenSize(8192).vocabularySize(128256)
                .maxContextTokens(131072)
                .addLayers(80, Layer.of(FullAttention.of(64, 8, 128), DenseFeedForward.gated(28672))).build();
    }

    /** model_configs.tsv "Qwen3-8B": 36 layers, hidden 4096, 32 heads, 8 KV x 128, QK norm, FFN 12288, vocab 151936. */
    public static ModelSpec qwen3_8b() {
        return ModelSpec.builder("Qwen3-8B").architecture("qwen3").hiddenSize(4096).vocabularySize(151936)
                .maxContextTokens(40960)
                .addLayers(36, Layer.of(FullAttention.of(32, 8, 128).withQkNorm(), DenseFeedForward.gated(12288)))
                .build();
    }

    /** Qwen/Qwen3-14B config.json: 40 layers, hidden 5120, 40 heads, 8 KV x 128, QK norm, FFN 17408, vocab 151936. */
    public static ModelSpec qwen3_14b() {
        return ModelSpec.builder("Qwen3-14B").architecture("qwen3").hiddenSize(5120).vocabularySize(151936)
                .maxContextTokens(40960)
                .addLayers(40, Layer.of(FullAttention.of(40, 8, 128).withQkNorm(), DenseFeedForward.gated(17408)))
                .build();
    }

    /** model_configs.tsv "Qwen3-32B": 64 layers, hidden 5120, 64 heads, 8 KV x 128, QK norm, FFN 25600. */
    public static ModelSpec qwen3_32b() {
        return ModelSpec.builder("Qwen3-32B").architecture("qwen3").hiddenSize(5120).vocabularySize(151936)
                .maxContextTokens(40960)
                .addLayers(64, Layer.of(FullAttention.of(64, 8, 128).withQkNorm(), DenseFeedForward.gated(25600)))
                .build();
    }

    /** model_configs.tsv "Mixtral-8x7B-v0.1": 32 layers, hidden 4096, 32 heads, 8 KV, 8 experts top-2 of 14336. */
    public static ModelSpec mixtral_8x7b() {
        return ModelSpec.builder("Mixtral-8x7B").architecture("llama").hiddenSize(4096).vocabularySize(32000)
                .maxContextTokens(32768)
                .addLayers(32, Layer.of(FullAttention.of(32, 8, 128), MixtureOfExperts.of(8, 2, 14336))).build();
    }

    /**
     * model_configs.tsv "Qwen3-Next-80B-A3B-Thinking": 48 layers [3 gated DeltaNet, 1 gated full attention] x 12,
     * hidden 2048; attention 16 heads, 2 KV x 256; DeltaNet 16 key / 32 value heads x 128, conv 4; 512 experts, 10 per
     * token, 512 wide, one shared expert of 512.
     */
    public static ModelSpec qwen3Next_80b() {
        MixerBlock full = new FullAttention(16, 2, 256, 256, true, true, false);
        MixerBlock linear = new GatedDeltaNet(16, 32, 128, 128, 4);
        FeedForwardBlock moe = MixtureOfExperts.of(512, 10, 512).withSharedExperts(512);
        ModelSpec.Builder b = ModelSpec.builder("Qwen3-Next-80B-A3B").architecture("qwen3next").hiddenSize(2048)
                .vocabularySize(151936).maxContextTokens(262144);
        for (int i = 0; i < 48; i++) {
            b.addLayer(Layer.of((i + 1) % 4 == 0 ? full : linear, moe));
        }
        return b.build();
    }

    /**
     * Qwen3.5 dense hybrid as in model_configs.tsv ("Qwen3.5-27B") and the Qwen3.5-9B config.json: [3 DeltaNet,
     * 1 gated full attention] repeated, one MTP layer (a gated full-attention layer with the dense FFN).
     */
    public static ModelSpec qwen35Dense(String name, int hidden, int layers, int heads, int kvHeads, int valueHeads,
            int ffn) {
        MixerBlock full = new FullAttention(heads, kvHeads, 256, 256, true, true, false);
        MixerBlock linear = new GatedDeltaNet(16, valueHeads, 128, 128, 4);
        FeedForwardBlock dense = DenseFeedForward.gated(ffn);
        ModelSpec.Builder b = ModelSpec.builder(name).architecture("qwen35").hiddenSize(hidden).vocabularySize(248320)
                .maxContextTokens(262144);
        for (int i = 0; i < layers; i++) {
            b.addLayer(Layer.of((i + 1) % 4 == 0 ? full : linear, dense));
        }
        return b.addNextTokenPredictionLayer(Layer.of(full, dense)).build();
    }

    /**
     * Qwen/Qwen3.5-9B config.json: hidden 4096, 32 layers, 16 heads, 4 KV x 256, 32 value heads, FFN 12288; without
     * the MTP layer, which the published GGUF files of its fine-tunes do not carry.
     */
    public static ModelSpec qwen35_9b() {
        return qwen35Dense("Qwen3.5-9B", 4096, 32, 16, 4, 32, 12288).withoutNextTokenPredictionLayers();
    }

    /** model_configs.tsv "Qwen3.5-27B": hidden 5120, 64 layers, 24 heads, 4 KV x 256, 48 value heads, FFN 17408. */
    public static ModelSpec qwen35_27b() {
        return qwen35Dense("Qwen3.5-27B", 5120, 64, 24, 4, 48, 17408);
    }

    /**
     * model_configs.tsv "gpt-oss-20b": 24 layers alternating sliding (128) and full attention, hidden 2880, 64 heads,
     * 8 KV x 64, QKV biases; 32 experts, 4 per token, 2880 wide, with biases, MXFP4; vocab 201088.
     */
    public static ModelSpec gptOss20b() {
        ModelSpec.Builder b = ModelSpec.builder("gpt-oss-20b").architecture("gpt-oss").hiddenSize(2880)
                .vocabularySize(201088).maxContextTokens(131072).checkpointFormat(CheckpointFormat.MXFP4_EXPERTS);
        FeedForwardBlock moe = MixtureOfExperts.of(32, 4, 2880).withBiases();
        for (int i = 0; i < 24; i++) {
            MixerBlock a = i % 2 == 0 ? SlidingWindowAttention.of(64, 8, 64, 128).withQkvBias()
                    : FullAttention.of(64, 8, 64).withQkvBias();
            b.addLayer(Layer.of(a, moe));
        }
        return b.build();
    }

    /**
     * model_configs.tsv "DeepSeek-V3" / "DeepSeek-R1": 61 MLA layers (128 heads, q rank 1536, kv rank 512, rope 64,
     * nope 128, v 128), the first 3 dense (18432), then 256 experts, 8 per token, 2048 wide, one shared expert;
     * vocab 129280. Without the MTP layer, as the early-2025 GGUF conversions were made.
     */
    public static ModelSpec deepSeekR1() {
        MixerBlock mla = new LatentAttention(128, 1536, 512, 64, 128, 128);
        ModelSpec.Builder b = ModelSpec.builder("DeepSeek-R1").architecture("deepseek2").hiddenSize(7168)
                .vocabularySize(129280).maxContextTokens(163840);
        b.addLayers(3, Layer.of(mla, DenseFeedForward.gated(18432)));
        b.addLayers(58, Layer.of(mla, MixtureOfExperts.of(256, 8, 2048).withSharedExperts(2048)));
        return b.build();
    }

    /**
     * model_configs.tsv "gemma-3-27b-it": 62 layers, 5 sliding (1024) then 1 full, hidden 5376, 32 heads, 16 KV x 128,
     * FFN 21504 (GeGLU), vocab 262208, tied embeddings.
     */
    public static ModelSpec gemma3_27b() {
        ModelSpec.Builder b = ModelSpec.builder("gemma-3-27b").architecture("gemma3").hiddenSize(5376)
                .vocabularySize(262208).maxContextTokens(131072).tiedEmbeddings(true);
        for (int i = 0; i < 62; i++) {
            MixerBlock a = i % 6 < 5 ? SlidingWindowAttention.of(32, 16, 128, 1024).withQkNorm()
                    : FullAttention.of(32, 16, 128).withQkNorm();
            b.addLayer(Layer.of(a, DenseFeedForward.gated(21504)));
        }
        return b.build();
    }

    private static final Map<String, Supplier<ModelSpec>> BY_KEY = Map.ofEntries(
            Map.entry("llama-3.1-8b", ReferenceModels::llama31_8b),
            Map.entry("llama-2-7b", ReferenceModels::llama2_7b),
            Map.entry("llama-3.1-70b", ReferenceModels::llama31_70b),
            Map.entry("qwen3-8b", ReferenceModels::qwen3_8b),
            Map.entry("qwen3-14b", ReferenceModels::qwen3_14b),
            Map.entry("qwen3-32b", ReferenceModels::qwen3_32b),
            Map.entry("mixtral-8x7b", ReferenceModels::mixtral_8x7b),
            Map.entry("qwen3-next-80b", ReferenceModels::qwen3Next_80b),
            Map.entry("qwen3.5-9b", ReferenceModels::qwen35_9b),
            Map.entry("qwen3.5-27b", ReferenceModels::qwen35_27b),
            Map.entry("gpt-oss-20b", ReferenceModels::gptOss20b),
            Map.entry("deepseek-r1", ReferenceModels::deepSeekR1),
            Map.entry("gemma-3-27b", ReferenceModels::gemma3_27b));

    /**
     * Returns the reference model with the given key, as used in the CSV tables of published figures.
     *
     * @param key the key, such as {@code llama-3.1-8b}
     * @return the model
     */
    public static ModelSpec byKey(String key) {
        Supplier<ModelSpec> supplier = BY_KEY.get(key.toLowerCase(Locale.ROOT));
        if (supplier == null) {
            throw new IllegalArgumentException("reference model: " + key + " (expected one of " + BY_KEY.keySet() + ")");
        }
        return supplier.get();
    }
}
