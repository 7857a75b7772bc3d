package io.github.llmestimator.hardware;

import io.github.llmestimator.internal.Checks;
import io.github.llmestimator.model.ModelSpec;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * One or more devices and the {@link Placement} that spreads a model over them.
 *
 * <p>The factories name the layouts people use:
 * <pre>{@code
 * Deployment.of(rtx4090);                                  // everything on one device
 * Deployment.gpuLayers(rtx4090, ddr5, 33);                 // llama.cpp -ngl 33
 * Deployment.expertsInSystemRam(rtx4090, ddr5, 48);        // llama.cpp --n-cpu-moe 48 (all 48 layers: --cpu-moe)
 * Deployment.layerSplit(List.of(rtx3090, rtx3090));        // llama.cpp --tensor-split, by memory size
 * Deployment.tensorParallel(h100, 8);                      // vLLM --tensor-parallel-size 8
 * }</pre>
 *
 * @param devices the devices, in the order the placement expects; at least one; copied
 * @param placement the placement, not null
 */
public record Deployment(List<Device> devices, Placement placement) {

    /**
     * Validates and copies the components.
     *
     * @param devices the devices, in the order the placement expects; at least one; copied
     * @param placement the placement, not null
     * @throws NullPointerException if an argument or a device is null
     * @throws IllegalArgumentException if there is no device, or the devices do not suit the placement
     */
    public Deployment {
        Objects.requireNonNull(devices, "devices");
        Objects.requireNonNull(placement, "placement");
        for (int i = 0; i < devices.size(); i++) {
            // the message is built only when thrown: solvers build deployments in their inner loops
            if (devices.get(i) == null) {
                throw new NullPointerException("devices[" + i + "]");
            }
        }
        if (devices.isEmpty()) {
            throw new IllegalArgumentException("devices: [] (expected: at least one device)");
        }
        devices = List.copyOf(devices);
        placement.checkDevices(devices);
    }

    /**
     * Returns a deployment of everything on one device.
     *
     * @param device the device, not null
     * @return the deployment
     * @throws NullPointerException if {@code device} is null
     */
    public static Deployment of(Device device) {
        return new Deployment(List.of(Objects.requireNonNull(device, "device")), SingleDevice.INSTANCE);
    }

    /**
     * Returns llama.cpp's {@code -ngl gpuLayers}: see {@link GpuLayers}.
     *
     * @param gpu the GPU, a {@link DeviceKind#DISCRETE_GPU}, not null
     * @param systemRam the host memory, a {@link DeviceKind#SYSTEM_RAM} device, not null
     * @param gpuLayers blocks on the GPU, the output head counting as the last; at least 0 and at most the model's
     *     layers + 1 (checked when the deployment meets a model)
     * @return the deployment
     * @throws NullPointerException if a device is null
     * @throws IllegalArgumentException if {@code gpuLayers} is negative or a device has the wrong kind
     */
    public static Deployment gpuLayers(Device gpu, Device systemRam, int gpuLayers) {
        return new Deployment(pair(gpu, systemRam), new GpuLayers(gpuLayers));
    }

    /**
     * Returns llama.cpp's {@code --n-cpu-moe firstLayers} (with {@code -ngl} covering every layer): see
     * {@link ExpertsInSystemRam}. Pass the model's layer count for {@code --cpu-moe}.
     *
     * @param gpu the GPU, a {@link DeviceKind#DISCRETE_GPU}, not null
     * @param systemRam the host memory, a {@link DeviceKind#SYSTEM_RAM} device, not null
     * @param firstLayers leading layers whose routed experts stay in system RAM; at least 0 and at most the model's
     *     layers (checked when the deployment meets a model)
     * @return the deployment
     * @throws NullPointerException if a device is null
     * @throws IllegalArgumentException if {@code firstLayers} is negative or a device has the wrong kind
     */
    public static Deployment expertsInSystemRam(Device gpu, Device systemRam, int firstLayers) {
        return new Deployment(pair(gpu, systemRam), new ExpertsInSystemRam(firstLayers));
    }

    private static List<Device> pair(Device gpu, Device systemRam) {
        return List.of(Objects.requireNonNull(gpu, "gpu"), Objects.requireNonNull(systemRam, "systemRam"));
    }

    /**
     * Returns a layer split across GPUs in proportion to their installed memory (llama.cpp's default splits by free
     * memory): see {@link LayerSplit}.
     *
     * @param gpus the GPUs, at least one, not null
     * @return the deployment
     * @throws NullPointerException if the list or a device is null
     * @throws IllegalArgumentException if the list is empty or holds a system-RAM device
     */
    public static Deployment layerSplit(List<Device> gpus) {
        Objects.requireNonNull(gpus, "gpus");
        List<Double> proportions = new ArrayList<>(gpus.size());
        for (int i = 0; i < gpus.size(); i++) {
            Device gpu = gpus.get(i);
            if (gpu == null) {
                throw new NullPointerException("gpus[" + i + "]");
            }
            proportions.add((double) gpu.memoryBytes());
        }
        if (gpus.isEmpty()) {
            throw new IllegalArgumentException("gpus: [] (expected: at least one device)");
        }
        return new Deployment(gpus, new LayerSplit(proportions));
    }

    /**
     * Returns a layer split across GPUs in the given proportions ({@code --tensor-split}): see {@link LayerSplit}.
     *
     * @param gpus the GPUs, one per proportion, not null
     * @param proportions the proportions, not null
     * @return the deployment
     * @throws NullPointerException if an argument or an element is null
     * @throws IllegalArgumentException if the proportions are invalid or do not match the GPUs
     */
    public static Deployment layerSplit(List<Device> gpus, List<Double> proportions) {
        return new Deployment(Objects.requireNonNull(gpus, "gpus"), new LayerSplit(proportions));
    }

    /**
     * Returns a layer split across GPUs in the given proportions, with the token embedding in system RAM as llama.cpp
     * keeps it: see {@link LayerSplit}.
     *
     * @param gpus the GPUs, one per proportion, not null
     * @param proportions the proportions, not null
     * @param systemRam the host memory, a {@link DeviceKind#SYSTEM_RAM} device, not null
     * @return the deployment
     * @throws NullPointerException if an argument or an element is null
     * @throws IllegalArgumentException if the proportions are invalid or a device has the wrong kind
     */
    public static Deployment layerSplit(List<Device> gpus, List<Double> proportions, Device systemRam) {
        List<Device> all = new ArrayList<>(Objects.requireNonNull(gpus, "gpus"));
        all.add(Objects.requireNonNull(systemRam, "systemRam"));
        return new Deployment(all, new LayerSplit(proportions));
    }

    /**
     * Returns tensor parallelism over {@code count} copies of one GPU: see {@link TensorParallel}.
     *
     * @param gpu the GPU, not null
     * @param count the number of GPUs, 2 to {@value TensorParallel#MAX_DEVICES}
     * @return the deployment
     * @throws NullPointerException if {@code gpu} is null
     * @throws IllegalArgumentException if {@code count} is not 2 to {@value TensorParallel#MAX_DEVICES} or the
     *     device is system RAM
     */
    public static Deployment tensorParallel(Device gpu, int count) {
        Objects.requireNonNull(gpu, "gpu");
        Checks.between("count", count, 2, TensorParallel.MAX_DEVICES, " GPUs");
        TensorParallel placement = new TensorParallel(count);
        return new Deployment(Collections.nCopies(count, gpu), placement);
    }

    /**
     * Checks that a model has what the placement names.
     *
     * @param model the model, not null
     * @throws NullPointerException if {@code model} is null
     * @throws IllegalArgumentException if the placement names more layers than the model has, or cannot split it
     */
    public void checkModel(ModelSpec model) {
        placement.checkModel(Objects.requireNonNull(model, "model"), devices);
    }

    /** The exception for a list of devices a placement cannot use: their names and kinds, and what it needs. */
    static IllegalArgumentException refusedDevices(List<Device> devices, String expected) {
        StringBuilder kinds = new StringBuilder("[");
        for (int i = 0; i < devices.size(); i++) {
            kinds.append(i == 0 ? "" : ", ").append(devices.get(i).name()).append(' ').append(devices.get(i).kind());
        }
        return Checks.refused("devices", kinds.append(']'), expected);
    }
}
