package io.github.llmestimator.hardware;

import io.github.llmestimator.internal.Checks;
import io.github.llmestimator.model.ModelSpec;
import io.github.llmestimator.model.Tensor;
import io.github.llmestimator.model.TensorRole;
import java.util.List;
import java.util.Objects;

/**
 * llama.cpp's {@code --n-cpu-moe N} (with every layer offloaded): the routed-expert tensors ({@code ffn_*_exps}) of
 * the first {@code firstLayers} layers in system RAM, everything else (attention, router, shared experts, dense layers,
 * output head, all KV caches) on the GPU, and the token embedding in system RAM as always. With {@code firstLayers}
 * equal to the model's layer count this is {@code --cpu-moe}, i.e. {@code -ot exps=CPU} (llama.cpp {@code common/arg.cpp}: both
 * flags are override-tensor presets).
 * Tokens then read the experts they are routed to from system RAM, and the CPU multiplies them.
 *
 * <p>Devices, in order: a {@link DeviceKind#DISCRETE_GPU}, then a {@link DeviceKind#SYSTEM_RAM} device.
 *
 * @param firstLayers how many leading layers keep their routed experts in system RAM, at least 0
 */
public record ExpertsInSystemRam(int firstLayers) implements Placement {

    /**
     * Validates the component.
     *
     * @param firstLayers how many leading layers keep their routed experts in system RAM, at least 0
     * @throws IllegalArgumentException if {@code firstLayers} is negative
     */
    public ExpertsInSystemRam {
        Checks.atLeast("firstLayers", firstLayers, 0);
    }

    /**
     * {@inheritDoc}
     *
     * @throws IllegalArgumentException unless the devices are a discrete GPU and a system-RAM device, in that order
     */
    @Override
    public void checkDevices(List<Device> devices) {
        Objects.requireNonNull(devices, "devices");
        GpuLayers.checkGpuThenRam(devices);
    }

    /**
     * {@inheritDoc} A dense model is accepted: like llama.cpp, the placement then moves nothing.
     *
     * @throws IllegalArgumentException if {@code firstLayers} exceeds the model's layers
     */
    @Override
    public void checkModel(ModelSpec model, List<Device> devices) {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(devices, "devices");
        int layers = model.layers().size();
        Checks.between("firstLayers", firstLayers, 0, layers, " for " + model.name() + ": " + layers + " layers");
    }

    @Override
    public double weightShare(int device, Tensor tensor, ModelSpec model, List<Device> devices) {
        Shares.checkTensor(device, tensor, model, devices);
        if (tensor.role() == TensorRole.ROUTED_EXPERTS && tensor.layer().getAsInt() < firstLayers) {
            return device == 1 ? 1 : 0;
        }
        return Shares.wholeTensor(device, tensor, model.layers().size(), 1, block -> 0);
    }

    @Override
    public double layerShare(int device, int layer, ModelSpec model, List<Device> devices) {
        Shares.checkLayer(device, layer, model, devices);
        return device == 0 ? 1 : 0;
    }
}
