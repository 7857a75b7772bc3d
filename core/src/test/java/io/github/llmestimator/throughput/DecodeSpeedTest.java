package io.github.llmestimator.throughput;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.llmestimator.Estimate;
import io.github.llmestimator.Estimator;
import io.github.llmestimator.hardware.CpuTopology;
import io.github.llmestimator.hardware.Deployment;
import io.github.llmestimator.hardware.Device;
import io.github.llmestimator.hardware.DeviceKind;
import io.github.llmestimator.hardware.Precision;
import io.github.llmestimator.quant.QuantScheme;
import io.github.llmestimator.testing.ReferenceModels;
import org.junit.jupiter.api.Test;

/**
 * Decode speeds worked by hand. Constants used (see {@link Efficiency}): achieved bandwidth on a discrete GPU 0.78
 * (0.65-0.99), on system RAM 0.75 (0.48-0.89); a fixed 62 us per layer and token on either (32 layers: 1.984 ms).
 * Devices without a throughput figure are bandwidth-bound by definition.
 */
final class DecodeSpeedTest {

    private static final Device GPU = Device.builder("GPU 1000", DeviceKind.DISCRETE_GPU).memoryBytes(80L << 30)
            .memoryBandwidthGBps(1000).build();
    private static final Device RAM = Device.builder("RAM 100", DeviceKind.SYSTEM_RAM).memoryBytes(256L << 30)
            .memoryBandwidthGBps(100).build();

    /** 32 layers at 62 us each. */
    private static final double LAYERS = 32 * 62e-6;

    /**
     * Llama-2-7B (32 layers, hidden 4096, FFN 11008, vocab 32000) in Q4_0, whose tensors llama.cpp stores as:
     * layer matrices 4 x 4096^2 + 3 x 4096 x 11008 = 202375168 weights x 18/32 B = 113836032 B, and two F32 norms of
     * 4096 (32768 B), per layer; token_embd Q4_0 32000 x 4096 x 18/32 = 73728000 B; output Q6_K 131072000 x 210/256 =
     * 107520000 B; output_norm 16384 B. Total 32 x 113868800 + 73728000 + 107520000 + 16384 = 3825065984 B (3.56 GiB,
     * the llama-bench size). One token reads all of it except the embedding, of which one row (4096 x 18/32 = 2304 B):
     * 3751340288 B; plus the f16 KV cache of 32 layers x (4096 + 4096) x 2 B = 524288 B per cell for position + 1
     * cells.
     */
    @Test
    void decode_llama2Q4_0_atPositionZero() {
        Estimate e = Estimator.of(ReferenceModels.llama2_7b()).quant(QuantScheme.Q4_0).on(GPU).estimate();
        DecodeSpeed d = e.decode(0);
        assertEquals(3751340288L + 524288, d.bytesPerStep());
        // 3751864576 B at 0.78 x 1000 GB/s take 4.810 ms, plus 1.984 ms for the layers: 147.2 tok/s
        assertEquals(1 / (3751864576L / 0.78e12 + LAYERS), d.tokensPerSecond(), 1e-9);
        assertEquals(1 / (3751864576L / 0.65e12 + LAYERS), d.lowTokensPerSecond(), 1e-9);
        assertEquals(1 / (3751864576L / 0.99e12 + LAYERS), d.highTokensPerSecond(), 1e-9);
        assertEquals(Bound.MEMORY_BANDWIDTH, d.bound());
        assertEquals(1, d.sequences());
        assertEquals(3751864576L / 0.78e12 + LAYERS, d.secondsPerStep(), 1e-15);
    }

    /**
     * The same token on the same GPU with HBM: it reaches 0.68 of the bandwidth fraction GDDR reaches, 0.78 x 0.68 =
     * 0.5304 of 1000 GB/s, so its 3751864576 B take 7.074 ms; with 1.984 ms for the layers, 110.4 tok/s.
     */
    @Test
    void decode_hbmReachesASmallerFractionOfItsPeak() {
        Device hbm = Device.builder("HBM GPU 1000", DeviceKind.DISCRETE_GPU).memoryBytes(80L << 30)
                .memoryBandwidthGBps(1000).highBandwidthMemory(true).build();
        DecodeSpeed d = Estimator.of(ReferenceModels.llama2_7b()).quant(QuantScheme.Q4_0).on(hbm).estimate().decode(0);
        assertEquals(1 / (3751864576L / 0.5304e12 + LAYERS), d.tokensPerSecond(), 1e-9);
        assertEquals(1 / (3751864576L / (0.65 * 0.68e12) + LAYERS), d.lowTokensPerSecond(), 1e-9);
    }

    /** At position 1000 the token reads 1001 cells: 3751340288 + 1001 x 524288 = 4276152576 B. */
    @Test
    void decode_llama2Q4_0_atPosition1000() {
        DecodeSpeed d = Estimator.of(ReferenceModels.llama2_7b()).quant(QuantScheme.Q4_0).on(GPU).estimate()
                .decode(1000);
        assertEquals(4276152576L, d.bytesPerStep());
        assertEquals(1 / (4276152576L / 0.78e12 + LAYERS), d.tokensPerSecond(), 1e-9);
    }

    /**
     * Mixtral 8x7B in F16 (2-D weights F16, norms and router F32). Per layer: attention 4096 x 4 B (norm) + 2 x 4096^2
     * x 2 B (q, o) + 2 x 4096 x 1024 x 2 B (k, v) = 83902464 B; ffn_norm 16384 B; router 4096 x 8 x 4 B = 131072 B;
     * experts 3 x 4096 x 14336 x 8 x 2 B = 2818572288 B, of which a token reads 2 of 8: 704643072 B. 32 layers:
     * 32 x 788692992 = 25238175744 B; output 16384 + 4096 x 32000 x 2 = 262160384 B; one embedding row 8192 B; KV of
     * one cell 32 x (1024 + 1024) x 2 B = 131072 B. Sum 25500475392 B.
     */
    @Test
    void decode_mixtralF16_readsTwoOfEightExperts() {
        DecodeSpeed d = Estimator.of(ReferenceModels.mixtral_8x7b()).quant(QuantScheme.F16).on(GPU).estimate()
                .decode(0);
        assertEquals(25500475392L, d.bytesPerStep());
        assertEquals(1 / (25500475392L / 0.78e12 + LAYERS), d.tokensPerSecond(), 1e-9);
    }

    /**
     * Mixtral 8x7B F16 with every layer's experts in system RAM ({@code --cpu-moe}). RAM reads the 32 x 704643072 =
     * 22548578304 B of active experts and the embedding row (8192 B) at 0.75 x 100 GB/s; the GPU reads the rest,
     * 32 x (83902464 + 16384 + 131072) + 262160384 + 131072 = 2951888896 B, at 0.78 x 1000 GB/s; the times add, and
     * the GPU, which runs every layer, adds its 32 x 62 us, and each layer a token's round trip to the experts in RAM,
     * 32 x 236 us.
     */
    @Test
    void decode_mixtralF16_expertsInSystemRam() {
        DecodeSpeed d = Estimator.of(ReferenceModels.mixtral_8x7b()).quant(QuantScheme.F16)
                .on(Deployment.expertsInSystemRam(GPU, RAM, 32)).estimate().decode(0);
        double seconds = 22548586496.0 / 75e9 + 2951888896.0 / 780e9 + LAYERS + 32 * 236e-6;
        assertEquals(1 / seconds, d.tokensPerSecond(), 1e-9);
        assertEquals(22548586496L + 2951888896L, d.bytesPerStep());
        double low = 22548586496.0 / 48e9 + 2951888896.0 / 650e9 + LAYERS + 32 * 236e-6;
        assertEquals(1 / low, d.lowTokensPerSecond(), 1e-9);
    }

    /**
     * Llama-2-7B Q4_0 with {@code -ngl 17}: the output head and layers 16..31 on the GPU, layers 0..15 and the
     * embedding in RAM. Per layer 113868800 B and 16 x 16384 = 262144 B of KV for one cell. GPU: 16 x 113868800 +
     * 107536384 (output) + 262144 = 1929699328 B; RAM: 16 x 113868800 + 2304 (one embedding row) + 262144 =
     * 1822165248 B. Each device runs 16 layers at 62 us.
     */
    @Test
    void decode_llama2Q4_0_halfTheLayersOnTheGpu() {
        DecodeSpeed d = Estimator.of(ReferenceModels.llama2_7b()).quant(QuantScheme.Q4_0)
                .on(Deployment.gpuLayers(GPU, RAM, 17)).estimate().decode(0);
        assertEquals(1929699328L + 1822165248L, d.bytesPerStep());
        assertEquals(1 / (1929699328.0 / 780e9 + 1822165248.0 / 75e9 + LAYERS), d.tokensPerSecond(), 1e-9);
    }

    /**
     * Llama-2-7B F16 (13477363712 B: 6738149376 matrix weights x 2 B + 266240 norm weights x 4 B) tensor-parallel on
     * two GPUs: each holds half of every tensor and half of the 32 KV heads, and both work at once. Per GPU one token
     * reads (13477363712 - 262144000 + 8192) / 2 = 6607613952 B of weights (all but the embedding, plus one 8192-B
     * row) and 524288 / 2 B of KV, and each launches all 32 layers at once with the other.
     */
    @Test
    void decode_llama2F16_tensorParallelOnTwoGpus() {
        Estimate e = Estimator.of(ReferenceModels.llama2_7b()).quant(QuantScheme.F16)
                .on(Deployment.tensorParallel(GPU, 2)).estimate();
        assertEquals(13477363712L, e.weightBytes());
        DecodeSpeed d = e.decode(0);
        assertEquals(1 / ((6607613952L + 262144) / 0.78e12 + LAYERS), d.tokensPerSecond(), 1e-9);
        assertEquals(2 * (6607613952L + 262144), d.bytesPerStep());
        assertEquals(6738681856L, e.devices().get(0).weightBytes());
        assertEquals(6738681856L, e.devices().get(1).weightBytes());
    }

    /**
     * gpt-oss-20b: 12 full-attention layers and 12 sliding-window (128) layers, 8 KV heads x 64, f16: 2048 B per layer
     * and cell. From position 5000 to 10000 only the full layers read more: 12 x 5000 x 2048 = 122880000 B.
     */
    @Test
    void decode_slidingWindowLayersReadOnlyTheWindow() {
        Estimate e = Estimator.of(ReferenceModels.gptOss20b()).quant(QuantScheme.MXFP4_MOE).context(16384).on(GPU)
                .estimate();
        assertEquals(122880000L, e.decode(10000).bytesPerStep() - e.decode(5000).bytesPerStep());
        // below the window both kinds of layer read one more cell per position: 24 x 2048 B
        assertEquals(24 * 2048L, e.decode(1).bytesPerStep() - e.decode(0).bytesPerStep());
    }

    /**
     * A CPU with a small stated throughput (0.5 x 0.1 TFLOPS achieved) makes Llama-2-7B F16 decode compute-bound. Its
     * kernels: the F16 matrices of the layers (32 x 202375168 = 6476005376 weights) and of the output head (131072000)
     * at 2 FLOPs each (259 ms and 5.2 ms, more than their 12.95 GB and 262 MB take at 0.75 x 100 GB/s: 173 ms and
     * 3.5 ms); the F32 norms (32 x 8192 + 4096 weights, 1064960 B, memory-bound); the embedding row (8192 B); attention
     * over one cell, 32 layers x 2 x 32 heads x (128 + 128) = 524288 FLOPs (10.5 us, more than its 524288 B take); and
     * 32 layers at 62 us.
     */
    @Test
    void decode_slowCpuIsComputeBound() {
        Device slowCpu = Device.builder("slow CPU", DeviceKind.SYSTEM_RAM).memoryBytes(64L << 30)
                .memoryBandwidthGBps(100).denseTflops(Precision.FP16, 0.1).build();
        DecodeSpeed d = Estimator.of(ReferenceModels.llama2_7b()).quant(QuantScheme.F16).on(slowCpu).estimate()
                .decode(0);
        assertEquals(Bound.COMPUTE, d.bound());
        double seconds = 2.0 * (6476005376L + 131072000L) / 0.05e12 + (1048576 + 16384) / 75e9 + 8192 / 75e9
                + 524288 / 0.05e12 + LAYERS;
        assertEquals(1 / seconds, d.tokensPerSecond(), 1e-12);
    }

    /**
     * Four cores at a 2.0 GHz base clock multiply at most 4 x 2.0e9 x 3.0 = 24e9 weights per second, fewer than the
     * memory delivers at 0.75 x 100 GB/s for Llama-2-7B Q4_0's blocks (0.5625 B per weight: 133e9 weights per second)
     * or for its Q6_K output head (210/256 B: 91e9): the layers' 32 x 202375168 weights and the head's 131072000 take
     * their cores' time; the F32 norms (1064960 B, 4 B per weight: 18.75e9 per second from memory), one Q4_0
     * embedding row (4096 x 18/32 = 2304 B) and one cell of KV (524288 B) their memory time; and 32 layers at 62 us.
     */
    @Test
    void decode_fewCpuCoresBoundTheWeights() {
        Device fewCores = RAM.withCpu(new CpuTopology(4, 0, 8, 2, 6250, 1, 2.0, 32));
        DecodeSpeed d = Estimator.of(ReferenceModels.llama2_7b()).quant(QuantScheme.Q4_0).on(fewCores).estimate()
                .decode(0);
        double seconds = (32 * 202375168.0 + 131072000.0) / 24e9 + (1064960 + 2304 + 524288) / 75e9 + LAYERS;
        assertEquals(1 / seconds, d.tokensPerSecond(), 1e-9);
        assertEquals(Bound.COMPUTE, d.bound());
        // without the CPU's figures the memory alone bounds the same weights
        assertTrue(Estimator.of(ReferenceModels.llama2_7b()).quant(QuantScheme.Q4_0).on(RAM).estimate().decode(0)
                .tokensPerSecond() > 2 * d.tokensPerSecond());
    }

    @Test
    void decode_positionOutsideTheContext() {
        Estimate e = Estimator.of(ReferenceModels.llama2_7b()).quant(QuantScheme.Q4_0).context(4096).on(GPU)
                .estimate();
        IllegalArgumentException beyond = assertThrows(IllegalArgumentException.class, () -> e.decode(4097));
        assertEquals("positionTokens: 4097 (expected: 0 to 4096, the context of one sequence)", beyond.getMessage());
        assertThrows(IllegalArgumentException.class, () -> e.decode(-1));
        Estimate four = Estimator.of(ReferenceModels.llama2_7b()).quant(QuantScheme.Q4_0).context(4096)
                .parallelSequences(4).on(GPU).estimate();
        assertThrows(IllegalArgumentException.class, () -> four.decode(1025));
        assertEquals(4, four.decode(1024).sequences());
    }

    @Test
    void decode_withoutDeployment() {
        Estimate e = Estimator.of(ReferenceModels.llama2_7b()).quant(QuantScheme.Q4_0).estimate();
        IllegalStateException thrown = assertThrows(IllegalStateException.class, () -> e.decode(0));
        assertEquals("deployment: not set (expected: Estimator.on(device) or Estimator.on(deployment) before"
                + " estimate())", thrown.getMessage());
        assertTrue(e.deployment().isEmpty());
    }

    @Test
    void decodeSpeed_badComponents() {
        assertThrows(IllegalArgumentException.class,
                () -> new DecodeSpeed(0, 1, 1, Double.NaN, 1, 1, Bound.COMPUTE));
        assertThrows(IllegalArgumentException.class, () -> new DecodeSpeed(0, 1, 1, 2, 3, 4, Bound.COMPUTE));
        assertThrows(IllegalArgumentException.class, () -> new DecodeSpeed(-1, 1, 1, 2, 1, 4, Bound.COMPUTE));
        assertThrows(NullPointerException.class, () -> new DecodeSpeed(0, 1, 1, 2, 1, 4, null));
    }
}
