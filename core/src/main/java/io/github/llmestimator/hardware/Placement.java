package io.github.llmestimator.hardware;

import io.github.llmestimator.model.ModelSpec;
import io.github.llmestimator.model.Tensor;
import java.util.List;

/**
 * Which device of a {@link Deployment} holds each tensor and each layer's cache, and whether the devices work on a
 * token one after another or at the same time.
 *
 * <p>Devices are named by their index in {@link Deployment#devices()}; each placement states the order it expects. A
 * <em>share</em> is the fraction of a tensor's bytes (or of a layer's cache, or of a layer's attention work) a device
 * holds: 0 or 1 for placements that put whole tensors on one device, {@code 1/N} for tensor parallelism. Shares of a
 * tensor over all devices sum to 1; cache shares may sum to more where a placement replicates a cache (tensor
 * parallelism with fewer KV heads than devices, or MLA's latent). Multi-token-prediction tensors are not loaded and
 * have share 0 everywhere.
 *
 * <p>Implementations are immutable and thread-safe.
 */
public sealed interface Placement permits SingleDevice, GpuLayers, ExpertsInSystemRam, LayerSplit, TensorParallel,
        SplitModeTensor {

    /**
     * Checks that a list of devices suits this placement (how many, of which kinds, in which order).
     *
     * @param devices the devices, not null
     * @throws IllegalArgumentException if they do not suit; the message names the devices and what is expected
     */
    void checkDevices(List<Device> devices);

    /**
     * Checks that a model has what this placement names (layers, heads).
     *
     * @param model the model, not null
     * @param devices the devices of the deployment, not null
     * @throws IllegalArgumentException if the placement names more layers than the model has, or the model cannot be
     *     split this way; the message names the parameter and what is allowed
     */
    void checkModel(ModelSpec model, List<Device> devices);

    /**
     * Returns the share of a tensor's bytes that one device holds.
     *
     * @param device the device's index in the deployment, 0 to {@code devices.size() - 1}
     * @param tensor a tensor of the model, not null
     * @param model the model, not null
     * @param devices the devices of the deployment, not null
     * @return the share, 0 to 1
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if {@code device} is not an index into {@code devices}
     */
    double weightShare(int device, Tensor tensor, ModelSpec model, List<Device> devices);

    /**
     * Returns the share of a layer's token-mixing work (attention over the cache, the recurrent update) that one device
     * does.
     *
     * @param device the device's index in the deployment, 0 to {@code devices.size() - 1}
     * @param layer the layer index, 0 to the model's layers - 1
     * @param model the model, not null
     * @param devices the devices of the deployment, not null
     * @return the share, 0 to 1
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if {@code device} or {@code layer} is not an index into the devices or the
     *     model's layers
     */
    double layerShare(int device, int layer, ModelSpec model, List<Device> devices);

    /**
     * Returns the share of a layer's KV cache (or recurrent state) that one device holds and reads; by default the
     * layer's own share ({@link #layerShare}).
     *
     * @param device the device's index in the deployment, 0 to {@code devices.size() - 1}
     * @param layer the layer index, 0 to the model's layers - 1
     * @param model the model, not null
     * @param devices the devices of the deployment, not null
     * @return the share, 0 to 1
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if {@code device} or {@code layer} is not an index into the devices or the
     *     model's layers
     */
    default double cacheShare(int device, int layer, ModelSpec model, List<Device> devices) {
        // a layer's KV cache and state live where the layer runs, except under tensor parallelism
        return layerShare(device, layer, model, devices);
    }

    /**
     * Returns whether the devices work on each token at the same time (tensor parallelism), rather than one after
     * another (every other placement, the default: a token passes the devices in turn, so their times add).
     *
     * @return true when the devices run concurrently
     */
    default boolean concurrent() {
        return false;
    }
}
