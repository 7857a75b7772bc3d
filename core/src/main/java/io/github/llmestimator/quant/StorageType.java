package io.github.llmestimator.quant;

/**
 * How the elements of a weight tensor are stored: a ggml block type ({@link TensorType}) or a group-quantized
 * checkpoint format ({@link GroupQuantizedType}).
 *
 * <p>Sizes are computed per row: a tensor of shape {@code [ne0, ne1, ne2]} has {@code ne1 * ne2} rows of {@code ne0}
 * elements, and each row is split into blocks along {@code ne0}, as ggml lays tensors out.
 *
 * <p>Implementations are immutable and thread-safe.
 */
public sealed interface StorageType permits TensorType, GroupQuantizedType {

    /**
     * Returns the conventional name of this type, such as {@code Q4_K} or {@code INT4_G128}.
     *
     * @return the name, not null
     */
    String label();

    /**
     * Returns the number of elements one block holds.
     *
     * @return the block size in elements, at least 1
     */
    int blockSize();

    /**
     * Returns the exact storage cost per element in bits, scales and zero points included.
     *
     * @return bits per weight, positive
     */
    double bitsPerWeight();

    /**
     * Returns whether a row of {@code rowLength} elements can be stored in this type.
     *
     * @param rowLength the row length {@code ne0}
     * @return true when {@code rowLength} is positive and a multiple of {@link #blockSize()}
     */
    default boolean acceptsRowLength(long rowLength) {
        return rowLength > 0 && rowLength % blockSize() == 0;
    }

    /**
     * Returns the bytes of a tensor with {@code rows} rows of {@code rowLength} elements.
     *
     * @param rowLength the row length {@code ne0}, a positive multiple of {@link #blockSize()}
     * @param rows the number of rows ({@code ne1 * ne2 * ne3}), at least 1
     * @return the tensor's bytes
     * @throws IllegalArgumentException if the row length is not a multiple of the block size, a count is not positive,
     *     or the size overflows a {@code long}
     */
    long tensorBytes(long rowLength, long rows);
}
