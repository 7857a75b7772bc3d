package io.github.llmestimator.hardware;

import io.github.llmestimator.model.ModelSpec;
import io.github.llmestimator.model.Tensor;
import io.github.llmestimator.model.TensorRole;
import java.util.List;
import java.util.Objects;
import java.util.function.IntUnaryOperator;

/** The share arithmetic the placements have in common. */
final class Shares {

    private Shares() {
    }

    /**
     * Returns the share of a tensor held by {@code device} when every tensor lives whole on one device: the embedding
     * on {@code embeddingDevice}, the output head and norm on the device of block {@code layers} (llama.cpp's output
     * "layer"), layer tensors on the device of their block, multi-token-prediction tensors nowhere.
     */
    static double wholeTensor(int device, Tensor tensor, int layers, int embeddingDevice,
            IntUnaryOperator blockDevice) {
        int holder;
        switch (tensor.role()) {
            case NEXT_TOKEN_PREDICTION:
                return 0;
            case TOKEN_EMBEDDING:
                holder = embeddingDevice;
                break;
            case OUTPUT:
                holder = blockDevice.applyAsInt(layers);
                break;
            default:
                holder = blockDevice.applyAsInt(tensor.layer().getAsInt());
        }
        return holder == device ? 1 : 0;
    }

    /**
     * Checks a split's proportions, each non-null, finite and non-negative, and returns their sum (the caller checks
     * its count and that the sum is positive).
     */
    static double proportionSum(List<Double> proportions) {
        Objects.requireNonNull(proportions, "proportions");
        double sum = 0;
        for (int i = 0; i < proportions.size(); i++) {
            Double p = proportions.get(i);
            if (p == null) {
                throw new NullPointerException("proportions[" + i + "]");
            }
            if (!(p >= 0) || p.isInfinite()) {
                throw new IllegalArgumentException(
                        "proportions[" + i + "]: " + p + " (expected: a finite number >= 0)");
            }
            sum += p;
        }
        return sum;
    }

    /**
     * Checks the arguments of {@link Placement#weightShare}: called once per tensor when a deployment is placed, never
     * while estimating.
     */
    static void checkTensor(int device, Tensor tensor, ModelSpec model, List<Device> devices) {
        Objects.requireNonNull(tensor, "tensor");
        checkDevice(device, model, devices);
    }

    /** Checks the arguments of {@link Placement#layerShare} and {@link Placement#cacheShare}. */
    static void checkLayer(int device, int layer, ModelSpec model, List<Device> devices) {
        checkDevice(device, model, devices);
        int layers = model.layers().size();
        if (layer < 0 || layer >= layers) {
            throw new IllegalArgumentException("layer: " + layer + " (expected: 0 to " + (layers - 1) + ", a layer of "
                    + model.name() + ")");
        }
    }

    private static void checkDevice(int device, ModelSpec model, List<Device> devices) {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(devices, "devices");
        if (device < 0 || device >= devices.size()) {
            throw new IllegalArgumentException("device: " + device + " (expected: 0 to " + (devices.size() - 1)
                    + ", an index into the " + devices.size() + " devices)");
        }
    }

    static boolean loaded(Tensor tensor) {
        return tensor.role() != TensorRole.NEXT_TOKEN_PREDICTION;
    }
}
