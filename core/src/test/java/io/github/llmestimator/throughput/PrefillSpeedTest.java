package io.github.llmestimator.throughput;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.llmestimator.Estimate;
import io.github.llmestimator.Estimator;
import io.github.llmestimator.hardware.Deployment;
import io.github.llmestimator.hardware.Device;
import io.github.llmestimator.hardware.DeviceKind;
import io.github.llmestimator.hardware.Precision;
import io.github.llmestimator.model.DenseFeedForward;
import io.github.llmestimator.model.FullAttention;
import io.github.llmestimator.model.Layer;
import io.github.llmestimator.model.ModelSpec;
import io.github.llmestimator.quant.QuantScheme;
import io.github.llmestimator.testing.ReferenceModels;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Prefill worked by hand. Efficiencies used (see {@link Efficiency}): GPU memory 0.78, GPU FP16 0.377 (INT8 half of it),
 * system RAM 0.70,
 * host link 0.80 of PCIe 4.0 x16 (16 x 16 x 128/130 / 8 = 31.508 GB/s).
 */
final class PrefillSpeedTest {

    private static final Device GPU = Device.builder("GPU", DeviceKind.DISCRETE_GPU).memoryBytes(80L << 30)
            .memoryBandwidthGBps(1000).denseTflops(Precision.FP16, 10).hostLink(4, 16).build();
    private static final Device FAST_GPU = Device.builder("GPU", DeviceKind.DISCRETE_GPU).memoryBytes(80L << 30)
            .memoryBandwidthGBps(1000).denseTflops(Precision.FP16, 100).hostLink(4, 16).build();
    private static final Device RAM = Device.builder("RAM", DeviceKind.SYSTEM_RAM).memoryBytes(256L << 30)
            .memoryBandwidthGBps(100).build();

    /**
     * A tiny F16 model (hidden 256, 2 layers of 4 heads x 64 with 4 KV heads, gated FFN 512, vocabulary 1024) and a
     * 512-token prompt: one micro-batch. Layers: 2 x (4 x 256^2 + 3 x 256 x 512 + 2 x 256) = 1311744 parameters, 2 x
     * 512 x 1311744 FLOPs at 0.377 x 10 TFLOPS (356 us; their 2625536 B take 3.4 us). Output head (the last token only):
     * 256 + 256 x 1024 parameters, 525312 B at 0.78 TB/s (673 ns; 2 x 262400 FLOPs take 87 ns). Embedding: 512 rows of
     * 512 B. Attention, causal: 1 + 2 + ... + 512 = 131328 cells x 2 layers x 2 x 4 heads x (64 + 64) FLOPs (71 us; the
     * 512 cells x 2048 B it reads take 1.3 us).
     */
    @Test
    void prefill_tinyModel_oneMicroBatch() {
        ModelSpec tiny = ModelSpec.builder("tiny").architecture("llama").hiddenSize(256).vocabularySize(1024)
                .maxContextTokens(4096)
                .addLayers(2, Layer.of(FullAttention.of(4, 4, 64), DenseFeedForward.gated(512))).build();
        PrefillSpeed p = Estimator.of(tiny).quant(QuantScheme.F16).on(GPU).estimate().prefill(512).orElseThrow();
        double seconds = 2.0 * 512 * 1311744 / 3.77e12 + 525312 / 0.78e12 + 512 * 512 / 0.78e12
                + 131328.0 * 2 * 2 * 4 * 128 / 3.77e12;
        assertEquals(512 / seconds, p.tokensPerSecond(), 1e-6);
        assertEquals(Bound.COMPUTE, p.bound());
        assertEquals(seconds, p.timeToFirstTokenSeconds(), 1e-15);
    }

    /**
     * Mixtral 8x7B F16 with all experts in system RAM and a 512-token prompt: the micro-batch of 512 tokens routes to
     * 8 x (1 - (3/4)^512) = 8 experts in every layer, so the GPU copies all 32 x 2818572288 = 90194313216 B of experts
     * over PCIe (3.58 s at 0.8 x 31.508 GB/s) and multiplies them: 2 x 512 x 45097156608 x 2/8 FLOPs at 0.377 x 100
     * TFLOPS.
     * The rest on the GPU: 32 x 41984000 dense parameters (compute), the output head (262160384 B, memory), attention
     * over 131328 cells x 32 layers x 2 x 32 x 256 FLOPs (compute); the embedding's 512 rows of 8192 B in RAM.
     */
    @Test
    void prefill_expertsInSystemRam_streamsThemOverTheHostLink() {
        Estimate e = Estimator.of(ReferenceModels.mixtral_8x7b()).quant(QuantScheme.F16).context(4096)
                .on(Deployment.expertsInSystemRam(FAST_GPU, RAM, 32)).estimate();
        PrefillSpeed p = e.prefill(512).orElseThrow();
        double link = 90194313216.0 * (1 - Math.pow(0.75, 512)) / (0.8 * 16 * 16 * 128 / 130.0 / 8 * 1e9);
        double experts = 2.0 * 512 * 45097156608L * 2 / 8 / 37.7e12;
        double dense = 2.0 * 512 * 32 * 41984000L / 37.7e12;
        double output = 262160384 / 0.78e12;
        double attention = 131328.0 * 32 * 2 * 32 * 256 / 37.7e12;
        double embedding = 512 * 8192 / 75e9;
        assertEquals(link + experts + dense + output + attention + embedding, p.timeToFirstTokenSeconds(), 1e-9);
        assertEquals(Bound.HOST_LINK, p.bound());
    }

    /**
     * A 16-token prompt is below llama.cpp's 32-token offload threshold: the CPU must multiply the experts itself, and
     * this RAM states no throughput, so the estimate is unknown.
     */
    @Test
    void prefill_unknownWhenTheCpuMustComputeWithoutAFigure() {
        Estimate e = Estimator.of(ReferenceModels.mixtral_8x7b()).quant(QuantScheme.Q4_K_M).context(4096)
                .on(Deployment.expertsInSystemRam(GPU, RAM, 32)).estimate();
        assertEquals(Optional.empty(), e.prefill(16));
        assertTrue(e.prefill(32).isPresent());
        Estimate cpuOnly = Estimator.of(ReferenceModels.llama2_7b()).quant(QuantScheme.Q4_0).on(RAM).estimate();
        assertEquals(Optional.empty(), cpuOnly.prefill(512));
    }

    /**
     * llama.cpp's MMQ kernels multiply Q4_0 in INT8 where the GPU states INT8, at half the INT8 rate times the FP16
     * efficiency: with INT8 200 and FP16 100 TFLOPS, 0.1885 x 200 = 37.7 TOPS, what the FP16 GEMMs reach on a GPU
     * without INT8 (0.377 x 100). That GPU also copies the Q4_0 matrices to F16 in every micro-batch: per layer 4 x
     * 4096^2 + 3 x 4096 x 11008 = 202375168 weights of 18 B per 32 (113836032 B) read and 2 B each written, 32 layers,
     * 8 micro-batches of 512 for a 4096-token prompt, at 0.78 TB/s. The output head multiplies one row (no copy).
     */
    @Test
    void prefill_quantizedWeightsUseInt8WhereStated() {
        Device int8 = Device.builder("GPU", DeviceKind.DISCRETE_GPU).memoryBytes(80L << 30).memoryBandwidthGBps(1000)
                .denseTflops(Precision.FP16, 100).denseTflops(Precision.INT8, 200).build();
        Device fp16 = Device.builder("GPU", DeviceKind.DISCRETE_GPU).memoryBytes(80L << 30).memoryBandwidthGBps(1000)
                .denseTflops(Precision.FP16, 100).build();
        Estimator llama = Estimator.of(ReferenceModels.llama2_7b()).quant(QuantScheme.Q4_0).context(4096);
        double withInt8 = llama.on(int8).estimate().prefill(4096).orElseThrow().timeToFirstTokenSeconds();
        double withFp16 = llama.on(fp16).estimate().prefill(4096).orElseThrow().timeToFirstTokenSeconds();
        double copies = 8 * 32 * (113836032.0 + 2 * 202375168.0) / 0.78e12;
        assertEquals(copies, withFp16 - withInt8, copies * 1e-9);
    }

    /**
     * F16 weights under CUDA multiply at the FP16-accumulate rate, half the INT8 rate where that exceeds the FP16
     * (FP32-accumulate) figure: a GeForce-like part stating FP16 10 and INT8 40 runs the tiny model's F16 matrices
     * (2 x 512 x (1311744 - 1024) FLOPs) at 0.377 x 20 TFLOPS, and its F32 norms (2 layers x 2 x 256 weights) and
     * attention (131328 cells x 2 layers x 2 x 4 x 128 FLOPs) at 0.377 x 10; under Vulkan the F16 matrices too run at
     * 0.377 x 10.
     */
    @Test
    void prefill_f16UnderCudaAtTheFp16AccumulateRate() {
        ModelSpec tiny = ModelSpec.builder("tiny").architecture("llama").hiddenSize(256).vocabularySize(1024)
                .maxContextTokens(4096)
                .addLayers(2, Layer.of(FullAttention.of(4, 4, 64), DenseFeedForward.gated(512))).build();
        Device geforce = Device.builder("GPU", DeviceKind.DISCRETE_GPU).memoryBytes(80L << 30)
                .memoryBandwidthGBps(1000).denseTflops(Precision.FP16, 10).denseTflops(Precision.INT8, 40).build();
        Device vulkan = Device.builder("GPU", DeviceKind.DISCRETE_GPU).memoryBytes(80L << 30)
                .memoryBandwidthGBps(1000).denseTflops(Precision.FP16, 10).denseTflops(Precision.INT8, 40)
                .backend(io.github.llmestimator.hardware.Backend.VULKAN).build();
        Estimator f16 = Estimator.of(tiny).quant(QuantScheme.F16);
        double onGeforce = f16.on(geforce).estimate().prefill(512).orElseThrow().timeToFirstTokenSeconds();
        double onVulkan = f16.on(vulkan).estimate().prefill(512).orElseThrow().timeToFirstTokenSeconds();
        double matrices = 2.0 * 512 * (1311744 - 1024);
        double seconds = matrices / 7.54e12 + 2.0 * 512 * 1024 / 3.77e12 + 525312 / 0.78e12 + 512 * 512 / 0.78e12
                + 131328.0 * 2 * 2 * 4 * 128 / 3.77e12;
        assertEquals(seconds, onGeforce, seconds * 1e-9);
        assertEquals(seconds - matrices / 7.54e12 + matrices / 3.77e12, onVulkan, seconds * 1e-9);
    }

    /**
     * Two GPUs split a 3-layer tiny model as llama.cpp does (layers 0-1 on the first, layer 2 and the output head on
     * the second) and a 1024-token prompt is 2 micro-batches, which flow through them as a pipeline: the first GPU
     * starts the second micro-batch while the second GPU works on the first. Per micro-batch a layer's matrices take
     * M = 2 x 512 x 655872 / 3.77e12 s and its attention 131328 cells (tokens 1-512) or 393472 cells (513-1024) x 2 x
     * 4 x 128 FLOPs at 3.77e12; the first GPU looks up 512 embedding rows of 512 B, the second adds the head (525312 B
     * at 0.78 TB/s) to the last micro-batch. The first GPU's second micro-batch outlasts the second GPU's first, so the
     * prompt takes the first GPU's two micro-batches and then the second GPU's last: 5 M, attention over 2 x 131328 +
     * 3 x 393472 cells, 2 lookups and the head (one after another: 6 M, 3 x 131328 + 3 x 393472 cells).
     */
    @Test
    void prefill_layerSplit_pipelinesMicroBatches() {
        ModelSpec tiny = ModelSpec.builder("tiny").architecture("llama").hiddenSize(256).vocabularySize(1024)
                .maxContextTokens(4096)
                .addLayers(3, Layer.of(FullAttention.of(4, 4, 64), DenseFeedForward.gated(512))).build();
        PrefillSpeed p = Estimator.of(tiny).quant(QuantScheme.F16)
                .on(Deployment.layerSplit(java.util.List.of(GPU, GPU))).estimate().prefill(1024).orElseThrow();
        double matrices = 2.0 * 512 * 655872 / 3.77e12;
        double attention = (2 * 131328.0 + 3 * 393472) * 2 * 4 * 128 / 3.77e12;
        double seconds = 5 * matrices + attention + 2 * 512 * 512 / 0.78e12 + 525312 / 0.78e12;
        assertEquals(seconds, p.timeToFirstTokenSeconds(), seconds * 1e-9);
    }

    @Test
    void prefill_promptOutsideTheContext() {
        Estimate e = Estimator.of(ReferenceModels.llama2_7b()).quant(QuantScheme.Q4_0).context(2048).on(GPU)
                .estimate();
        IllegalArgumentException zero = assertThrows(IllegalArgumentException.class, () -> e.prefill(0));
        assertEquals("promptTokens: 0 (expected: 1 to 2048, the context of one sequence)", zero.getMessage());
        assertThrows(IllegalArgumentException.class, () -> e.prefill(2049));
    }
}
