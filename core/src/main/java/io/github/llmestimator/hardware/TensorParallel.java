package io.github.llmestimator.hardware;

import io.github.llmestimator.internal.Checks;
import io.github.llmestimator.model.MixerBlock;
import io.github.llmestimator.model.ModelSpec;
import io.github.llmestimator.model.Tensor;
import java.util.List;
import java.util.Objects;

/**
 * Tensor parallelism across {@code devices} identical GPUs, as vLLM does it: every weight matrix is split into
 * {@code devices} shards, each GPU computes its share of every layer at the same time (attention heads divided), and
 * each GPU caches the KV heads of its query heads: {@code kvHeads / devices} heads when there are at least as many KV
 * heads as GPUs, else one replicated head (vLLM requires one count to divide the other). MLA's single latent is
 * replicated on every GPU; recurrent state is divided. All-reduce traffic between the GPUs is not modelled.
 *
 * <p>Devices: {@code devices} equal accelerators.
 *
 * @param devices the number of GPUs, 2 to {@value #MAX_DEVICES}
 */
public record TensorParallel(int devices) implements Placement {

    /**
     * The most GPUs this placement splits a model over. Tensor parallelism spans one fast interconnect domain (8 GPUs
     * in a server, 72 in an NVL72 rack), and no model has more than a few hundred attention heads to divide; the bound
     * only keeps a mistyped count from building a list of millions of devices.
     */
    public static final int MAX_DEVICES = 1024;

    /**
     * Validates the component.
     *
     * @param devices the number of GPUs, 2 to {@value #MAX_DEVICES}
     * @throws IllegalArgumentException if {@code devices} is not 2 to {@value #MAX_DEVICES}
     */
    public TensorParallel {
        Checks.between("devices", devices, 2, MAX_DEVICES, " GPUs");
    }

    /**
     * {@inheritDoc}
     *
     * @throws IllegalArgumentException unless there are {@code devices} equal devices, none of them system RAM
     */
    @Override
    public void checkDevices(List<Device> devices) {
        Objects.requireNonNull(devices, "devices");
        boolean ok = devices.size() == this.devices && devices.get(0).kind() != DeviceKind.SYSTEM_RAM;
        for (int i = 1; ok && i < devices.size(); i++) {
            ok = devices.get(i).equals(devices.get(0));
        }
        if (!ok) {
            throw Deployment.refusedDevices(devices, this.devices + " identical DISCRETE_GPU or UNIFIED_MEMORY devices");
        }
    }

    /**
     * {@inheritDoc}
     *
     * @throws IllegalArgumentException if an attention layer's query heads are not a multiple of {@code devices}, or
     *     neither its KV heads nor {@code devices} divides the other
     */
    @Override
    public void checkModel(ModelSpec model, List<Device> devices) {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(devices, "devices");
        List<io.github.llmestimator.model.Layer> layers = model.layers();
        for (int i = 0; i < layers.size(); i++) {
            MixerBlock attention = layers.get(i).mixer();
            int heads = attention.queryHeads();
            int kvHeads = attention.keyValueHeads();
            if (heads > 0 && heads % this.devices != 0) {
                throw new IllegalArgumentException("devices: " + this.devices + " (expected: a divisor of the "
                        + heads + " query heads of layer " + i + " of " + model.name() + ")");
            }
            if (kvHeads > 0 && kvHeads % this.devices != 0 && this.devices % kvHeads != 0) {
                throw new IllegalArgumentException("devices: " + this.devices + " (expected: a divisor or a multiple of"
                        + " the " + kvHeads + " KV heads of layer " + i + " of " + model.name() + ")");
            }
        }
    }

    @Override
    public double weightShare(int device, Tensor tensor, ModelSpec model, List<Device> devices) {
        Shares.checkTensor(device, tensor, model, devices);
        return Shares.loaded(tensor) ? 1.0 / this.devices : 0;
    }

    @Override
    public double layerShare(int device, int layer, ModelSpec model, List<Device> devices) {
        Shares.checkLayer(device, layer, model, devices);
        return 1.0 / this.devices;
    }

    /**
     * {@inheritDoc} Defined as {@code 1 / min(devices, kvHeads)} for a layer with a KV cache (so 1 for MLA's single
     * latent), {@code 1 / devices} otherwise.
     */
    @Override
    public double cacheShare(int device, int layer, ModelSpec model, List<Device> devices) {
        Shares.checkLayer(device, layer, model, devices);
        int kvHeads = model.layers().get(layer).mixer().keyValueHeads();
        return kvHeads > 0 ? 1.0 / Math.min(this.devices, kvHeads) : 1.0 / this.devices;
    }

    @Override
    public boolean concurrent() {
        return true;
    }
}
