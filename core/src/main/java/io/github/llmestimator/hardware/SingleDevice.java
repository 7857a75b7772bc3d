package io.github.llmestimator.hardware;

import io.github.llmestimator.model.ModelSpec;
import io.github.llmestimator.model.Tensor;
import java.util.List;
import java.util.Objects;

/**
 * Everything on one device: weights (the token embedding included), caches, buffers.
 *
 * <p>This is vLLM's layout and llama.cpp's CPU-only or Metal layout. On a discrete GPU llama.cpp keeps the token
 * embedding in host memory; to account for that, use {@link GpuLayers} with every layer offloaded.
 */
public record SingleDevice() implements Placement {

    /** The single instance worth having. */
    public static final SingleDevice INSTANCE = new SingleDevice();

    /**
     * {@inheritDoc}
     *
     * @throws IllegalArgumentException unless there is exactly one device
     */
    @Override
    public void checkDevices(List<Device> devices) {
        Objects.requireNonNull(devices, "devices");
        if (devices.size() != 1) {
            throw Deployment.refusedDevices(devices, "exactly one device");
        }
    }

    /** Accepts every model. */
    @Override
    public void checkModel(ModelSpec model, List<Device> devices) {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(devices, "devices");
        // every model fits this placement's description
    }

    @Override
    public double weightShare(int device, Tensor tensor, ModelSpec model, List<Device> devices) {
        Shares.checkTensor(device, tensor, model, devices);
        return Shares.wholeTensor(device, tensor, model.layers().size(), 0, block -> 0);
    }

    @Override
    public double layerShare(int device, int layer, ModelSpec model, List<Device> devices) {
        Shares.checkLayer(device, layer, model, devices);
        return device == 0 ? 1 : 0;
    }
}
