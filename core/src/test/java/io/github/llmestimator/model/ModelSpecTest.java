package io.github.llmestimator.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.llmestimator.testing.ReferenceModels;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

final class ModelSpecTest {

    /**
     * Llama-3.1-8B: llama.cpp prints "model params = 8.03 B" (ik_llama.cpp issue 437). By hand: embeddings and output
     * 2 x 128256 x 4096 = 1050673152; per layer q 4096^2 + k,v 2 x 4096 x 1024 + o 4096^2 + 3 x 4096 x 14336 + 2 norms
     * x 4096 = 218112000; 32 layers = 6979584000; + output norm 4096 = 8030261248.
     */
    @Test
    void parameters_llama8b() {
        ModelSpec m = ReferenceModels.llama31_8b();
        assertEquals(8030261248L, m.totalParameters());
        assertEquals(8030261248L - 128256L * 4096 + 4096, m.activeParameters());
        // 3 global tensors + 9 per layer (2 norms, q, k, v, o, gate, up, down); the GGUF adds rope_freqs
        assertEquals(3 + 32 * 9, m.tensors().size());
    }

    /**
     * MiniMax-M2 (config.json: hidden 3072, 62 layers, 48 x 128 query and 8 x 128 KV heads, 256 experts of 1536, top
     * 8, vocabulary 200064, untied). By hand, per layer: q and o 2 x 3072 x 6144 + k and v 2 x 3072 x 1024 = 44040192;
     * norms: attn and ffn 2 x 3072, attn_q_norm over the whole Q 6144, attn_k_norm over the whole K 1024 = 13312;
     * router 3072 x 256 + exp_probs_b 256 = 786688; experts 256 x 3 x 3072 x 1536 = 3623878656; 3668718848 per
     * layer, 62 layers 227460568576; embeddings and output 2 x 200064 x 3072 = 1229193216; output norm 3072:
     * 228689764864 (the card: 230B). Active: 8 experts of 14155776 per layer, so 62 x 158086400 = 9801356800 in the
     * layers (the card: 10B), plus one embedding row, the output and its norm: 10415959552.
     */
    @Test
    void parameters_miniMaxM2() {
        ModelSpec m = ModelSpec.builder("MiniMax-M2").architecture("minimax-m2").hiddenSize(3072)
                .vocabularySize(200064).maxContextTokens(196608)
                .addLayers(62, Layer.of(FullAttention.of(48, 8, 128).withQkNorm(), MixtureOfExperts.of(256, 8, 1536)))
                .build();
        assertEquals(228689764864L, m.totalParameters());
        assertEquals(10415959552L, m.activeParameters());
        assertEquals(List.of(6144L, 1024L, 256L), m.tensors().stream()
                .filter(t -> t.name().startsWith("blk.0.attn_q_norm") || t.name().startsWith("blk.0.attn_k_norm")
                        || t.name().startsWith("blk.0.exp_probs_b"))
                .map(Tensor::ne0).toList());
    }

    /**
     * OLMo 2's layer as llama.cpp's olmo2 loader creates it (src/models/olmo2.cpp): no input norms, a norm after each
     * block, Q and K norms over the whole projection (8 x 32 = 256 and 2 x 32 = 64 here, not 32).
     */
    @Test
    void tensors_olmo2() {
        ModelSpec m = ModelSpec.builder("tiny-olmo2").architecture("olmo2").hiddenSize(256).vocabularySize(1000)
                .maxContextTokens(4096)
                .addLayers(2, Layer.of(FullAttention.of(8, 2, 32).withQkNorm(), DenseFeedForward.gated(512))).build();
        List<String> layer0 = m.tensors().stream().filter(t -> t.layer().equals(OptionalInt.of(0)))
                .map(t -> t.name().substring("blk.0.".length()) + "=" + t.ne0()).sorted().toList();
        assertEquals(List.of("attn_k.weight=256", "attn_k_norm.weight=64", "attn_output.weight=256",
                "attn_q.weight=256", "attn_q_norm.weight=256", "attn_v.weight=256", "ffn_down.weight=512",
                "ffn_gate.weight=256", "ffn_up.weight=256", "post_attention_norm.weight=256",
                "post_ffw_norm.weight=256"), layer0);
    }

    /**
     * Command R7B's shapes (hidden 4096, 32 layers, 32 query and 8 KV heads of 128, SwiGLU 14336, vocabulary 256000,
     * tied): one norm per layer, as llama.cpp's cohere2 loader creates it. By hand per layer: q and o 2 x 4096^2 + k and
     * v 2 x 4096 x 1024 = 41943040; SwiGLU 3 x 4096 x 14336 = 176160768; attn_norm 4096; 218107904 per layer, 32
     * layers 6979452928; embeddings 256000 x 4096 = 1048576000 (no output tensor); output norm 4096: 8028033024.
     */
    @Test
    void parameters_cohere2() {
        ModelSpec.Builder b = ModelSpec.builder("Command R7B").architecture("cohere2").hiddenSize(4096)
                .vocabularySize(256000).maxContextTokens(131072).tiedEmbeddings(true);
        for (int i = 0; i < 32; i++) {
            MixerBlock a = (i + 1) % 4 == 0 ? FullAttention.of(32, 8, 128)
                    : SlidingWindowAttention.of(32, 8, 128, 4096);
            b.addLayer(Layer.of(a, DenseFeedForward.gated(14336)));
        }
        ModelSpec m = b.build();
        assertEquals(8028033024L, m.totalParameters());
        assertTrue(m.tensors().stream().noneMatch(t -> t.name().endsWith("ffn_norm.weight")));
    }

    /** llama-bench prints 20.91 B for gpt-oss-20b (llama.cpp benches/dgx-spark.md). */
    @Test
    void parameters_gptOss20b() {
        assertEquals(20.91e9, ReferenceModels.gptOss20b().totalParameters(), 0.005e9);
    }

    /** DeepSeek-V3/R1: 671B total and 37B activated per the model card (MTP module not counted). */
    @Test
    void parameters_deepSeek() {
        ModelSpec m = ReferenceModels.deepSeekR1();
        assertEquals(671e9, m.totalParameters(), 0.01 * 671e9);
        assertEquals(37e9, m.activeParameters(), 0.03 * 37e9);
    }

    /** llama.cpp prints 79.67 B for Qwen3-Next-80B-A3B (issue 18140). */
    @Test
    void parameters_qwen3Next() {
        assertEquals(79.67e9, ReferenceModels.qwen3Next_80b().totalParameters(), 0.005e9);
    }

    @Test
    void builder_missingSettings() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> ModelSpec.builder("x").hiddenSize(64).vocabularySize(10).maxContextTokens(10).build());
        assertEquals("architecture: not set (expected: a value before build())", e.getMessage());
        IllegalStateException noLayers = assertThrows(IllegalStateException.class, () -> ModelSpec.builder("x")
                .architecture("llama").hiddenSize(64).vocabularySize(10).maxContextTokens(10).build());
        assertEquals("layers: none added (expected: at least one layer)", noLayers.getMessage());
    }

    @Test
    void builder_badValues() {
        assertEquals("hiddenSize: 0 (expected: >= 1)", assertThrows(IllegalArgumentException.class,
                () -> ModelSpec.builder("x").hiddenSize(0)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> ModelSpec.builder(" "));
        assertThrows(NullPointerException.class, () -> ModelSpec.builder(null));
        assertThrows(IllegalArgumentException.class, () -> ModelSpec.builder("x").addLayers(0, null));
    }

    @Test
    void window_largerThanContext() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ModelSpec.builder("x")
                .architecture("gemma2").hiddenSize(256).vocabularySize(100).maxContextTokens(2048)
                .addLayer(Layer.of(SlidingWindowAttention.of(4, 2, 64, 4096), DenseFeedForward.gated(512))).build());
        assertEquals("sliding window of layer 0: 4096 (expected: <= maxContextTokens = 2048)", e.getMessage());
    }

    @Test
    void blocks_badValues() {
        assertEquals("kvHeads: 3 (expected: a divisor of heads = 32)", assertThrows(IllegalArgumentException.class,
                () -> FullAttention.of(32, 3, 128)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> FullAttention.of(-1, 1, 128));
        assertThrows(IllegalArgumentException.class, () -> MixtureOfExperts.of(8, 9, 128));
        assertThrows(IllegalArgumentException.class, () -> new GatedDeltaNet(16, 20, 128, 128, 4));
        assertThrows(IllegalArgumentException.class, () -> new Mamba2(64, 64, 128, 3, 4));
        assertThrows(IllegalArgumentException.class, () -> Layer.of(NoAttention.INSTANCE, NoFeedForward.INSTANCE));
        assertThrows(NullPointerException.class, () -> Layer.of(null, NoFeedForward.INSTANCE));
    }

    @Test
    void layers_areCopied() {
        List<Layer> mine = new ArrayList<>();
        ModelSpec.Builder builder = ModelSpec.builder("x").architecture("llama").hiddenSize(256).vocabularySize(100)
                .maxContextTokens(2048);
        Layer layer = Layer.of(FullAttention.of(4, 2, 64), DenseFeedForward.gated(512));
        builder.addLayer(layer);
        ModelSpec spec = builder.build();
        builder.addLayer(layer);
        mine.add(layer);
        assertEquals(1, spec.layers().size());
        assertThrows(UnsupportedOperationException.class, () -> spec.layers().add(layer));
        assertTrue(spec.equals(ModelSpec.builder("x").architecture("llama").hiddenSize(256).vocabularySize(100)
                .maxContextTokens(2048).addLayer(layer).build()));
    }

    @Test
    void layers_atMostLlamaCppsLimit() {
        ModelSpec.Builder builder = ModelSpec.builder("x").architecture("llama").hiddenSize(256).vocabularySize(100)
                .maxContextTokens(2048);
        Layer layer = Layer.of(FullAttention.of(4, 2, 64), DenseFeedForward.gated(512));
        // before the bound, this appended copies of the layer until the heap ran out
        IllegalArgumentException huge = assertThrows(IllegalArgumentException.class,
                () -> builder.addLayers(Integer.MAX_VALUE, layer));
        assertEquals("count: 2147483647 more layers after 0 (expected: at most 512 layers in all, llama.cpp's"
                + " LLAMA_MAX_LAYERS)", huge.getMessage());
        // 511 trunk layers and one MTP layer make 512: allowed; then one more of either kind is not
        builder.addLayers(511, layer).addNextTokenPredictionLayer(layer);
        assertEquals(512, builder.build().layers().size() + builder.build().nextTokenPredictionLayers().size());
        IllegalArgumentException one = assertThrows(IllegalArgumentException.class, () -> builder.addLayer(layer));
        assertEquals("layer: 1 more layer after 512 (expected: at most 512 layers in all, llama.cpp's"
                + " LLAMA_MAX_LAYERS)", one.getMessage());
        assertThrows(IllegalArgumentException.class, () -> builder.addNextTokenPredictionLayer(layer));
        assertThrows(IllegalArgumentException.class, () -> builder.addLayers(1, layer));
    }

    /** Before: a negative layer named tensors blk.-1, and a zero hidden size or dimension was reported as a shape. */
    @Test
    void tensorArguments_nameTheParameter() {
        IllegalArgumentException layer = assertThrows(IllegalArgumentException.class,
                () -> FullAttention.of(32, 8, 128).tensors(-1, 4096));
        assertEquals("layer: -1 (expected: 0 to 511, a layer of a spec)", layer.getMessage());
        IllegalArgumentException hidden = assertThrows(IllegalArgumentException.class,
                () -> DenseFeedForward.gated(14336).tensors(0, 0));
        assertEquals("hiddenSize: 0 (expected: >= 1)", hidden.getMessage());
        IllegalArgumentException ne1 = assertThrows(IllegalArgumentException.class,
                () -> new Tensor("t", TensorRole.ATTENTION, OptionalInt.of(0), 2, 4096, 0, 1));
        assertEquals("ne1: 0 (expected: >= 1, in tensor t)", ne1.getMessage());
        IllegalArgumentException negativeLayer = assertThrows(IllegalArgumentException.class,
                () -> new Tensor("t", TensorRole.ATTENTION, OptionalInt.of(-1), 1, 4096, 1, 1));
        assertEquals("layer: -1 (expected: >= 0, or empty for a tensor outside the layers)", negativeLayer.getMessage());
        // the embeddings and the output belong to no layer (they were -1 before layer() became an OptionalInt)
        ModelSpec small = ModelSpec.builder("m").architecture("llama").hiddenSize(64).vocabularySize(100)
                .maxContextTokens(128).addLayer(Layer.of(FullAttention.of(4, 4, 16), DenseFeedForward.gated(128)))
                .build();
        assertEquals(OptionalInt.empty(), small.tensors().get(0).layer());
        // (2^63 - 1) / 2 / 1 = 4611686018427387903 rows of 2 fit; 2^62 do not
        IllegalArgumentException overflow = assertThrows(IllegalArgumentException.class,
                () -> new Tensor("t", TensorRole.ATTENTION, OptionalInt.of(0), 2, 1L << 62, 2, 1));
        assertEquals("ne0: 4611686018427387904 (expected: at most 4611686018427387903, so that t's element count with"
                + " ne1 = 2 and ne2 = 1 fits a long)", overflow.getMessage());
        assertEquals("headDim", assertThrows(IllegalArgumentException.class, () -> FullAttention.of(32, 8, 0))
                .getMessage().substring(0, "headDim".length()));
    }

    @Test
    void maxContextTokens_paddableToAnInt() {
        // the largest multiple of 256 below 2^31: 2147483647 / 256 = 8388607, times 256 = 2147483392
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ModelSpec.builder("x").maxContextTokens(Integer.MAX_VALUE));
        assertEquals("maxContextTokens: 2147483647 (expected: 1 to 2147483392, so that llama.cpp's padding of the"
                + " context to 256 stays an int)", e.getMessage());
    }
}
