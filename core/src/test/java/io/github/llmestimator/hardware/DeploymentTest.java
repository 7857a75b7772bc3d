package io.github.llmestimator.hardware;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.llmestimator.Estimator;
import io.github.llmestimator.testing.ReferenceModels;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

final class DeploymentTest {

    private static final Device GPU = Device.builder("RTX 3090", DeviceKind.DISCRETE_GPU).memoryBytes(24L << 30)
            .memoryBandwidthGBps(936).build();
    private static final Device RAM = Device.builder("DDR4-3200 x2", DeviceKind.SYSTEM_RAM).memoryBytes(64L << 30)
            .memoryBandwidthGBps(51.2).build();

    @Test
    void devices_empty() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Deployment(List.of(), SingleDevice.INSTANCE));
        assertEquals("devices: [] (expected: at least one device)", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Deployment.layerSplit(List.of()));
    }

    @Test
    void devices_null() {
        assertThrows(NullPointerException.class, () -> Deployment.of(null));
        List<Device> withNull = new ArrayList<>(Arrays.asList(GPU, null));
        NullPointerException e = assertThrows(NullPointerException.class,
                () -> new Deployment(withNull, new LayerSplit(List.of(1.0, 1.0))));
        assertEquals("devices[1]", e.getMessage());
    }

    @Test
    void devices_copied() {
        List<Device> mine = new ArrayList<>(List.of(GPU, GPU));
        Deployment d = Deployment.layerSplit(mine);
        mine.add(RAM);
        assertEquals(2, d.devices().size());
    }

    @Test
    void gpuLayers_wrongKinds() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Deployment.gpuLayers(RAM, GPU, 10));
        assertEquals("devices: [DDR4-3200 x2 SYSTEM_RAM, RTX 3090 DISCRETE_GPU] (expected: a DISCRETE_GPU, then a"
                + " SYSTEM_RAM device)", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Deployment.expertsInSystemRam(GPU, GPU, 1));
        assertThrows(IllegalArgumentException.class, () -> new Deployment(List.of(GPU), new GpuLayers(3)));
    }

    @Test
    void gpuLayers_negative() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Deployment.gpuLayers(GPU, RAM, -1));
        assertEquals("gpuLayers: -1 (expected: >= 0)", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new ExpertsInSystemRam(-2));
    }

    /** Llama-2-7B has 32 layers; -ngl counts the output head as a 33rd block, so 33 is the most. */
    @Test
    void gpuLayers_moreThanTheModelHas() {
        Estimator llama = Estimator.of(ReferenceModels.llama2_7b());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> llama.on(Deployment.gpuLayers(GPU, RAM, 34)));
        assertEquals("gpuLayers: 34 (expected: 0 to 33 for Llama-2-7B: 32 layers and the output head)",
                e.getMessage());
        llama.on(Deployment.gpuLayers(GPU, RAM, 33));
    }

    @Test
    void expertsInSystemRam_moreThanTheModelHas() {
        Estimator mixtral = Estimator.of(ReferenceModels.mixtral_8x7b());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> mixtral.on(Deployment.expertsInSystemRam(GPU, RAM, 33)));
        assertEquals("firstLayers: 33 (expected: 0 to 32 for Mixtral-8x7B: 32 layers)", e.getMessage());
    }

    @Test
    void tensorParallel_badCounts() {
        IllegalArgumentException one = assertThrows(IllegalArgumentException.class,
                () -> Deployment.tensorParallel(GPU, 1));
        assertEquals("count: 1 (expected: 2 to 1024 GPUs)", one.getMessage());
        // before the bound, Integer.MAX_VALUE copies of the GPU ran out of memory building the device list
        IllegalArgumentException huge = assertThrows(IllegalArgumentException.class,
                () -> Deployment.tensorParallel(GPU, Integer.MAX_VALUE));
        assertEquals("count: 2147483647 (expected: 2 to 1024 GPUs)", huge.getMessage());
        assertEquals(1024, Deployment.tensorParallel(GPU, 1024).devices().size());
        IllegalArgumentException record = assertThrows(IllegalArgumentException.class,
                () -> new TensorParallel(1025));
        assertEquals("devices: 1025 (expected: 2 to 1024 GPUs)", record.getMessage());
        IllegalArgumentException three = assertThrows(IllegalArgumentException.class,
                () -> Estimator.of(ReferenceModels.llama2_7b()).on(Deployment.tensorParallel(GPU, 3)));
        assertEquals("devices: 3 (expected: a divisor of the 32 query heads of layer 0 of Llama-2-7B)",
                three.getMessage());
        // Llama-3.1-8B has 8 KV heads: 16 GPUs replicate each twice (allowed), 32 heads / 16 = 2 per GPU
        Estimator.of(ReferenceModels.llama31_8b()).on(Deployment.tensorParallel(GPU, 16));
        assertThrows(IllegalArgumentException.class, () -> Deployment.tensorParallel(RAM, 2));
    }

    @Test
    void tensorParallel_differentDevices() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Deployment(List.of(GPU, GPU.withMemoryBytes(48L << 30)), new TensorParallel(2)));
        assertTrue(e.getMessage().endsWith("(expected: 2 identical DISCRETE_GPU or UNIFIED_MEMORY devices)"),
                e.getMessage());
    }

    @Test
    void layerSplit_badProportions() {
        IllegalArgumentException negative = assertThrows(IllegalArgumentException.class,
                () -> new LayerSplit(List.of(1.0, -1.0)));
        assertEquals("proportions[1]: -1.0 (expected: a finite number >= 0)", negative.getMessage());
        IllegalArgumentException nan = assertThrows(IllegalArgumentException.class,
                () -> new LayerSplit(List.of(Double.NaN)));
        assertEquals("proportions[0]: NaN (expected: a finite number >= 0)", nan.getMessage());
        IllegalArgumentException zero = assertThrows(IllegalArgumentException.class,
                () -> new LayerSplit(List.of(0.0, 0.0)));
        assertEquals("proportions: [0.0, 0.0] (expected: at least one GPU, with a positive proportion)",
                zero.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new LayerSplit(List.of()));
        assertThrows(IllegalArgumentException.class,
                () -> Deployment.layerSplit(List.of(GPU, GPU), List.of(1.0, 1.0, 1.0)));
        assertThrows(IllegalArgumentException.class, () -> Deployment.layerSplit(List.of(GPU, RAM)));
    }

    @Test
    void singleDevice_oneOnly() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Deployment(List.of(GPU, RAM), SingleDevice.INSTANCE));
        assertTrue(e.getMessage().endsWith("(expected: exactly one device)"), e.getMessage());
    }

    /**
     * llama.cpp's layer split of 32 layers + output over proportions 3:1: block i goes to GPU 0 while i / 33 < 0.75,
     * i.e. blocks 0..24 (24 / 33 = 0.727), and blocks 25..32 (25 / 33 = 0.758) to GPU 1.
     */
    @Test
    void layerSplit_blocksFollowTheProportions() {
        LayerSplit split = new LayerSplit(List.of(3.0, 1.0));
        List<Device> gpus = List.of(GPU, GPU);
        var model = ReferenceModels.llama2_7b();
        assertEquals(1.0, split.layerShare(0, 24, model, gpus));
        assertEquals(0.0, split.layerShare(0, 25, model, gpus));
        assertEquals(1.0, split.layerShare(1, 25, model, gpus));
        assertEquals(1.0, split.layerShare(1, 31, model, gpus));
    }

    /** Before the checks, a layer or device beyond the lists was an ArrayIndexOutOfBoundsException or a share of 0. */
    @Test
    void shares_indexesOutOfRange() {
        io.github.llmestimator.model.ModelSpec model = ReferenceModels.llama31_8b();
        List<Device> gpus = List.of(GPU, GPU);
        TensorParallel tp = new TensorParallel(2);
        IllegalArgumentException layer = assertThrows(IllegalArgumentException.class,
                () -> tp.cacheShare(0, 32, model, gpus));
        assertEquals("layer: 32 (expected: 0 to 31, a layer of Llama-3.1-8B)", layer.getMessage());
        IllegalArgumentException device = assertThrows(IllegalArgumentException.class,
                () -> SingleDevice.INSTANCE.weightShare(1, model.tensors().get(0), model, List.of(GPU)));
        assertEquals("device: 1 (expected: 0 to 0, an index into the 1 devices)", device.getMessage());
        assertEquals("tensor", assertThrows(NullPointerException.class,
                () -> tp.weightShare(0, null, model, gpus)).getMessage());
        io.github.llmestimator.internal.throughput.PlacedWeights placed = io.github.llmestimator.internal.throughput
                .PlacedWeights.of(io.github.llmestimator.quant.QuantScheme.Q4_K_M.assign(model), Deployment.of(GPU));
        IllegalArgumentException weights = assertThrows(IllegalArgumentException.class, () -> placed.weightBytes(-1));
        assertEquals("device: -1 (expected: 0 to 0, an index into the deployment's 1 devices)", weights.getMessage());
    }
}
