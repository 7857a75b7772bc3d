package io.github.llmestimator.quant;

import io.github.llmestimator.model.Tensor;
import java.util.Objects;

/**
 * One tensor with the storage type a quantization scheme gives it, and its size.
 *
 * @param tensor the tensor, not null
 * @param type its storage type, not null
 * @param bytes its size in bytes, defined as {@code type.tensorBytes(tensor.ne0(), tensor.rows())}
 */
public record TensorAssignment(Tensor tensor, StorageType type, long bytes) {

    /**
     * Validates the components.
     *
     * @param tensor the tensor, not null
     * @param type its storage type, not null
     * @param bytes its size in bytes, defined as {@code type.tensorBytes(tensor.ne0(), tensor.rows())}
     * @throws NullPointerException if a component is null
     * @throws IllegalArgumentException if {@code bytes} differs from the size the type gives the tensor
     */
    public TensorAssignment {
        Objects.requireNonNull(tensor, "tensor");
        Objects.requireNonNull(type, "type");
        long expected = type.tensorBytes(tensor.ne0(), tensor.rows());
        if (bytes != expected) {
            throw new IllegalArgumentException(
                    "bytes: " + bytes + " (expected: " + expected + " for " + tensor.name() + " as " + type.label() + ")");
        }
    }
}
