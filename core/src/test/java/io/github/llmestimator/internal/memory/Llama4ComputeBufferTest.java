package io.github.llmestimator.internal.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.llmestimator.memory.ContextSettings;
import io.github.llmestimator.model.DenseFeedForward;
import io.github.llmestimator.model.FullAttention;
import io.github.llmestimator.model.Layer;
import io.github.llmestimator.model.MixerBlock;
import io.github.llmestimator.model.MixtureOfExperts;
import io.github.llmestimator.model.ModelSpec;
import io.github.llmestimator.model.SlidingWindowAttention;
import org.junit.jupiter.api.Test;

/**
 * Llama 4's compute buffer against what llama.cpp v0.4.0 reserved for the same small files, as the llama.cpp oracle
 * ({@code .ci/oracle}) printed it in its context table (hidden 256, 8 heads of 32 with 2 KV heads, vocabulary 1,000,
 * one micro-batch of 512 tokens, one sequence, F16 cache). The two files cover the branches of
 * {@code src/models/llama4.cpp}: chunked attention with Q/K norm and a NoPE layer every fourth, and chunking turned off
 * with 128 experts (no Q/K norm, only the last layer without RoPE).
 */
final class Llama4ComputeBufferTest {

    /** Layers 0-2 chunked (8,192), layer 3 full; experts (4, one per token, one shared) on layers 1 and 3. */
    private static ModelSpec chunked() {
        MixtureOfExperts moe = MixtureOfExperts.of(4, 1, 256).withSharedExperts(256);
        ModelSpec.Builder b = ModelSpec.builder("tiny-llama4").architecture("llama4").hiddenSize(256)
                .vocabularySize(1000).maxContextTokens(8192);
        for (int i = 0; i < 4; i++) {
            MixerBlock a = i < 3 ? SlidingWindowAttention.of(8, 2, 32, 8192) : FullAttention.of(8, 2, 32);
            b.addLayer(Layer.of(a, i % 2 == 1 ? moe : DenseFeedForward.gated(768)));
        }
        return b.build();
    }

    /** Two full-attention layers, each with 128 experts of 64 (two per token) and a shared one. */
    private static ModelSpec unchunked128Experts() {
        MixtureOfExperts moe = MixtureOfExperts.of(128, 2, 64).withSharedExperts(64);
        return ModelSpec.builder("tiny-llama4-128e").architecture("llama4").hiddenSize(256).vocabularySize(1000)
                .maxContextTokens(8192).addLayers(2, Layer.of(FullAttention.of(8, 2, 32), moe)).build();
    }

    private static long computeBuffer(ModelSpec model, int context, boolean flash) {
        return ComputeGraph.bytes(model, ContextSettings.defaults(context).withFlashAttention(flash));
    }

    @Test
    void chunkedAttention_equalsLlamaCpp() {
        // llama.cpp: 15,228,928 B (flash attention), 87,048,192 B (without) at 4,096 cells; 1,312,309,248 B
        // without flash attention at 70,000 cells, where the full layer's scores of 512 tokens x 70,144 cells x 8
        // heads in F32 (1,149,239,296 B) dominate
        assertEquals(15_228_928L, computeBuffer(chunked(), 4096, true));
        assertEquals(87_048_192L, computeBuffer(chunked(), 4096, false));
        assertEquals(87_580_672L, computeBuffer(chunked(), 70_000, true));
        assertEquals(1_312_309_248L, computeBuffer(chunked(), 70_000, false));
    }

    @Test
    void unchunked128Experts_equalsLlamaCpp() {
        assertEquals(7_880_704L, computeBuffer(unchunked128Experts(), 4096, true));
        assertEquals(78_393_344L, computeBuffer(unchunked128Experts(), 4096, false));
        assertEquals(75_513_856L, computeBuffer(unchunked128Experts(), 70_000, true));
        assertEquals(1_295_790_080L, computeBuffer(unchunked128Experts(), 70_000, false));
    }
}
