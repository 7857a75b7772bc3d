package io.github.llmestimator.vision;

import java.util.Objects;

/**
 * One tensor of a projector file, named as llama.cpp's {@code tools/mtmd/clip-impl.h} names it.
 *
 * @param name the GGUF tensor name, such as {@code v.blk.0.attn_q.weight}
 * @param rowLength elements per row ({@code ne0}), at least 1
 * @param elements all elements, a positive multiple of {@code rowLength}
 * @param storage which of the converter's type rules the tensor follows
 */
public record ProjectorTensor(String name, long rowLength, long elements, Storage storage) {

    /** Which type rule of the converter a tensor follows. */
    public enum Storage {
        /** A 2-D weight: stored at the file type. */
        WEIGHT,
        /** Always F32: 1-D tensors (biases, norms), position embeddings, Gemma 3's embeddings. */
        F32,
        /** Always F16: Gemma 3's input projection. */
        F16,
        /** Patch embedding or patch merger: F16 in an F16 file, F32 in any other. */
        PATCH
    }

    /**
     * Validates the components.
     *
     * @param name the GGUF tensor name, such as {@code v.blk.0.attn_q.weight}
     * @param rowLength elements per row ({@code ne0}), at least 1
     * @param elements all elements, a positive multiple of {@code rowLength}
     * @param storage which of the converter's type rules the tensor follows
     * @throws NullPointerException if {@code name} or {@code storage} is null
     * @throws IllegalArgumentException if a size is not positive or {@code elements} is not a multiple of
     *     {@code rowLength}
     */
    public ProjectorTensor {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(storage, "storage");
        if (rowLength < 1 || elements < 1 || elements % rowLength != 0) {
            throw new IllegalArgumentException("tensor " + name + ": rowLength " + rowLength + ", elements " + elements
                    + " (expected: both >= 1, elements a multiple of rowLength)");
        }
    }

    /**
     * Returns the number of rows, defined as {@code elements / rowLength}.
     *
     * @return rows
     */
    public long rows() {
        return elements / rowLength;
    }

    /**
     * Returns the tensor's bytes in a file of the given type.
     *
     * @param type the file type, not null
     * @return bytes
     * @throws NullPointerException if {@code type} is null
     */
    public long bytes(ProjectorType type) {
        return Objects.requireNonNull(type, "type").typeOf(this).tensorBytes(rowLength, rows());
    }
}
