package io.github.llmestimator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.llmestimator.memory.DataSize;
import io.github.llmestimator.memory.KvCacheType;
import io.github.llmestimator.memory.MemoryKit;
import io.github.llmestimator.model.ModelSpec;
import io.github.llmestimator.model.TensorRole;
import io.github.llmestimator.quant.QuantScheme;
import io.github.llmestimator.testing.ReferenceModels;
import org.junit.jupiter.api.Test;

final class EstimatorTest {

    private final Estimator llama = Estimator.of(ReferenceModels.llama31_8b());

    /**
     * Llama-3.1-8B Q4_K_M at 8192 tokens: weights 4912898048 B (4.58 GiB, the published llama-bench size), KV 32 x 8192
     * x 2048 x 2 B = 1 GiB, output 4 x 128256 B, compute 279447552 B, runtime 1 GiB. The compute buffer is what
     * llama.cpp v0.4.0 allocates at these widths (LlamaCppOracle's computeBuffer_atLlama31_8bWidths_exact prints it):
     * with flash attention the output stage binds, 4 x 512 x 128256 B of logits beside the final norm's output and the
     * unused embeddings input (4 x 512 x 4096 B each), above the token ids' freed 4 x 512 B.
     */
    @Test
    void estimate_llama8bQ4KM() {
        Estimate e = llama.quant(QuantScheme.Q4_K_M).context(8192).estimate();
        assertEquals(4912898048L, e.weightBytes());
        assertEquals(1L << 30, e.kvCacheBytes());
        assertEquals(0, e.recurrentStateBytes());
        assertEquals(4L * 128256, e.outputBufferBytes());
        assertEquals(4L * 512 * (128256 + 2 * 4096) + 4 * 512, e.computeBufferBytes());
        long expected = 4912898048L + (1L << 30) + 4L * 128256 + 279447552L + (1L << 30);
        assertEquals(expected, e.totalBytes());
        assertEquals(new MemoryKit(8), e.recommendedKit());
        assertEquals(e.weightBytes(), e.weightBytes(TensorRole.TOKEN_EMBEDDING) + e.weightBytes(TensorRole.OUTPUT)
                + e.weightBytes(TensorRole.ATTENTION) + e.weightBytes(TensorRole.DENSE_FEED_FORWARD)
                + e.weightBytes(TensorRole.NORM));
    }

    @Test
    void estimate_withoutQuant() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> llama.context(4096).estimate());
        assertTrue(e.getMessage().startsWith("quant: not set"), e.getMessage());
    }

    @Test
    void context_defaultIsTrainedContext() {
        assertEquals(131072, llama.settings().contextTokens());
        assertEquals(16L << 30, llama.quant(QuantScheme.Q8_0).estimate().kvCacheBytes());
    }

    @Test
    void context_negative() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> llama.context(-1));
        assertEquals("contextTokens: -1 (expected: >= 1)", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> llama.context(0));
    }

    @Test
    void context_beyondIntCellsAfterPadding() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> llama.context(Integer.MAX_VALUE));
        assertTrue(e.getMessage().startsWith("contextTokens: 2147483647 (expected: at most 2147483392"),
                e.getMessage());
        assertEquals(2147483392, llama.context(2147483392).settings().contextTokens());
    }

    @Test
    void parallelSequences_zero() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> llama.parallelSequences(0));
        assertEquals("parallelSequences: 0 (expected: 1 to 256, llama.cpp's LLAMA_MAX_SEQ)", e.getMessage());
    }

    @Test
    void batch_negative() {
        assertThrows(IllegalArgumentException.class, () -> llama.batch(-5, 512));
        assertThrows(IllegalArgumentException.class, () -> llama.batch(2048, 0));
    }

    @Test
    void nulls_rejectedWithName() {
        assertEquals("model", assertThrows(NullPointerException.class, () -> Estimator.of((ModelSpec) null))
                .getMessage());
        assertEquals("scheme", assertThrows(NullPointerException.class, () -> llama.quant(null)).getMessage());
        assertEquals("type", assertThrows(NullPointerException.class, () -> llama.kvCacheType(null)).getMessage());
        assertEquals("valueType",
                assertThrows(NullPointerException.class, () -> llama.kvCacheTypes(KvCacheType.F16, null)).getMessage());
    }

    @Test
    void quantizedValueCache_withoutFlashAttention() {
        Estimator e = llama.quant(QuantScheme.Q4_K_M).kvCacheType(KvCacheType.Q8_0).flashAttention(false);
        IllegalStateException thrown = assertThrows(IllegalStateException.class, e::estimate);
        assertTrue(thrown.getMessage().startsWith("valueCacheType: Q8_0 with flashAttention false"),
                thrown.getMessage());
        // a quantized K cache alone is allowed
        e.kvCacheTypes(KvCacheType.Q8_0, KvCacheType.F16).estimate();
    }

    /** q8_0 cache: 32 layers x 8192 x 2 x 1024 / 32 x 34 B = 544 MiB (68 KiB per token). */
    @Test
    void kvCacheType_q8() {
        Estimate e = llama.quant(QuantScheme.Q4_K_M).context(8192).kvCacheType(KvCacheType.Q8_0).estimate();
        assertEquals(544L << 20, e.kvCacheBytes());
    }

    /** Each step returns a new estimator and leaves the receiver unchanged. */
    @Test
    void steps_areCopyOnWrite() {
        Estimator base = llama.quant(QuantScheme.Q4_K_M);
        Estimator longer = base.context(65536);
        assertNotSame(base, longer);
        assertEquals(131072, base.settings().contextTokens());
        assertEquals(65536, longer.settings().contextTokens());
    }

    /** Qwen3.5-27B carries one MTP layer in its checkpoint; llama.cpp does not load it for decoding. */
    @Test
    void mtpLayers_notLoaded() {
        Estimate e = Estimator.of(ReferenceModels.qwen35_27b()).quant(QuantScheme.Q4_K_M).context(4096).estimate();
        assertTrue(e.weights().fileTensorBytes() > e.weightBytes());
        assertEquals(e.weights().fileTensorBytes() - e.weights().bytes(TensorRole.NEXT_TOKEN_PREDICTION),
                e.weightBytes());
    }

    /** Estimator.on(device) is shorthand for Estimator.on(Deployment.of(device)). */
    @Test
    void on_device() {
        io.github.llmestimator.hardware.Device gpu = io.github.llmestimator.hardware.Device
                .builder("GPU", io.github.llmestimator.hardware.DeviceKind.DISCRETE_GPU).memoryBytes(24L << 30)
                .memoryBandwidthGBps(1008).build();
        Estimator q = llama.quant(QuantScheme.Q4_K_M).context(8192);
        assertEquals(q.on(io.github.llmestimator.hardware.Deployment.of(gpu)).estimate(), q.on(gpu).estimate());
        assertEquals(q.estimate().totalBytes(), q.on(gpu).estimate().devices().get(0).totalBytes());
        assertTrue(q.on(gpu).estimate().fits());
    }

    @Test
    void on_null() {
        NullPointerException deployment = assertThrows(NullPointerException.class,
                () -> llama.on((io.github.llmestimator.hardware.Deployment) null));
        assertEquals("deployment", deployment.getMessage());
        NullPointerException device = assertThrows(NullPointerException.class,
                () -> llama.on((io.github.llmestimator.hardware.Device) null));
        assertEquals("device", device.getMessage());
    }

    @Test
    void estimate_withoutDeploymentHasNoDevices() {
        Estimate e = llama.quant(QuantScheme.Q4_K_M).context(8192).estimate();
        assertTrue(e.deployment().isEmpty());
        IllegalStateException thrown = assertThrows(IllegalStateException.class, e::devices);
        assertTrue(thrown.getMessage().startsWith("deployment: not set"), thrown.getMessage());
    }

    @Test
    void runtimeOverhead_boundedByOnePebibyte() {
        // before the bound, Long.MAX_VALUE was accepted and the estimate's toString() and fits() overflowed
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> llama.runtimeOverhead(DataSize.ofBytes(Long.MAX_VALUE)));
        assertEquals("runtimeOverhead: 9223372036854775807 (expected: 0 to 1125899906842624 bytes, 1 PiB)",
                e.getMessage());
        io.github.llmestimator.hardware.Device gpu = io.github.llmestimator.hardware.Device
                .builder("GPU", io.github.llmestimator.hardware.DeviceKind.DISCRETE_GPU).memoryBytes(24L << 30)
                .memoryBandwidthGBps(1008).build();
        // 2^50 bytes of allowance does not fit a 24 GiB GPU, and saying so needs no overflow
        Estimate most = llama.quant(QuantScheme.Q4_K_M).context(8192).runtimeOverhead(DataSize.ofBytes(1L << 50)).on(gpu).estimate();
        assertFalse(most.fits());
        assertTrue(most.toString().length() > 0);
    }
}
