package io.github.llmestimator.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.llmestimator.Estimator;
import io.github.llmestimator.hardware.Device;
import io.github.llmestimator.hardware.DeviceKind;
import io.github.llmestimator.memory.ContextSettings;
import io.github.llmestimator.memory.DataSize;
import io.github.llmestimator.memory.KvCacheType;
import io.github.llmestimator.model.DenseFeedForward;
import io.github.llmestimator.model.FullAttention;
import io.github.llmestimator.model.Layer;
import io.github.llmestimator.model.ModelSpec;
import io.github.llmestimator.model.SlidingWindowAttention;
import io.github.llmestimator.quant.QuantScheme;
import org.junit.jupiter.api.Test;

/**
 * The runtimes' arithmetic on a model small enough to count by hand: hidden 256, vocabulary 1000, two layers of 8
 * query and 2 key-value heads of 32 with a gated feed-forward of 512, untied. One token's 16-bit cache is K and V of
 * 2 heads x 32 in 2 layers: 2 x 2 x 64 x 2 bytes = 512 bytes.
 */
final class RuntimeTest {

    private static final ModelSpec TINY = ModelSpec.builder("tiny").architecture("llama").hiddenSize(256)
            .vocabularySize(1000).maxContextTokens(4096)
            .addLayers(2, Layer.of(FullAttention.of(8, 2, 32), DenseFeedForward.gated(512))).build();

    /**
     * vLLM at utilization 0.5 on 10,000,000 bytes, blocks of 16, profiling 100 tokens and 4 sequences, 1,000 bytes of
     * non-torch memory, 1,000,000 bytes of weights. Budget 5,000,000; the forward stage holds 100 x 2 x (3 x 512 +
     * 3 x 256) = 460,800 bytes, more than the sampler stage's 4 x 1000 x 39 = 156,000, so the activation is 460,800;
     * left 5,000,000 - 1,000,000 - 460,800 - 1,000 = 3,538,200; a block is 16 x 512 = 8,192 bytes, 431 blocks (432
     * would take 3,538,944): 6,896 tokens, 6.896 requests of 1,000.
     */
    @Test
    void vllm_oneGpu() {
        Vllm vllm = new Vllm(0.5, 16, 100, 4, 2, 1000, 0);
        PagedPool pool = vllm.pool(TINY, 1_000_000, 10_000_000, "GPU", 1, 1000);
        assertEquals(5_000_000, pool.budgetBytes());
        assertEquals(460_800, pool.activationBytes());
        assertEquals(3_538_200, pool.kvCacheBytes());
        assertEquals(512, pool.bytesPerToken());
        assertEquals(6896, pool.tokens());
        assertEquals(6.896, pool.maxConcurrency(), 1e-12);
        assertTrue(pool.fits());
    }

    /**
     * A short profiling run (10 tokens: 10 x 2 x 2,304 = 46,080 bytes in the forward stage) on 8 sequences leaves the
     * sampler stage the larger, 8 x 1000 x 39 = 312,000 bytes. Left 5,000,000 - 1,000,000 - 312,000 - 1,000 =
     * 3,687,000: 450 blocks of 8,192 (451 take 3,694,592), 7,200 tokens.
     */
    @Test
    void vllm_samplerStagePeak() {
        PagedPool pool = new Vllm(0.5, 16, 10, 8, 2, 1000, 0).pool(TINY, 1_000_000, 10_000_000, "GPU", 1, 1000);
        assertEquals(312_000, pool.activationBytes());
        assertEquals(7200, pool.tokens());
    }

    /**
     * Two GPUs: each holds half the weights (500,000), half the feed-forward width in the forward stage
     * (100 x 2 x (3 x 256 + 3 x 256) = 307,200, more than the sampler's 156,000) and one of the two key-value heads
     * (256 bytes per token). Left 5,000,000 - 500,000 - 307,200 - 1,000 = 4,191,800; blocks of 4,096: 1,023 (1,024
     * take 4,194,304), 16,368 tokens. Four GPUs still cut the cache only in two, as there are two heads to share.
     */
    @Test
    void vllm_tensorParallel() {
        Vllm vllm = new Vllm(0.5, 16, 100, 4, 2, 1000, 0);
        PagedPool pool = vllm.pool(TINY, 1_000_000, 10_000_000, "GPU", 2, 1000);
        assertEquals(500_000, pool.weightBytes());
        assertEquals(307_200, pool.activationBytes());
        assertEquals(256, pool.bytesPerToken());
        assertEquals(16_368, pool.tokens());
        assertEquals(256, vllm.pool(TINY, 1_000_000, 10_000_000, "GPU", 4, 1000).bytesPerToken());
    }

    /** An fp8 cache halves a token (256 bytes); the CUDA reserve comes off the card before the share is taken. */
    @Test
    void vllm_fp8CacheAndReserve() {
        Vllm vllm = new Vllm(0.5, 16, 100, 4, 1, 1000, 2_000_000);
        PagedPool pool = vllm.pool(TINY, 1_000_000, 12_000_000, "GPU", 1, 1000);
        assertEquals(256, pool.bytesPerToken());
        assertEquals(10_000_000, pool.deviceMemoryBytes());
        assertEquals(5_000_000, pool.budgetBytes());
    }

    /** Weights beyond the share leave nothing: no blocks, and one request does not fit. */
    @Test
    void vllm_nothingLeft() {
        PagedPool pool = new Vllm(0.5, 16, 100, 4, 2, 1000, 0).pool(TINY, 6_000_000, 10_000_000, "GPU", 1, 1000);
        assertTrue(pool.kvCacheBytes() < 0);
        assertEquals(0, pool.tokens());
        assertFalse(pool.fits());
    }

    /** vLLM's defaults for the profiling run: 8192 tokens and 1024 sequences from 70 GiB, except on an A100. */
    @Test
    void vllm_profileDefaultsByGpu() {
        assertEquals(2048, Vllm.defaultMaxNumBatchedTokens(24L << 30, "RTX 4090"));
        assertEquals(8192, Vllm.defaultMaxNumBatchedTokens(80L << 30, "H100 SXM"));
        assertEquals(2048, Vllm.defaultMaxNumBatchedTokens(80L << 30, "NVIDIA A100 80GB"));
        assertEquals(256, Vllm.defaultMaxNumSeqs(24L << 30, "RTX 4090"));
        assertEquals(1024, Vllm.defaultMaxNumSeqs(80L << 30, "H100 SXM"));
    }

    @Test
    void vllm_refusesSlidingWindows() {
        ModelSpec windowed = ModelSpec.builder("windowed").architecture("gemma2").hiddenSize(256).vocabularySize(1000)
                .maxContextTokens(4096)
                .addLayers(2, Layer.of(SlidingWindowAttention.of(8, 2, 32, 512), DenseFeedForward.gated(512)))
                .build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Runtime.vllm().pool(windowed, 0, 1L << 30, "GPU", 1, 1000));
        assertTrue(e.getMessage().contains("sliding window"), e.getMessage());
    }

    /**
     * SGLang at fraction 0.8 on 10,000,000 bytes with 100,000 bytes of context: the fraction applies to the
     * 9,900,000 bytes free before loading, 7,920,000, less 1,000,000 of weights = 6,920,000 for the pool, 13,515 tokens
     * of 512 bytes (13,516 would take 6,920,192). A GPU no larger than the context is refused.
     */
    @Test
    void sglang_pool() {
        PagedPool pool = new SgLang(0.8, 2, 100_000).pool(TINY, 1_000_000, 10_000_000, 1, 1000);
        assertEquals(6_920_000, pool.kvCacheBytes());
        assertEquals(8_000_000, pool.budgetBytes());
        assertEquals(80_000, pool.otherBytes());
        assertEquals(0, pool.activationBytes());
        assertEquals(13_515, pool.tokens());
        assertThrows(IllegalArgumentException.class,
                () -> new SgLang(0.8, 2, 100_000).pool(TINY, 1_000_000, 100_000, 1, 1000));
    }

    /** MLX: 4 bits with a 16-bit scale and bias per 64 weights is 4.5 bits, 36 bytes a group; 8 bits per 32 is 9. */
    @Test
    void mlx_groupArithmetic() {
        assertEquals(4.5, Runtime.mlx().bitsPerWeight(), 0);
        assertEquals(9.0, new Mlx(8, 32).bitsPerWeight(), 0);
        assertEquals(36, Runtime.mlx().quantizedBytes(64));
        assertEquals(72, Runtime.mlx().quantizedBytes(65));
        assertThrows(IllegalArgumentException.class, () -> new Mlx(4, 48));
    }

    /**
     * The tiny model's matrices all have rows of 256 or 512, which 64 divides: per layer q and o 256 x 256, k and v
     * 256 x 64, gate, up and down 256 x 512: 65,536 x 2 + 16,384 x 2 + 131,072 x 3 = 557,056; two layers 1,114,112;
     * embeddings and output 2 x 256,000: 1,626,112 weights in 25,408 groups of 36 bytes = 914,688 bytes. Norms (two
     * per layer and the output norm, 1,280 weights) stay 16-bit: 2,560 bytes. The cache of 300 tokens is allocated
     * for 512: 512 x 512 = 262,144 bytes.
     */
    @Test
    void mlx_modelWeightsAndCache() {
        assertEquals(917_248, Runtime.mlx().weightBytes(TINY));
        assertEquals(262_144, Runtime.mlx().kvCacheBytes(TINY, 300));
        assertEquals(262_144, Runtime.mlx().kvCacheBytes(TINY, 512));
        assertEquals(0, Runtime.mlx().kvCacheBytes(TINY, 0));
    }

    /**
     * Ollama's FAQ: 4096 tokens, f16, flash attention off, one request; with four requests of 2048 llama.cpp gets
     * 8192 cells in four sequences ("a 2K context with 4 parallel requests will result in an 8K context").
     */
    @Test
    void ollama_settings() {
        ContextSettings faq = Runtime.ollama().contextSettings();
        assertEquals(4096, faq.contextTokens());
        assertEquals(1, faq.parallelSequences());
        assertEquals(KvCacheType.F16, faq.keyCacheType());
        assertFalse(faq.llamaCpp().flashAttention());
        ContextSettings four = new Ollama(2048, KvCacheType.F16, false, 4).contextSettings();
        assertEquals(8192, four.contextTokens());
        assertEquals(4, four.parallelSequences());
        assertThrows(IllegalArgumentException.class, () -> new Ollama(2048, KvCacheType.Q8_0, false, 1));
    }

    /** docs/context-length.mdx: below 24 GiB 4k, 24 to 48 GiB 32k, from 48 GiB 256k. */
    @Test
    void ollama_contextByVram() {
        assertEquals(4096, Ollama.defaultsForVram(DataSize.ofBytes((24L << 30) - 1)).contextTokens());
        assertEquals(32_768, Ollama.defaultsForVram(DataSize.ofBytes(24L << 30)).contextTokens());
        assertEquals(32_768, Ollama.defaultsForVram(DataSize.ofBytes((48L << 30) - 1)).contextTokens());
        assertEquals(262_144, Ollama.defaultsForVram(DataSize.ofBytes(48L << 30)).contextTokens());
    }

    /** The command line's names, case-insensitive; an unknown one lists the five. */
    @Test
    void ofName() {
        assertSame(Runtime.vllm(), Runtime.ofName("VLLM"));
        assertEquals("SGLang", Runtime.ofName(" sglang ").name());
        assertEquals(5, Runtime.all().size());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Runtime.ofName("tgi"));
        assertTrue(e.getMessage().contains("llama.cpp, ollama, vllm, sglang, mlx"), e.getMessage());
    }

    /** Formats: GGUF for the llama.cpp family, checkpoints for vLLM and SGLang, the publisher's own for MLX. */
    @Test
    void loads() {
        assertTrue(Runtime.llamaCpp().loads(QuantScheme.Q4_K_M));
        assertFalse(Runtime.llamaCpp().loads(QuantScheme.AWQ_INT4));
        assertTrue(Runtime.ollama().loads(QuantScheme.Q8_0));
        assertTrue(Runtime.vllm().loads(QuantScheme.AWQ_INT4));
        assertTrue(Runtime.sglang().loads(QuantScheme.FP8));
        assertFalse(Runtime.vllm().loads(QuantScheme.Q4_K_M));
        assertTrue(Runtime.mlx().loads(QuantScheme.NATIVE));
        assertFalse(Runtime.mlx().loads(QuantScheme.FP8));
    }

    /**
     * Llama is everywhere; Qwen3.5 (llama.cpp's qwen35) is in llama.cpp, SGLang and mlx-lm, but not in Ollama's
     * vendored llama.cpp nor vLLM's registry at the commits the lists name.
     */
    @Test
    void supports() {
        for (Runtime runtime : Runtime.all()) {
            assertTrue(runtime.supports(TINY), runtime.name());
            assertTrue(runtime.architectures().source().startsWith("https://github.com/"), runtime.name());
        }
        ModelSpec qwen35 = ModelSpec.builder("q").architecture("qwen35").hiddenSize(256).vocabularySize(1000)
                .maxContextTokens(4096).addLayers(2, Layer.of(FullAttention.of(8, 2, 32), DenseFeedForward.gated(512)))
                .build();
        assertTrue(Runtime.llamaCpp().supports(qwen35));
        assertFalse(Runtime.ollama().supports(qwen35));
        assertFalse(Runtime.vllm().supports(qwen35));
        assertTrue(Runtime.sglang().supports(qwen35));
        assertTrue(Runtime.mlx().supports(qwen35));
    }

    /** The estimator starts on llama.cpp; Ollama's settings replace the context; a pool needs vLLM or SGLang. */
    @Test
    void estimator() {
        Device gpu = Device.builder("gpu", DeviceKind.DISCRETE_GPU).memoryBytes(24L << 30).memoryBandwidthGBps(1008)
                .hostLink(4, 16).build();
        Estimator base = Estimator.of(TINY).quant(QuantScheme.NATIVE).on(gpu);
        assertSame(Runtime.llamaCpp(), base.runtime());
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> base.runtimePool(1000));
        assertTrue(e.getMessage().contains("expected: vLLM or SGLang"), e.getMessage());
        Estimator ollama = base.runtime(new Ollama(2048, KvCacheType.Q8_0, true, 2));
        assertEquals(4096, ollama.settings().contextTokens());
        assertEquals(2, ollama.settings().parallelSequences());
        assertEquals(KvCacheType.Q8_0, ollama.settings().valueCacheType());
        Estimator vllm = base.runtime(Runtime.vllm()).context(1024);
        assertSame(Runtime.vllm(), vllm.runtime());
        assertEquals(1000, vllm.runtimePool(1000).maxModelLen());
        assertThrows(IllegalStateException.class, () -> Estimator.of(TINY).runtime(Runtime.vllm()).runtimePool(1000));
    }
}
