package io.github.llmestimator.hardware;

import io.github.llmestimator.internal.Checks;
import io.github.llmestimator.model.ModelSpec;
import io.github.llmestimator.model.Tensor;
import java.util.List;
import java.util.Objects;

/**
 * llama.cpp's {@code -ngl N}: the last {@code gpuLayers} of the model's {@code layers + 1} blocks on a GPU, the rest in
 * system RAM, where the extra last block is the output head and norm. So {@code -ngl 1} offloads only the output head,
 * and {@code layers + 1} offloads everything. The token embedding always stays in system RAM ("little benefit to
 * offloading the input layer", {@code src/llama-model.cpp}); with tied embeddings an offloaded output head is a copy
 * of it on the GPU. A layer's KV cache lives with the layer, and layers in system RAM run on the CPU
 * (llama.cpp {@code src/llama-kv-cache.cpp}: each layer's cache on its layer's device while {@code offload_kqv} is
 * on, the default).
 *
 * <p>Devices, in order: a {@link DeviceKind#DISCRETE_GPU}, then a {@link DeviceKind#SYSTEM_RAM} device.
 *
 * @param gpuLayers blocks on the GPU, counting the output head as the last block; at least 0
 */
public record GpuLayers(int gpuLayers) implements Placement {

    /**
     * Validates the component.
     *
     * @param gpuLayers blocks on the GPU, counting the output head as the last block; at least 0
     * @throws IllegalArgumentException if {@code gpuLayers} is negative
     */
    public GpuLayers {
        Checks.atLeast("gpuLayers", gpuLayers, 0);
    }

    /**
     * {@inheritDoc}
     *
     * @throws IllegalArgumentException unless the devices are a discrete GPU and a system-RAM device, in that order
     */
    @Override
    public void checkDevices(List<Device> devices) {
        Objects.requireNonNull(devices, "devices");
        checkGpuThenRam(devices);
    }

    static void checkGpuThenRam(List<Device> devices) {
        if (devices.size() != 2 || devices.get(0).kind() != DeviceKind.DISCRETE_GPU
                || devices.get(1).kind() != DeviceKind.SYSTEM_RAM) {
            throw Deployment.refusedDevices(devices, "a DISCRETE_GPU, then a SYSTEM_RAM device");
        }
    }

    /**
     * {@inheritDoc}
     *
     * @throws IllegalArgumentException if {@code gpuLayers} exceeds the model's layers plus the output head
     */
    @Override
    public void checkModel(ModelSpec model, List<Device> devices) {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(devices, "devices");
        int layers = model.layers().size();
        Checks.between("gpuLayers", gpuLayers, 0, layers + 1,
                " for " + model.name() + ": " + layers + " layers and the output head");
    }

    private int blockDevice(int block, int layers) {
        return block >= layers + 1 - gpuLayers ? 0 : 1;
    }

    @Override
    public double weightShare(int device, Tensor tensor, ModelSpec model, List<Device> devices) {
        Shares.checkTensor(device, tensor, model, devices);
        int layers = model.layers().size();
        return Shares.wholeTensor(device, tensor, layers, 1, block -> blockDevice(block, layers));
    }

    @Override
    public double layerShare(int device, int layer, ModelSpec model, List<Device> devices) {
        Shares.checkLayer(device, layer, model, devices);
        return blockDevice(layer, model.layers().size()) == device ? 1 : 0;
    }
}
