package io.github.llmestimator.gguf;

import io.github.llmestimator.model.MixerBlock;
import io.github.llmestimator.model.CheckpointFormat;
import io.github.llmestimator.model.DenseFeedForward;
import io.github.llmestimator.model.FeedForwardBlock;
import io.github.llmestimator.model.FullAttention;
import io.github.llmestimator.model.GatedDeltaNet;
import io.github.llmestimator.model.LatentAttention;
import io.github.llmestimator.model.Layer;
import io.github.llmestimator.model.Mamba2;
import io.github.llmestimator.model.MixtureOfExperts;
import io.github.llmestimator.model.ModelSpec;
import io.github.llmestimator.model.NoAttention;
import io.github.llmestimator.model.NoFeedForward;
import io.github.llmestimator.model.SlidingWindowAttention;
import io.github.llmestimator.quant.QuantScheme;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Tiny models of every architecture the reader maps, with the layer kinds, patterns and options of the real ones
 * (hidden 256, a few layers, vocabularies of about a thousand tokens), and the scheme each is written at.
 */
final class GgufTestModels {

    private GgufTestModels() {
    }

    /** Each model with the scheme its test file uses, keyed by architecture. */
    static Map<String, Object[]> all() {
        Map<String, Object[]> models = new LinkedHashMap<>();
        models.put("llama", new Object[] {llama(), QuantScheme.Q4_K_M});
        models.put("qwen2", new Object[] {qwen2(), QuantScheme.Q8_0});
        models.put("qwen3", new Object[] {qwen3(), QuantScheme.Q6_K});
        models.put("qwen3moe", new Object[] {qwen3Moe(), QuantScheme.Q4_K_M});
        models.put("qwen3next", new Object[] {qwen3Next(), QuantScheme.Q4_K_M});
        models.put("qwen35", new Object[] {qwen35(), QuantScheme.Q5_K_M});
        models.put("qwen35moe", new Object[] {qwen35Moe(), QuantScheme.IQ4_XS});
        models.put("gemma2", new Object[] {gemma2(), QuantScheme.Q4_0});
        models.put("gemma3", new Object[] {gemma3(), QuantScheme.Q4_K_M});
        models.put("gpt-oss", new Object[] {gptOss(), QuantScheme.MXFP4_MOE});
        models.put("deepseek2", new Object[] {deepSeek2(), QuantScheme.Q4_K_M});
        models.put("glm4moe", new Object[] {glm4Moe(), QuantScheme.Q3_K_M});
        models.put("phi3", new Object[] {phi3(), QuantScheme.Q4_K_S});
        models.put("mamba2", new Object[] {mamba2(), QuantScheme.Q8_0});
        models.put("nemotron_h", new Object[] {nemotronH(), QuantScheme.BF16});
        models.put("granitehybrid", new Object[] {graniteHybrid(), QuantScheme.Q4_K_M});
        models.put("minimax-m2", new Object[] {miniMaxM2(), QuantScheme.Q4_K_M});
        models.put("olmo2", new Object[] {olmo3(), QuantScheme.Q5_K_M});
        models.put("granite", new Object[] {granite(), QuantScheme.Q4_K_M});
        models.put("smollm3", new Object[] {smolLm3(), QuantScheme.Q6_K});
        models.put("cohere2", new Object[] {cohere2(), QuantScheme.Q4_K_M});
        models.put("llama4", new Object[] {llama4(), QuantScheme.Q4_K_M});
        return models;
    }

    private static ModelSpec.Builder base(String name, String arch, int vocab) {
        return ModelSpec.builder(name).architecture(arch).hiddenSize(256).vocabularySize(vocab).maxContextTokens(8192);
    }

    static ModelSpec llama() {
        return base("tiny-llama", "llama", 1000)
                .addLayers(4, Layer.of(FullAttention.of(8, 2, 32), DenseFeedForward.gated(768))).build();
    }

    /** A Llama whose rows (320, 864) are not multiples of 256, so that k-quants fall back. */
    static ModelSpec llamaOddWidths() {
        return ModelSpec.builder("tiny-llama-320").architecture("llama").hiddenSize(320).vocabularySize(1000)
                .maxContextTokens(8192)
                .addLayers(4, Layer.of(FullAttention.of(10, 2, 32), DenseFeedForward.gated(864))).build();
    }

    static ModelSpec qwen2() {
        return base("tiny-qwen2", "qwen2", 1024).tiedEmbeddings(true)
                .addLayers(3, Layer.of(FullAttention.of(8, 2, 32).withQkvBias(), DenseFeedForward.gated(512))).build();
    }

    static ModelSpec qwen3() {
        return base("tiny-qwen3", "qwen3", 1000)
                .addLayers(3, Layer.of(new FullAttention(4, 2, 128, 128, false, true, false), DenseFeedForward.gated(768)))
                .build();
    }

    static ModelSpec qwen3Moe() {
        return base("tiny-qwen3moe", "qwen3moe", 1000)
                .addLayers(4, Layer.of(FullAttention.of(8, 2, 64).withQkNorm(), MixtureOfExperts.of(16, 4, 256)))
                .build();
    }

    static ModelSpec qwen3Next() {
        MixerBlock full = new FullAttention(4, 2, 64, 64, true, true, false);
        MixerBlock linear = new GatedDeltaNet(2, 4, 64, 64, 4);
        FeedForwardBlock moe = MixtureOfExperts.of(16, 4, 128).withSharedExperts(128);
        ModelSpec.Builder b = base("tiny-qwen3next", "qwen3next", 1000);
        for (int i = 0; i < 8; i++) {
            b.addLayer(Layer.of((i + 1) % 4 == 0 ? full : linear, moe));
        }
        return b.build();
    }

    static ModelSpec qwen35() {
        MixerBlock full = new FullAttention(4, 2, 64, 64, true, true, false);
        MixerBlock linear = new GatedDeltaNet(2, 4, 64, 64, 4);
        FeedForwardBlock dense = DenseFeedForward.gated(512);
        ModelSpec.Builder b = base("tiny-qwen35", "qwen35", 1000);
        for (int i = 0; i < 8; i++) {
            b.addLayer(Layer.of((i + 1) % 4 == 0 ? full : linear, dense));
        }
        return b.addNextTokenPredictionLayer(Layer.of(full, dense)).build();
    }

    static ModelSpec qwen35Moe() {
        MixerBlock full = new FullAttention(4, 2, 64, 64, true, true, false);
        MixerBlock linear = new GatedDeltaNet(2, 4, 64, 64, 4);
        FeedForwardBlock moe = MixtureOfExperts.of(16, 4, 256).withSharedExperts(256);
        ModelSpec.Builder b = base("tiny-qwen35moe", "qwen35moe", 1000);
        for (int i = 0; i < 4; i++) {
            b.addLayer(Layer.of((i + 1) % 4 == 0 ? full : linear, moe));
        }
        return b.addNextTokenPredictionLayer(Layer.of(full, moe)).build();
    }

    static ModelSpec gemma2() {
        ModelSpec.Builder b = base("tiny-gemma2", "gemma2", 1024).tiedEmbeddings(true);
        for (int i = 0; i < 4; i++) {
            b.addLayer(Layer.of(i % 2 == 0 ? SlidingWindowAttention.of(8, 4, 32, 512) : FullAttention.of(8, 4, 32),
                    DenseFeedForward.gated(512)));
        }
        return b.build();
    }

    static ModelSpec gemma3() {
        ModelSpec.Builder b = base("tiny-gemma3", "gemma3", 1000).tiedEmbeddings(true);
        for (int i = 0; i < 7; i++) {
            MixerBlock a = i % 6 < 5 ? SlidingWindowAttention.of(4, 2, 64, 512).withQkNorm()
                    : FullAttention.of(4, 2, 64).withQkNorm();
            b.addLayer(Layer.of(a, DenseFeedForward.gated(512)));
        }
        return b.build();
    }

    static ModelSpec gptOss() {
        ModelSpec.Builder b = base("tiny-gpt-oss", "gpt-oss", 1000).checkpointFormat(CheckpointFormat.MXFP4_EXPERTS);
        FeedForwardBlock moe = MixtureOfExperts.of(8, 2, 256).withBiases();
        for (int i = 0; i < 4; i++) {
            MixerBlock a = i % 2 == 0 ? SlidingWindowAttention.of(8, 2, 32, 128).withQkvBias()
                    : FullAttention.of(8, 2, 32).withQkvBias();
            b.addLayer(Layer.of(a, moe));
        }
        return b.build();
    }

    static ModelSpec deepSeek2() {
        MixerBlock mla = new LatentAttention(8, 128, 256, 32, 64, 64);
        FeedForwardBlock moe = MixtureOfExperts.of(16, 4, 128).withSharedExperts(128);
        return base("tiny-deepseek2", "deepseek2", 1000)
                .addLayer(Layer.of(mla, DenseFeedForward.gated(768)))
                .addLayers(3, Layer.of(mla, moe))
                .addNextTokenPredictionLayer(Layer.of(mla, moe)).build();
    }

    static ModelSpec glm4Moe() {
        MixerBlock attention = new FullAttention(8, 2, 64, 64, false, false, true);
        FeedForwardBlock moe = MixtureOfExperts.of(16, 4, 128).withSharedExperts(128);
        return base("tiny-glm4moe", "glm4moe", 1000)
                .addLayer(Layer.of(attention, DenseFeedForward.gated(768)))
                .addLayers(3, Layer.of(attention, moe))
                .addNextTokenPredictionLayer(Layer.of(attention, moe)).build();
    }

    static ModelSpec phi3() {
        return base("tiny-phi3", "phi3", 1000)
                .addLayers(3, Layer.of(FullAttention.of(8, 8, 32), DenseFeedForward.gated(512))).build();
    }

    static ModelSpec mamba2() {
        return base("tiny-mamba2", "mamba2", 1000).tiedEmbeddings(true)
                .addLayers(4, Layer.of(new Mamba2(8, 64, 64, 1, 4), NoFeedForward.INSTANCE)).build();
    }

    static ModelSpec nemotronH() {
        Layer mamba = Layer.of(new Mamba2(8, 64, 32, 2, 4), NoFeedForward.INSTANCE);
        Layer attention = Layer.of(FullAttention.of(8, 2, 32), NoFeedForward.INSTANCE);
        Layer mlp = Layer.of(NoAttention.INSTANCE, new DenseFeedForward(768, false));
        return base("tiny-nemotron-h", "nemotron_h", 1000)
                .addLayer(mamba).addLayer(mlp).addLayer(mamba).addLayer(attention).addLayer(mlp).addLayer(mamba)
                .addLayer(mlp).build();
    }

    static ModelSpec graniteHybrid() {
        Layer mamba = Layer.of(new Mamba2(8, 64, 32, 1, 4), DenseFeedForward.gated(512));
        Layer attention = Layer.of(FullAttention.of(8, 2, 32), DenseFeedForward.gated(512));
        ModelSpec.Builder b = base("tiny-granite-h", "granitehybrid", 1000);
        for (int i = 0; i < 8; i++) {
            b.addLayer(i % 4 == 3 ? attention : mamba);
        }
        return b.build();
    }

    /** MiniMax-M2's layout: Q wider than the hidden size, whole-projection QK norms, experts with a router bias. */
    static ModelSpec miniMaxM2() {
        return base("tiny-minimax-m2", "minimax-m2", 1000)
                .addLayers(3, Layer.of(FullAttention.of(8, 2, 64).withQkNorm(), MixtureOfExperts.of(16, 4, 128)))
                .build();
    }

    /** OLMo 3's layout (llama.cpp's olmo2): post-norms, whole-projection QK norms, three sliding layers in four. */
    static ModelSpec olmo3() {
        ModelSpec.Builder b = base("tiny-olmo3", "olmo2", 1000);
        for (int i = 0; i < 8; i++) {
            MixerBlock a = (i + 1) % 4 == 0 ? FullAttention.of(8, 2, 32).withQkNorm()
                    : SlidingWindowAttention.of(8, 2, 32, 512).withQkNorm();
            b.addLayer(Layer.of(a, DenseFeedForward.gated(512)));
        }
        return b.build();
    }

    /** Granite 3.x dense: the Llama layout with tied embeddings (its multipliers are metadata only). */
    static ModelSpec granite() {
        return base("tiny-granite", "granite", 1000).tiedEmbeddings(true)
                .addLayers(4, Layer.of(FullAttention.of(8, 2, 32), DenseFeedForward.gated(768))).build();
    }

    /**
     * Llama 4's layout: chunked attention (8192) on layers 0-2, full on layer 3; experts on every second layer
     * ({@code interleave_moe_layer_step} 2), each with one shared expert as wide as a routed one; dense elsewhere.
     */
    static ModelSpec llama4() {
        MixtureOfExperts moe = MixtureOfExperts.of(4, 1, 256).withSharedExperts(256);
        ModelSpec.Builder b = base("tiny-llama4", "llama4", 1000);
        for (int i = 0; i < 4; i++) {
            MixerBlock a = i % 4 < 3 ? SlidingWindowAttention.of(8, 2, 32, 8192) : FullAttention.of(8, 2, 32);
            b.addLayer(Layer.of(a, (i + 1) % 2 == 0 ? moe : DenseFeedForward.gated(768)));
        }
        return b.build();
    }

    /**
     * Llama 4 with chunking turned off (a stated window of 0) and 128 experts, as the 17B-128E model counts them: no
     * Q/K norm, and only the last layer without RoPE; experts on every layer, two per token.
     */
    static ModelSpec llama4Unchunked128Experts() {
        MixtureOfExperts moe = MixtureOfExperts.of(128, 2, 64).withSharedExperts(64);
        return base("tiny-llama4-128e", "llama4", 1000).addLayers(2, Layer.of(FullAttention.of(8, 2, 32), moe))
                .build();
    }

    /** SmolLM3: the Llama layout with tied embeddings (no RoPE on every fourth layer changes no tensor). */
    static ModelSpec smolLm3() {
        return base("tiny-smollm3", "smollm3", 1000).tiedEmbeddings(true)
                .addLayers(4, Layer.of(FullAttention.of(8, 2, 32), DenseFeedForward.gated(512))).build();
    }

    /** Command R7B's layout: one norm per layer, tied embeddings, three sliding layers in four. */
    static ModelSpec cohere2() {
        ModelSpec.Builder b = base("tiny-cohere2", "cohere2", 1000).tiedEmbeddings(true);
        for (int i = 0; i < 8; i++) {
            MixerBlock a = (i + 1) % 4 == 0 ? FullAttention.of(8, 2, 32) : SlidingWindowAttention.of(8, 2, 32, 512);
            b.addLayer(Layer.of(a, DenseFeedForward.gated(768)));
        }
        return b.build();
    }
}
