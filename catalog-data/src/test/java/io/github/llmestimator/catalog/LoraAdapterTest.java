package io.github.llmestimator.catalog;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.llmestimator.Estimate;
import io.github.llmestimator.Estimator;
import io.github.llmestimator.hardware.Deployment;
import io.github.llmestimator.hardware.Device;
import io.github.llmestimator.hardware.DeviceKind;
import io.github.llmestimator.model.ModelSpec;
import io.github.llmestimator.quant.LoraAdapter;
import io.github.llmestimator.quant.LoraTarget;
import io.github.llmestimator.quant.QuantScheme;
import io.github.llmestimator.quant.TensorType;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * LoRA adapter bytes worked by hand on Llama 3.1 8B (config.json: hidden 4096, 32 layers, 32 query heads and 8 KV heads
 * of 128, intermediate 14336, vocabulary 128256, untied output head). An adapted tensor of {@code in} inputs and
 * {@code out} outputs carries A of {@code in x r} and B of {@code r x out}.
 */
class LoraAdapterTest {

    private static final Set<LoraTarget> QKVO = EnumSet.of(LoraTarget.Q, LoraTarget.K, LoraTarget.V, LoraTarget.O);
    private static final ModelSpec LLAMA = Catalog.model("llama-3.1-8b").spec();

    @Test
    void rank16_qkvo_f16() {
        // per layer, r = 16: q 16*(4096+4096) = 131,072; k 16*(4096+1024) = 81,920; v 81,920; o 131,072
        // = 425,984 values * 2 B = 851,968 B; * 32 layers = 27,262,976 B (26.00 MiB)
        assertEquals(27_262_976L, new LoraAdapter(16, QKVO, TensorType.F16).bytes(LLAMA));
        assertEquals(27_262_976L, new LoraAdapter(16, QKVO, TensorType.BF16).bytes(LLAMA));
        assertEquals(54_525_952L, new LoraAdapter(16, QKVO, TensorType.F32).bytes(LLAMA));
    }

    @Test
    void rank16_allProjections_f16() {
        // gate and up: 16*(4096+14336) = 294,912 each; down: 16*(14336+4096) = 294,912; with q,k,v,o:
        // 425,984 + 884,736 = 1,310,720 values per layer * 32 = 41,943,040 values * 2 B = 83,886,080 B (80.00 MiB)
        assertEquals(83_886_080L, new LoraAdapter(16, EnumSet.complementOf(EnumSet.of(LoraTarget.EMBED,
                LoraTarget.LM_HEAD)), TensorType.F16).bytes(LLAMA));
    }

    @Test
    void q8_0_keepsRowsOfRank16InF16() {
        // A rows are 4096 values: Q8_0 4096/32 * 34 = 4,352 B, * 16 rows = 69,632 B per A, * 4 = 278,528 B;
        // B rows are 16 values, not a multiple of 32, so F16 (convert_lora_to_gguf.py falls back): 32 B per row,
        // q 4096 rows + k 1024 + v 1024 + o 4096 = 10,240 rows * 32 = 327,680 B; per layer 606,208 B * 32 = 19,398,656
        assertEquals(19_398_656L, new LoraAdapter(16, QKVO, TensorType.Q8_0).bytes(LLAMA));
        // rank 32: A 32 rows * 4,352 = 139,264 B * 4 = 557,056; B rows of 32 are one Q8_0 block, 34 B:
        // 10,240 rows * 34 = 348,160; per layer 905,216 B * 32 = 28,966,912
        assertEquals(28_966_912L, new LoraAdapter(32, QKVO, TensorType.Q8_0).bytes(LLAMA));
    }

    @Test
    void embeddingAndHead() {
        // token_embd: A [16, 128256] and B [16, 4096]: 16 * 132,352 = 2,117,632 values * 2 B = 4,235,264 B;
        // output: A [4096, 16] and B [16, 128256]: the same count
        assertEquals(4_235_264L, new LoraAdapter(16, Set.of(LoraTarget.EMBED), TensorType.F16).bytes(LLAMA));
        assertEquals(4_235_264L, new LoraAdapter(16, Set.of(LoraTarget.LM_HEAD), TensorType.F16).bytes(LLAMA));
    }

    @Test
    void severalAdapters_addToTheWeights_whereTheLayersAre() {
        LoraAdapter qkvo = new LoraAdapter(16, QKVO, TensorType.F16);
        LoraAdapter head = new LoraAdapter(16, Set.of(LoraTarget.LM_HEAD), TensorType.F16);
        Estimator base = Estimator.of(LLAMA).quant(QuantScheme.Q4_K_M).context(4096);
        Estimate without = base.estimate();
        Estimate with = base.loraAdapters(List.of(qkvo, head)).estimate();
        // 27,262,976 + 4,235,264 = 31,498,240 B
        assertEquals(31_498_240L, with.loraAdapterBytes());
        assertEquals(without.weightBytes() + 31_498_240L, with.weightBytes());
        assertEquals(without.totalBytes() + 31_498_240L, with.totalBytes());

        // -ngl 16 offloads the last 16 of the 33 blocks, the output head counting as the last: layers 17-31 and the
        // head on the GPU, layers 0-16 in system RAM. GPU: 15 * 851,968 = 12,779,520 B of q,k,v,o pairs plus the
        // head's 4,235,264 B; RAM: 17 * 851,968 = 14,483,456 B
        Device gpu = Device.builder("GPU", DeviceKind.DISCRETE_GPU).memoryBytes(24L << 30).memoryBandwidthGBps(1008)
                .build();
        Device ram = Device.builder("RAM", DeviceKind.SYSTEM_RAM).memoryBytes(64L << 30).memoryBandwidthGBps(90)
                .build();
        Deployment split = Deployment.gpuLayers(gpu, ram, 16);
        assertArrayEquals(new long[] {12_779_520L, 14_483_456L}, qkvo.bytesOnDevices(LLAMA, split));
        assertArrayEquals(new long[] {4_235_264L, 0}, head.bytesOnDevices(LLAMA, split));
        Estimate placedWithout = base.on(split).estimate();
        Estimate placedWith = base.loraAdapters(List.of(qkvo, head)).on(split).estimate();
        assertEquals(placedWithout.devices().get(0).weightBytes() + 12_779_520L + 4_235_264L,
                placedWith.devices().get(0).weightBytes());
        assertEquals(placedWithout.devices().get(1).weightBytes() + 14_483_456L,
                placedWith.devices().get(1).weightBytes());
        // the adapters survive a later change of scheme or context
        assertEquals(31_498_240L, base.loraAdapters(List.of(qkvo, head)).quant(QuantScheme.Q8_0).context(8192)
                .estimate().loraAdapterBytes());
    }

    @Test
    void badAdapters_areRefused() {
        IllegalArgumentException rank = assertThrows(IllegalArgumentException.class,
                () -> new LoraAdapter(0, QKVO, TensorType.F16));
        assertEquals("rank: 0 (expected: 1 to 4096)", rank.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new LoraAdapter(16, Set.of(), TensorType.F16));
        assertThrows(IllegalArgumentException.class, () -> new LoraAdapter(16, QKVO, TensorType.Q4_K));
        // Llama 3.2 1B ties its output head to the embedding: no output tensor to adapt
        ModelSpec tied = Catalog.model("llama-3.2-1b").spec();
        IllegalArgumentException head = assertThrows(IllegalArgumentException.class,
                () -> new LoraAdapter(16, Set.of(LoraTarget.LM_HEAD), TensorType.F16).bytes(tied));
        assertEquals("targets: lm_head matches no tensor of " + tied.name() + " (expected: a module the model has as"
                + " its own tensor; a fused QKV or gate-up tensor, or an output head tied to the embedding, has none)",
                head.getMessage());
        assertEquals(LoraTarget.GATE, LoraTarget.of("gate_proj"));
        assertThrows(IllegalArgumentException.class, () -> LoraTarget.of("mlp"));
    }
}
