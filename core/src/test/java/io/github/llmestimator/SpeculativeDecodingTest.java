package io.github.llmestimator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.llmestimator.hardware.Device;
import io.github.llmestimator.hardware.DeviceKind;
import io.github.llmestimator.memory.KvCacheType;
import io.github.llmestimator.model.DenseFeedForward;
import io.github.llmestimator.model.FullAttention;
import io.github.llmestimator.model.Layer;
import io.github.llmestimator.model.ModelSpec;
import io.github.llmestimator.model.TensorRole;
import io.github.llmestimator.planning.ContextPlan;
import io.github.llmestimator.quant.QuantScheme;
import io.github.llmestimator.throughput.SpeculativeSpeed;
import io.github.llmestimator.throughput.Speculation;
import org.junit.jupiter.api.Test;

/** The drafter's memory, worked by hand or read from a published llama.cpp log, and how the estimate holds it. */
final class SpeculativeDecodingTest {

    private static final long MIB = 1L << 20;
    private static final Device GPU = Device.builder("GPU", DeviceKind.DISCRETE_GPU).memoryBytes(24L << 30)
            .memoryBandwidthGBps(1000).build();

    /**
     * A Qwen3.5-like model 2,560 wide with a 248,320-token vocabulary and one MTP layer of 4 KV heads of 256: the model
     * of the MTP context log in https://github.com/ggml-org/llama.cpp/pull/22673 (adriabama06's run: "n_embd=2560",
     * "KV buffer size = 32.00 MiB", "8192 cells, 1 layers").
     */
    private static ModelSpec withMtp() {
        Layer layer = Layer.of(FullAttention.of(16, 4, 256), DenseFeedForward.gated(9216));
        return ModelSpec.builder("qwen35-2560").architecture("qwen35").hiddenSize(2560).vocabularySize(248_320)
                .maxContextTokens(262_144).addLayers(4, layer).addNextTokenPredictionLayer(layer).build();
    }

    @Test
    void mtpContext_matchesThePublishedLlamaCppLog() {
        Estimate e = Estimator.of(withMtp()).quant(QuantScheme.Q8_0).context(8192).speculative(Speculation.mtp())
                .estimate();
        SpeculativeDecoding mtp = e.speculative().orElseThrow();
        // 8192 cells x 1 layer x (K + V) x 4 heads x 256 x 2 bytes (f16) = 32 MiB, the log's "KV buffer size"
        assertEquals(32 * MIB, mtp.kvCacheBytes());
        // the MTP context's logits at creation: 248,320 x 4 bytes = 0.947 MiB, the log's "output buffer size = 0.95 MiB"
        assertEquals(248_320L * 4, mtp.drafter().outputBufferBytes());
        // with the hidden rows and the backend sampler added at the first decode: 4 x (4 x 248,320 + 2,560 + 1), and
        // the target's 2,048 batch rows of 2,560 floats
        assertEquals(4L * (4 * 248_320 + 2560 + 1) + 4L * 2560 * 2048, mtp.outputBufferBytes());
        // the log's compute buffer is 490.00 MiB on the GPU (plus 26.02 MiB of host buffer); the heuristic's output
        // stage, 4 x 512 x (248,320 + 2 x 2,560) bytes = 495.0 MiB, binds here
        assertEquals(4L * 512 * (248_320 + 2 * 2560), mtp.computeBufferBytes());
        // the MTP weights llama.cpp loads with load_mtp are the file's NextN tensors
        assertEquals(e.weights().bytes(TensorRole.NEXT_TOKEN_PREDICTION), mtp.weightBytes());
        assertEquals(0, mtp.rollbackStateBytes());
        assertEquals(e.totalBytes() - mtp.totalBytes(),
                Estimator.of(withMtp()).quant(QuantScheme.Q8_0).context(8192).estimate().totalBytes());
    }

    @Test
    void draftCacheType_sizesTheMtpCache() {
        Estimate e = Estimator.of(withMtp()).quant(QuantScheme.Q8_0).context(8192)
                .speculative(Speculation.mtp().withDraftCacheType(KvCacheType.Q8_0)).estimate();
        // q8_0 stores 32 values in 34 bytes: 8192 x 2 x 1024 x 34 / 32
        assertEquals(8192L * 2 * 1024 * 34 / 32, e.speculative().orElseThrow().kvCacheBytes());
    }

    @Test
    void drafter_isHeldByTheDeviceAndCanStopAFit() {
        ModelSpec model = withMtp();
        Estimator plain = Estimator.of(model).quant(QuantScheme.Q8_0).context(8192).on(GPU);
        Estimate without = plain.estimate();
        Estimate with = plain.speculative(Speculation.mtp()).estimate();
        long drafter = with.speculative().orElseThrow().totalBytes();
        assertEquals(without.devices().get(0).totalBytes() + drafter, with.devices().get(0).totalBytes());
        // a device that holds the model with less room than the drafter needs: fits without MTP, not with it
        Device tight = Device.builder("tight", DeviceKind.DISCRETE_GPU)
                .memoryBytes(without.devices().get(0).totalBytes() + drafter / 2).memoryBandwidthGBps(1000).build();
        assertTrue(plain.on(tight).estimate().fits());
        assertFalse(plain.on(tight).speculative(Speculation.mtp()).estimate().fits());
        // and the context solver gives MTP less context on it
        assertTrue(ContextPlan.of(plain.on(tight).speculative(Speculation.mtp())).contextTokens()
                < ContextPlan.of(plain.on(tight)).contextTokens());
    }

    @Test
    void speedUp_isBelowTheTokensPerStep() {
        Estimator base = Estimator.of(withMtp()).quant(QuantScheme.Q8_0).context(8192).on(GPU);
        for (double a : new double[] {0, 0.5, 0.9}) {
            SpeculativeSpeed s = base.speculative(Speculation.mtp(3, a)).estimate().speculative().orElseThrow()
                    .decode(1000);
            // every step costs at least one verification, which costs at least one decoded token
            assertTrue(s.speedUp() < s.expectedTokensPerStep(), a + ": " + s);
            assertTrue(s.lowTokensPerSecond() <= s.tokensPerSecond() && s.tokensPerSecond() <= s.highTokensPerSecond());
        }
        // nothing accepted: speculation only costs
        assertTrue(base.speculative(Speculation.mtp(3, 0)).estimate().speculative().orElseThrow().decode(0)
                .speedUp() < 1);
    }

    @Test
    void badSetups_areRefused() {
        ModelSpec noMtp = withMtp().withoutNextTokenPredictionLayers();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Estimator.of(noMtp).speculative(Speculation.mtp()));
        assertTrue(e.getMessage().contains("no multi-token-prediction layer"), e.getMessage());
        ModelSpec otherVocabulary = ModelSpec.builder("other").architecture("llama").hiddenSize(256)
                .vocabularySize(1000).maxContextTokens(4096)
                .addLayers(2, Layer.of(FullAttention.of(4, 4, 64), DenseFeedForward.gated(512))).build();
        assertThrows(IllegalArgumentException.class, () -> Estimator.of(withMtp())
                .speculative(Speculation.draftModel(otherVocabulary, QuantScheme.Q8_0)));
        assertThrows(NullPointerException.class, () -> Estimator.of(withMtp()).speculative(null));
        Estimate noDeployment = Estimator.of(withMtp()).quant(QuantScheme.Q8_0).context(4096)
                .speculative(Speculation.mtp()).estimate();
        assertThrows(IllegalStateException.class, () -> noDeployment.speculative().orElseThrow().decode(0));
    }
}
