package io.github.llmestimator.hardware;

import io.github.llmestimator.model.Tensor;
import io.github.llmestimator.model.TensorRole;
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
                holder = blockDevice.applyAsInt(tensor.layer());
        }
        return holder == device ? 1 : 0;
    }

    static boolean loaded(Tensor tensor) {
        return tensor.role() != TensorRole.NEXT_TOKEN_PREDICTION;
    }
}
