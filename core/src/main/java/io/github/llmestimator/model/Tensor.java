package io.github.llmestimator.model;

import java.util.Objects;
import java.util.OptionalInt;

/**
 * One weight tensor of a model, named and shaped as in a llama.cpp GGUF file.
 *
 * <p>{@code ne0} is the row length (the input dimension of a weight matrix); the tensor has {@code ne1 * ne2} rows.
 * A 1-D tensor has {@code ne1 == ne2 == 1} and {@code dimensions == 1}.
 *
 * @param name the GGUF tensor name, such as {@code blk.3.attn_q.weight}
 * @param role what the tensor is for
 * @param layer the layer index, empty for tensors outside the layers (embeddings, output)
 * @param dimensions the number of dimensions, 1 to 3
 * @param ne0 elements per row, at least 1
 * @param ne1 second dimension, at least 1
 * @param ne2 third dimension (experts, heads), at least 1
 */
public record Tensor(String name, TensorRole role, OptionalInt layer, int dimensions, long ne0, long ne1, long ne2) {

    /**
     * Validates the components.
     *
     * @param name the GGUF tensor name, such as {@code blk.3.attn_q.weight}
     * @param role what the tensor is for
     * @param layer the layer index, at least 0, or empty for tensors outside the layers (embeddings, output)
     * @param dimensions the number of dimensions, 1 to 3
     * @param ne0 elements per row, at least 1
     * @param ne1 second dimension, at least 1
     * @param ne2 third dimension (experts, heads), at least 1
     * @throws NullPointerException if {@code name}, {@code role} or {@code layer} is null
     * @throws IllegalArgumentException if a dimension is not positive, the element count overflows a {@code long},
     *     {@code dimensions} is not 1 to 3, or {@code layer} is negative
     */
    public Tensor {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(layer, "layer");
        if (dimensions < 1 || dimensions > 3) {
            throw new IllegalArgumentException("dimensions: " + dimensions + " (expected: 1 to 3)");
        }
        requireDimension("ne0", ne0, name);
        requireDimension("ne1", ne1, name);
        requireDimension("ne2", ne2, name);
        if (ne0 > Long.MAX_VALUE / ne1 / ne2) {
            throw new IllegalArgumentException("ne0: " + ne0 + " (expected: at most " + Long.MAX_VALUE / ne1 / ne2
                    + ", so that " + name + "'s element count with ne1 = " + ne1 + " and ne2 = " + ne2
                    + " fits a long)");
        }
        if (layer.isPresent() && layer.getAsInt() < 0) {
            throw new IllegalArgumentException("layer: " + layer.getAsInt() + " (expected: >= 0, or empty for a tensor"
                    + " outside the layers)");
        }
    }

    private static void requireDimension(String dimension, long value, String name) {
        if (value < 1) {
            throw new IllegalArgumentException(dimension + ": " + value + " (expected: >= 1, in tensor " + name + ")");
        }
    }

    static Tensor vector(String name, TensorRole role, int layer, long length) {
        return new Tensor(name, role, layerIndex(layer), 1, length, 1, 1);
    }

    static Tensor matrix(String name, TensorRole role, int layer, long ne0, long ne1) {
        return new Tensor(name, role, layerIndex(layer), 2, ne0, ne1, 1);
    }

    static Tensor stacked(String name, TensorRole role, int layer, long ne0, long ne1, long ne2) {
        return new Tensor(name, role, layerIndex(layer), 3, ne0, ne1, ne2);
    }

    /** The block number the builders below take for the embeddings and the output. */
    static final int OUTSIDE_LAYERS = -1;

    private static OptionalInt layerIndex(int layer) {
        return layer == OUTSIDE_LAYERS ? OptionalInt.empty() : OptionalInt.of(layer);
    }

    /**
     * Returns the number of elements, defined as {@code ne0 * ne1 * ne2}; the constructor checked that it fits a
     * {@code long}.
     *
     * @return the element count
     */
    public long elements() {
        return ne0 * ne1 * ne2;
    }

    /**
     * Returns the number of rows, defined as {@code ne1 * ne2}.
     *
     * @return the row count
     */
    public long rows() {
        return ne1 * ne2;
    }
}
