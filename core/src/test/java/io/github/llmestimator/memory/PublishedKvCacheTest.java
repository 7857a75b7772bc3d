package io.github.llmestimator.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.llmestimator.testing.ReferenceModels;
import org.junit.jupiter.api.Test;

/**
 * KV cache, recurrent state and compute buffers against llama.cpp load logs (each named where it is used). llama.cpp prints MiB with two decimals.
 */
final class PublishedKvCacheTest {

    private static final double MIB = 1 << 20;

    /** A two-decimal print covers +-0.005 MiB; C's printf rounds an exact half (1166.625) to even (1166.62). */
    private static void assertMiB(double expected, long bytes) {
        assertEquals(expected, bytes / MIB, 0.005 + 1e-9, () -> bytes + " bytes = " + bytes / MIB + " MiB");
    }

    /**
     * ik_llama.cpp issue 437 (mainline build e3a9421b): Llama-3.1-8B, n_ctx 4096, f16: "KV self size = 512.00 MiB".
     * 32 layers x 4096 cells x (8 x 128 K + 8 x 128 V) x 2 B = 536870912 B = 512 MiB. That run printed "CPU compute
     * buffer size = 296.01 MiB" with flash attention off; llama.cpp v0.4.0 (CPU, the oracle's build, on a file of
     * Llama-3.1-8B's widths) allocates 322971648 B = 308.01 MiB, as its graph also keeps the F32 mask (4 x 512 x 4096)
     * and Q, K, V beside the scores: 4 x 512 x (4096 x 33 + 4096 + 1024 + 1024 + 4 x 4096) = 307.9999 MiB, plus the
     * allocator's leftovers. Checked to the byte.
     */
    @Test
    void llama31_8b_context4096() {
        ContextMemory memory = ContextMemory.of(ReferenceModels.llama31_8b(),
                ContextSettings.defaults(4096).withFlashAttention(false));
        assertMiB(512.00, memory.kvCacheBytes());
        assertEquals(322_971_648L, memory.computeBufferBytes());
    }

    /**
     * A Llama-3-8B load log, n_ubatch 512 (the case Ollama's {@code fs/ggml/ggml.go} GraphSize sizes the same way): "CUDA0 compute buffer size = 258.50 MiB" at n_ctx 512 and 560.00 MiB
     * at n_ctx 8192 without flash attention, from an older build; llama.cpp v0.4.0 (CPU) allocates 279447552 B =
     * 266.50 MiB at 512 with flash attention (the output stage 4 x 512 x (128256 + 2 x 4096)) and 599795712 B = 572.01
     * MiB at 8192 without (4 x 512 x (8192 x 33 + 22528)). KV at 8192, f16 = 1024.00 MiB. Output buffer 4 x 128256 B =
     * 0.49 MiB.
     */
    @Test
    void llama3_8b_computeBuffers() {
        ContextMemory small = ContextMemory.of(ReferenceModels.llama31_8b(), ContextSettings.defaults(512));
        assertEquals(279_447_552L, small.computeBufferBytes());
        assertMiB(0.49, small.outputBufferBytes());
        ContextMemory large = ContextMemory.of(ReferenceModels.llama31_8b(),
                ContextSettings.defaults(8192).withFlashAttention(false));
        assertEquals(599_795_712L, large.computeBufferBytes());
        assertMiB(1024.00, large.kvCacheBytes());
    }

    /**
     * ik_llama.cpp issue 539: Qwen3-32B, n_ctx 40960, f16: 10240.00 MiB = 64 layers x 40960 x 2 x 8 x 128 x 2 B.
     */
    @Test
    void qwen3_32b_context40960() {
        ContextMemory memory = ContextMemory.of(ReferenceModels.qwen3_32b(), ContextSettings.defaults(40960));
        assertMiB(10240.00, memory.kvCacheBytes());
    }

    /**
     * ik_llama.cpp issue 539: gemma-3-27b, n_ctx 131072, f16, every layer cached over the full context (that fork has no
     * sliding-window cache; here --swa-full): 62 x 131072 x 2 x 16 x 128 x 2 B = 63488.00 MiB.
     */
    @Test
    void gemma3_27b_fullSlidingWindowCache() {
        ContextMemory memory = ContextMemory.of(ReferenceModels.gemma3_27b(),
                ContextSettings.defaults(131072).withFullSlidingWindowCache(true));
        assertMiB(63488.00, memory.kvCacheBytes());
    }

    /**
     * A public llama.cpp log of gpt-oss-20b (Apple M5, Metal, ~2025-12), n_ctx 131072, f16: non-SWA cache 3072.00 MiB
     * (12 layers x 131072 x 2 x 8 x 64 x 2 B) and SWA cache 54.00 MiB for 2304 cells. 2304 = PAD(128 + n_ubatch, 256)
     * holds for n_ubatch in 1921..2176, so that run used -ub 2048: 12 x 2304 x 2048 B = 54 MiB.
     */
    @Test
    void gptOss20b_slidingWindowCells() {
        ContextMemory memory = ContextMemory.of(ReferenceModels.gptOss20b(),
                ContextSettings.defaults(131072).withBatchTokens(2048, 2048));
        assertMiB(3072.00, memory.fullAttentionKvBytes());
        assertMiB(54.00, memory.slidingWindowKvBytes());
        assertEquals(2304, memory.slidingWindowCells());
    }

    /**
     * ik_llama.cpp PR 259: DeepSeek-R1, n_ctx 32768, q8_0 MLA latent cache: 1166.62 MiB =
     * 61 layers x 32768 x (576 / 32 x 34) B. With f16 the latent costs 576 x 2 = 1152 B per token per layer
     * (llama-hparams.cpp, an MLA layer's key length).
     */
    @Test
    void deepSeekR1_latentCache() {
        ContextMemory q8 = ContextMemory.of(ReferenceModels.deepSeekR1(),
                ContextSettings.defaults(32768).withCacheTypes(KvCacheType.Q8_0, KvCacheType.Q8_0));
        assertMiB(1166.62, q8.kvCacheBytes());
        ContextMemory f16 = ContextMemory.of(ReferenceModels.deepSeekR1(), ContextSettings.defaults(256));
        assertEquals(61L * 256 * 1152, f16.kvCacheBytes());
    }

    /**
     * A public llama.cpp log of a Qwen3.5-27B fine-tune (qwen35, 64 layers), n_ctx 24576, f16, 1 sequence: KV 1536.00
     * MiB over 16 attention layers (16 x 24576 x 2 x 4 x 256 x 2 B), recurrent state R 5.62 MiB + S 144.00 MiB over 48
     * DeltaNet layers: R = 48 x 3 x (2 x 16 x 128 + 48 x 128) x 4 B = 5.625 MiB, S = 48 x 128 x 48 x 128 x 4 B = 144 MiB.
     */
    @Test
    void qwen35_27b_hybridMemory() {
        ContextMemory memory = ContextMemory.of(ReferenceModels.qwen35_27b(), ContextSettings.defaults(24576));
        assertMiB(1536.00, memory.kvCacheBytes());
        assertEquals(5.62 + 144.00, memory.recurrentStateBytes() / MIB, 0.01);
    }

    /** Qwen3-Next-80B-A3B: 24 KiB per token (12 layers x 2 x 2 x 256 x 2 B) + 75.4 MiB of state. */
    @Test
    void qwen3Next_perTokenAndState() {
        ContextMemory memory = ContextMemory.of(ReferenceModels.qwen3Next_80b(), ContextSettings.defaults(1024));
        assertEquals(1024L * 24 * 1024, memory.kvCacheBytes());
        // 36 x ((3 x (2 x 16 x 128 + 32 x 128)) + 128 x 32 x 128) x 4 B = 36 x (24576 + 524288) x 4 B = 75.375 MiB
        assertEquals(36L * (24576 + 524288) * 4, memory.recurrentStateBytes());
    }
}
