package io.github.llmestimator.hardware;

import io.github.llmestimator.model.ModelSpec;
import io.github.llmestimator.model.Tensor;
import java.util.List;
import java.util.Objects;

/**
 * llama.cpp's layer split across several GPUs ({@code --split-mode layer --tensor-split a,b,...}): consecutive blocks
 * of the model's {@code layers + 1} blocks (the output head is the last) go to the GPUs in proportion to the given
 * weights, and a token passes the GPUs in turn. Block {@code i} goes to the first GPU whose cumulative normalized
 * proportion exceeds {@code i / (layers + 1)}, as {@code src/llama-model.cpp} assigns it (in {@code float}). Each
 * layer's KV cache lives with the layer.
 *
 * <p>Devices, in order: one accelerator ({@link DeviceKind#DISCRETE_GPU} or {@link DeviceKind#UNIFIED_MEMORY}) per
 * proportion, then optionally a {@link DeviceKind#SYSTEM_RAM} device, which then holds the token embedding as in
 * llama.cpp; without it the embedding is counted on the device of the first layer.
 *
 * @param proportions one non-negative, finite weight per GPU, not all zero; copied
 */
public record LayerSplit(List<Double> proportions) implements Placement {

    /**
     * Validates and copies the proportions.
     *
     * @param proportions one non-negative, finite weight per GPU, not all zero; copied
     * @throws NullPointerException if the list or an element is null
     * @throws IllegalArgumentException if the list is empty, a proportion is negative, infinite or NaN, or all are zero
     */
    public LayerSplit {
        double sum = Shares.proportionSum(proportions);
        if (proportions.isEmpty() || !(sum > 0)) {
            throw new IllegalArgumentException(
                    "proportions: " + proportions + " (expected: at least one GPU, with a positive proportion)");
        }
        proportions = List.copyOf(proportions);
    }

    /**
     * {@inheritDoc}
     *
     * @throws IllegalArgumentException unless the devices are one accelerator per proportion, optionally followed by
     *     one system-RAM device
     */
    @Override
    public void checkDevices(List<Device> devices) {
        Objects.requireNonNull(devices, "devices");
        int gpus = proportions.size();
        boolean sizeOk = devices.size() == gpus || devices.size() == gpus + 1;
        boolean kindsOk = sizeOk;
        for (int i = 0; kindsOk && i < gpus; i++) {
            kindsOk = devices.get(i).kind() != DeviceKind.SYSTEM_RAM;
        }
        if (!kindsOk || devices.size() == gpus + 1 && devices.get(gpus).kind() != DeviceKind.SYSTEM_RAM) {
            throw Deployment.refusedDevices(devices, gpus + " DISCRETE_GPU or UNIFIED_MEMORY devices, one per proportion,"
                    + " optionally followed by a SYSTEM_RAM device");
        }
    }

    /** Accepts every model: the proportions name no layer. */
    @Override
    public void checkModel(ModelSpec model, List<Device> devices) {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(devices, "devices");
        // proportions are relative, so every model can be split
    }

    private int blockDevice(int block, int layers) {
        int gpus = proportions.size();
        float sum = 0;
        for (double p : proportions) {
            sum += (float) p;
        }
        float position = (float) block / (float) (layers + 1);
        float cumulative = 0;
        for (int i = 0; i < gpus; i++) {
            cumulative += (float) (double) proportions.get(i);
            if (cumulative / sum > position) {
                return i;
            }
        }
        return gpus - 1;
    }

    @Override
    public double weightShare(int device, Tensor tensor, ModelSpec model, List<Device> devices) {
        Shares.checkTensor(device, tensor, model, devices);
        int layers = model.layers().size();
        int embedding = devices.size() > proportions.size() ? proportions.size() : blockDevice(0, layers);
        return Shares.wholeTensor(device, tensor, layers, embedding, block -> blockDevice(block, layers));
    }

    @Override
    public double layerShare(int device, int layer, ModelSpec model, List<Device> devices) {
        Shares.checkLayer(device, layer, model, devices);
        return blockDevice(layer, model.layers().size()) == device ? 1 : 0;
    }
}
