package io.github.llmestimator.throughput;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.llmestimator.Estimate;
import io.github.llmestimator.Estimator;
import io.github.llmestimator.hardware.Deployment;
import io.github.llmestimator.hardware.Device;
import io.github.llmestimator.hardware.DeviceKind;
import io.github.llmestimator.hardware.DeviceUsage;
import io.github.llmestimator.model.DenseFeedForward;
import io.github.llmestimator.model.FullAttention;
import io.github.llmestimator.model.Layer;
import io.github.llmestimator.model.ModelSpec;
import io.github.llmestimator.quant.QuantScheme;
import io.github.llmestimator.testing.ReferenceModels;
import org.junit.jupiter.api.Test;

/** Per-device memory, worked by hand. The runtime allowance is 1 GiB per device that holds anything. */
final class DeploymentEstimateTest {

    private static final long GIB = 1L << 30;
    private static final Device GPU = Device.builder("GPU", DeviceKind.DISCRETE_GPU).memoryBytes(24 * GIB)
            .memoryBandwidthGBps(1000).build();
    private static final Device RAM = Device.builder("RAM", DeviceKind.SYSTEM_RAM).memoryBytes(128 * GIB)
            .memoryBandwidthGBps(100).build();

    /**
     * Llama-3.1-8B Q4_K_M at 8192 tokens on one device holds what EstimatorTest works out: weights 4912898048 B,
     * KV 1 GiB, output 4 x 128256 B, compute 4 x 512 x (128256 + 2 x 4096) + 4 x 512 B (llama.cpp's own figure at
     * these widths), runtime 1 GiB.
     */
    @Test
    void singleDevice_holdsTheWholeEstimate() {
        Estimate e = Estimator.of(ReferenceModels.llama31_8b()).quant(QuantScheme.Q4_K_M).context(8192).on(GPU)
                .estimate();
        DeviceUsage u = e.devices().get(0);
        assertEquals(4912898048L, u.weightBytes());
        assertEquals(GIB, u.kvCacheBytes());
        assertEquals(4L * 128256, u.outputBufferBytes());
        assertEquals(279447552L, u.computeBufferBytes());
        assertEquals(GIB, u.runtimeOverheadBytes());
        long total = 4912898048L + GIB + 4L * 128256 + 279447552L + GIB;
        assertEquals(total, u.totalBytes());
        assertEquals(24 * GIB - total, u.headroomBytes());
        assertTrue(e.fits());
    }

    /**
     * Mixtral 8x7B F16 at 4096 tokens with {@code --cpu-moe}. GPU: 32 x 84049920 B (attention, ffn_norm, router) +
     * 262160384 B (output) = 2951757824 B of weights; KV 32 x 4096 x 4096 B = 512 MiB; compute buffer 2 x 512 x 4096
     * (the F16 mask) + 4 x 512 x (4 x 2 x 14336 + 4096) (two experts' feed-forward rows) = 247463936 B, above the
     * output stage 4 x 512 x (32000 + 2 x 4096). RAM: experts 32 x 2818572288 B + embedding
     * 262144000 B = 90456457216 B; the logits buffer 4 x 32000 B; the host compute buffer 4 x 512 x (4096 + 4096) B.
     */
    @Test
    void expertsInSystemRam_splitsTheMemory() {
        Estimate e = Estimator.of(ReferenceModels.mixtral_8x7b()).quant(QuantScheme.F16).context(4096)
                .on(Deployment.expertsInSystemRam(GPU, RAM, 32)).estimate();
        DeviceUsage gpu = e.devices().get(0);
        DeviceUsage ram = e.devices().get(1);
        assertEquals(2951757824L, gpu.weightBytes());
        assertEquals(512L << 20, gpu.kvCacheBytes());
        assertEquals(0, gpu.outputBufferBytes());
        assertEquals(247463936L, gpu.computeBufferBytes());
        assertEquals(2951757824L + (512L << 20) + 247463936L + GIB, gpu.totalBytes());
        assertEquals(90456457216L, ram.weightBytes());
        assertEquals(0, ram.kvCacheBytes());
        assertEquals(128000, ram.outputBufferBytes());
        assertEquals(16777216L, ram.computeBufferBytes());
        assertEquals(90456457216L + 128000 + 16777216L + GIB, ram.totalBytes());
        assertEquals(e.weightBytes(), gpu.weightBytes() + ram.weightBytes());
        assertTrue(e.fits());
    }

    /**
     * Llama-2-7B Q4_0 with {@code -ngl 33} (everything offloaded): the GPU holds 3825065984 - 73728000 = 3751337984 B,
     * and the token embedding (73728000 B) stays in RAM, as llama.cpp keeps it.
     */
    @Test
    void gpuLayers_embeddingStaysInSystemRam() {
        Estimate e = Estimator.of(ReferenceModels.llama2_7b()).quant(QuantScheme.Q4_0)
                .on(Deployment.gpuLayers(GPU, RAM, 33)).estimate();
        assertEquals(3751337984L, e.devices().get(0).weightBytes());
        assertEquals(73728000L, e.devices().get(1).weightBytes());
        // -ngl 0: nothing on the GPU, which then holds nothing and gets no runtime allowance
        Estimate cpu = Estimator.of(ReferenceModels.llama2_7b()).quant(QuantScheme.Q4_0)
                .on(Deployment.gpuLayers(GPU, RAM, 0)).estimate();
        assertEquals(0, cpu.devices().get(0).totalBytes());
        assertEquals(3825065984L, cpu.devices().get(1).weightBytes());
    }

    /**
     * A tiny model with tied embeddings (hidden 256, vocabulary 1024, F16): token_embd is 256 x 1024 x 2 = 524288 B.
     * With the output head offloaded, the GPU holds a copy of it: layers (2 x (4 x 256^2 + 3 x 256 x 512) x 2 B +
     * 4 x 256 x 4 B = 2625536 B) + output_norm 1024 B + the copy 524288 B; RAM keeps the original.
     */
    @Test
    void tiedEmbeddings_offloadedOutputIsACopy() {
        ModelSpec tied = ModelSpec.builder("tiny-tied").architecture("llama").hiddenSize(256).vocabularySize(1024)
                .maxContextTokens(4096).tiedEmbeddings(true)
                .addLayers(2, Layer.of(FullAttention.of(4, 4, 64), DenseFeedForward.gated(512))).build();
        Estimate e = Estimator.of(tied).quant(QuantScheme.F16).on(Deployment.gpuLayers(GPU, RAM, 3)).estimate();
        assertEquals(2625536L + 1024 + 524288, e.devices().get(0).weightBytes());
        assertEquals(524288L, e.devices().get(1).weightBytes());
        assertEquals(e.weightBytes() + 524288, e.devices().get(0).weightBytes() + e.devices().get(1).weightBytes());
        // decode: the GPU reads its layers, the norm and the whole copy; RAM one 512-B row; KV 1 cell 2 x 1024 B
        assertEquals(2625536L + 1024 + 524288 + 512 + 2048, e.decode(0).bytesPerStep());
    }

    /**
     * Apple M2 with 16 GiB and the default 3/4 GPU share offers 12 GiB: Llama-2-7B F16 (13477363712 B of weights) does
     * not fit, and misses by its total minus 12 GiB.
     */
    @Test
    void unifiedMemory_misses() {
        Device m2 = Device.builder("M2", DeviceKind.UNIFIED_MEMORY).memoryBytes(16 * GIB).memoryBandwidthGBps(100)
                .gpuMemoryFraction(0.75).build();
        Estimate e = Estimator.of(ReferenceModels.llama2_7b()).quant(QuantScheme.F16).on(m2).estimate();
        DeviceUsage u = e.devices().get(0);
        assertFalse(e.fits());
        assertEquals(12 * GIB, u.usableBytes());
        assertEquals(12 * GIB - e.totalBytes(), u.headroomBytes());
        assertTrue(u.headroomBytes() < 0);
    }

    /**
     * Llama-3.1-8B at 8192 tokens has 1 GiB of KV cache over 8 KV heads. Tensor-parallel over 16 GPUs, each GPU serves
     * 2 of the 32 query heads and caches their one KV head: 1/8 of the cache, 128 MiB (each head is on two GPUs).
     */
    @Test
    void tensorParallel_replicatesKvHeadsWhenGpusOutnumberThem() {
        Estimate e = Estimator.of(ReferenceModels.llama31_8b()).quant(QuantScheme.BF16).context(8192)
                .on(Deployment.tensorParallel(GPU, 16)).estimate();
        for (DeviceUsage u : e.devices()) {
            assertEquals(128L << 20, u.kvCacheBytes());
        }
    }

    /** DeepSeek-R1's MLA latent is one shared head: every tensor-parallel GPU holds all of it. */
    @Test
    void tensorParallel_replicatesTheMlaLatent() {
        Estimate e = Estimator.of(ReferenceModels.deepSeekR1()).quant(QuantScheme.Q4_K_M).context(8192)
                .on(Deployment.tensorParallel(GPU, 8)).estimate();
        assertEquals(e.kvCacheBytes(), e.devices().get(3).kvCacheBytes());
    }
}
