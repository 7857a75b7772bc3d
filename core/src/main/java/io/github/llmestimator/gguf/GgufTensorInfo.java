package io.github.llmestimator.gguf;

import io.github.llmestimator.quant.TensorType;
import java.util.List;
import java.util.Objects;

/**
 * One entry of a GGUF file's tensor table: a tensor's name, shape, ggml type and where its data starts. The data
 * itself is never read.
 *
 * <p>{@code shape.get(0)} is {@code ne0}, the row length; a tensor of shape {@code [ne0, ne1, ne2, ne3]} has
 * {@code ne1 * ne2 * ne3} rows, and an empty shape (a 0-dimensional tensor) is one element.
 *
 * @param name the tensor name, such as {@code blk.0.attn_q.weight}, not null
 * @param shape the dimensions in ggml order, 0 to 4 of them, each at least 1
 * @param type the ggml type, one with a ggml id
 * @param dataOffset the offset of the tensor's data from the start of the data section, at least 0
 * @param infoOffset the byte offset of this entry from the start of the file, at least 0
 */
public record GgufTensorInfo(String name, List<Long> shape, TensorType type, long dataOffset, long infoOffset) {

    /** ggml's {@code GGML_MAX_DIMS}: a tensor has at most this many dimensions. */
    public static final int MAX_DIMENSIONS = 4;

    /**
     * Validates the components.
     *
     * @param name the tensor name, such as {@code blk.0.attn_q.weight}, not null
     * @param shape the dimensions in ggml order, 0 to 4 of them, each at least 1
     * @param type the ggml type, one with a ggml id
     * @param dataOffset the offset of the tensor's data from the start of the data section, at least 0
     * @param infoOffset the byte offset of this entry from the start of the file, at least 0
     * @throws NullPointerException if a component or a dimension is null
     * @throws IllegalArgumentException if there are more than {@value #MAX_DIMENSIONS} dimensions, a dimension is not
     *     positive, the element count or byte size overflows a {@code long}, the type has no ggml id, the row length
     *     is not a multiple of the type's block size, or an offset is negative
     */
    public GgufTensorInfo {
        Objects.requireNonNull(name, "name");
        shape = List.copyOf(Objects.requireNonNull(shape, "shape"));
        Objects.requireNonNull(type, "type");
        if (shape.size() > MAX_DIMENSIONS) {
            throw new IllegalArgumentException(
                    "dimensions of " + name + ": " + shape.size() + " (expected: 0 to " + MAX_DIMENSIONS + ")");
        }
        long elements = 1;
        for (long dimension : shape) {
            if (dimension < 1) {
                throw new IllegalArgumentException("shape of " + name + ": " + shape + " (expected: every dimension >= 1)");
            }
            elements = Math.multiplyExact(elements, dimension);
        }
        if (type.ggmlId().isEmpty()) {
            throw new IllegalArgumentException("type of " + name + ": " + type + " (expected: a ggml type)");
        }
        long rowLength = shape.isEmpty() ? 1 : shape.get(0);
        type.tensorBytes(rowLength, elements / rowLength);
        if (dataOffset < 0) {
            throw new IllegalArgumentException("dataOffset: " + dataOffset + " (expected: >= 0)");
        }
        if (infoOffset < 0) {
            throw new IllegalArgumentException("infoOffset: " + infoOffset + " (expected: >= 0)");
        }
    }

    /**
     * Returns the row length {@code ne0}.
     *
     * @return the row length, 1 for a 0-dimensional tensor
     */
    public long rowLength() {
        return shape.isEmpty() ? 1 : shape.get(0);
    }

    /**
     * Returns the element count, defined as the product of the dimensions.
     *
     * @return the element count, at least 1
     */
    public long elements() {
        long elements = 1;
        for (long dimension : shape) {
            elements *= dimension;
        }
        return elements;
    }

    /**
     * Returns the number of rows, defined as {@code elements / rowLength}.
     *
     * @return the row count, at least 1
     */
    public long rows() {
        return elements() / rowLength();
    }

    /**
     * Returns the size of the tensor's data, defined as {@code type.tensorBytes(rowLength, rows)} (ggml's
     * {@code ggml_nbytes}), without the padding to the file's alignment.
     *
     * @return bytes, at least 1
     */
    public long bytes() {
        return type.tensorBytes(rowLength(), rows());
    }
}
