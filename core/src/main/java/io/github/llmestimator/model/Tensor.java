package io.github.llmestimator.model;

import java.util.Objects;

/**
 * One weight tensor of a model, named and shaped as in a llama.cpp GGUF file.
 *
 * <p>{@code ne0} is the row length (the input dimension of a weight matrix); the tensor has {@code ne1 * ne2} rows.
 * A 1-D tensor has {@code ne1 == ne2 == 1} and {@code dimensions == 1}.
 *
 * @param name the GGUF tensor name, such as {@code blk.3.attn_q.weight}
 * @param role what the tensor is for
 * @param layer the layer index, or -1 for tensors outside the layers (embeddings, output)
 * @param dimensions the number of dimensions, 1 to 3
 * @param ne0 elements per row, at least 1
 * @param ne1 second dimension, at least 1
 * @param ne2 third dimension (experts, heads), at least 1
 */
public record Tensor(String name, TensorRole role, int layer, int dimensions, long ne0, long ne1, long ne2) {

    /**
     * Validates the components.
     *
     * @param name the GGUF tensor name, such as {@code blk.3.attn_q.weight}
     * @param role what the tensor is for
     * @param layer the layer index, or -1 for tensors outside the layers (embeddings, output)
     * @param dimensions the number of dimensions, 1 to 3
     * @param ne0 elements per row, at least 1
     * @param ne1 second dimension, at least 1
     * @param ne2 third dimension (experts, heads), at least 1
     * @throws NullPointerException if {@code name} or {@code role} is null
     * @throws IllegalArgumentException if a dimension is not positive, {@code dimensions} is not 1 to 3, or
     *     {@code layer} is below -1
     */
    public Tensor {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(role, "role");
        if (dimensions < 1 || dimensions > 3) {
            throw new IllegalArgumentException("dimensions: " + dimensions + " (expected: 1 to 3)");
        }
        if (ne0 < 1 || ne1 < 1 || ne2 < 1) {
            throw new IllegalArgumentException(
                    "shape of " + name + ": [" + ne0 + ", " + ne1 + ", " + ne2 + "] (expected: every dimension >= 1)");
        }
        if (layer < -1) {
            throw new IllegalArgumentException("layer: " + layer + " (expected: >= -1)");
        }
    }

    static Tensor vector(String name, TensorRole role, int layer, long length) {
        return new Tensor(name, role, layer, 1, length, 1, 1);
    }

    static Tensor matrix(String name, TensorRole role, int layer, long ne0, long ne1) {
        return new Tensor(name, role, layer, 2, ne0, ne1, 1);
    }

    static Tensor stacked(String name, TensorRole role, int layer, long ne0, long ne1, long ne2) {
        return new Tensor(name, role, layer, 3, ne0, ne1, ne2);
    }

    /**
     * Returns the number of elements, defined as {@code ne0 * ne1 * ne2}.
     *
     * @return the element count
     * @throws ArithmeticException if the count overflows a {@code long}
     */
    public long elements() {
        return Math.multiplyExact(Math.multiplyExact(ne0, ne1), ne2);
    }

    /**
     * Returns the number of rows, defined as {@code ne1 * ne2}.
     *
     * @return the row count
     */
    public long rows() {
        return Math.multiplyExact(ne1, ne2);
    }
}
