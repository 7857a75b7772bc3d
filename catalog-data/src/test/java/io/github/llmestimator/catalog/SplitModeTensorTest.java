package io.github.llmestimator.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.llmestimator.Estimate;
import io.github.llmestimator.Estimator;
import io.github.llmestimator.hardware.Deployment;
import io.github.llmestimator.hardware.Device;
import io.github.llmestimator.hardware.DeviceKind;
import io.github.llmestimator.hardware.SplitModeTensor;
import io.github.llmestimator.memory.KvCacheType;
import io.github.llmestimator.model.ModelSpec;
import io.github.llmestimator.quant.QuantScheme;
import java.util.List;
import org.junit.jupiter.api.Test;

/** llama.cpp's {@code --split-mode tensor}: weights and KV split by share, refused where llama.cpp refuses it. */
class SplitModeTensorTest {

    private static final ModelSpec LLAMA = Catalog.model("llama-3.1-8b").spec();
    private static final Device GPU = Device.builder("GPU", DeviceKind.DISCRETE_GPU).memoryBytes(24L << 30)
            .memoryBandwidthGBps(1008).build();
    private static final Deployment THREE_TO_ONE = new Deployment(List.of(GPU, GPU),
            new SplitModeTensor(List.of(3.0, 1.0)));

    @Test
    void weightsAndKv_splitByShare() {
        Estimate estimate = Estimator.of(LLAMA).quant(QuantScheme.Q4_K_M).context(8192).on(THREE_TO_ONE).estimate();
        // KV: 32 layers * 8192 cells * (K + V) 2 * 8 heads * 128 * 2 B = 1,073,741,824 B; per layer 33,554,432 B,
        // of which 3/4 = 25,165,824 and 1/4 = 8,388,608 exactly: 805,306,368 and 268,435,456 B
        assertEquals(805_306_368L, estimate.devices().get(0).kvCacheBytes());
        assertEquals(268_435_456L, estimate.devices().get(1).kvCacheBytes());
        // weights: each tensor 3/4 and 1/4, shards rounded up to the byte, so the two add up to the weights plus at
        // most one byte per tensor
        long first = estimate.devices().get(0).weightBytes();
        long second = estimate.devices().get(1).weightBytes();
        long over = first + second - estimate.weightBytes();
        assertTrue(over >= 0 && over <= LLAMA.tensors().size(), over + " B over");
        assertTrue(Math.abs(first - 3 * second) <= 3L * LLAMA.tensors().size(), first + " vs 3 x " + second);
    }

    @Test
    void flashAttentionOff_isRefused() {
        IllegalStateException off = assertThrows(IllegalStateException.class, () -> Estimator.of(LLAMA)
                .quant(QuantScheme.Q4_K_M).flashAttention(false).on(THREE_TO_ONE).estimate());
        assertEquals("flashAttention: off with --split-mode tensor (expected: on; llama.cpp refuses:"
                + " \"SPLIT_MODE_TENSOR requires flash_attn to be enabled\")", off.getMessage());
    }

    @Test
    void quantizedCache_isRefused() {
        IllegalStateException q8 = assertThrows(IllegalStateException.class, () -> Estimator.of(LLAMA)
                .quant(QuantScheme.Q4_K_M).kvCacheType(KvCacheType.Q8_0).on(THREE_TO_ONE).estimate());
        assertTrue(q8.getMessage().contains("KV cache quantization not implemented"), q8.getMessage());
    }

    @Test
    void unsupportedArchitectures_andDevices_areRefused() {
        ModelSpec deepSeek = Catalog.models().stream().map(ModelPreset::spec)
                .filter(spec -> spec.architecture().equals("deepseek2")).findFirst().orElseThrow();
        IllegalArgumentException arch = assertThrows(IllegalArgumentException.class,
                () -> Estimator.of(deepSeek).on(THREE_TO_ONE));
        assertTrue(arch.getMessage().contains("LLAMA_SPLIT_MODE_TENSOR not implemented"), arch.getMessage());
        Device ram = Device.builder("RAM", DeviceKind.SYSTEM_RAM).memoryBytes(64L << 30).memoryBandwidthGBps(90)
                .build();
        assertThrows(IllegalArgumentException.class,
                () -> new Deployment(List.of(GPU, ram), new SplitModeTensor(List.of(1.0, 1.0))));
        assertThrows(IllegalArgumentException.class, () -> new SplitModeTensor(List.of(1.0)));
    }
}
