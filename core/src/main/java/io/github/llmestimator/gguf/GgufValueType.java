package io.github.llmestimator.gguf;

import java.util.Optional;

/**
 * The type of a GGUF metadata value, with its id as stored in the file ({@code enum gguf_type}, ggml
 * {@code include/gguf.h}) and the bytes one value of it takes.
 *
 * <p>This enum is immutable and thread-safe.
 */
public enum GgufValueType {
    /** Unsigned 8-bit integer. */
    UINT8(0, 1),
    /** Signed 8-bit integer. */
    INT8(1, 1),
    /** Unsigned 16-bit integer. */
    UINT16(2, 2),
    /** Signed 16-bit integer. */
    INT16(3, 2),
    /** Unsigned 32-bit integer. */
    UINT32(4, 4),
    /** Signed 32-bit integer. */
    INT32(5, 4),
    /** IEEE single precision. */
    FLOAT32(6, 4),
    /** One byte, false when 0 (ggml reads any other byte as true). */
    BOOL(7, 1),
    /** A 64-bit byte length followed by that many bytes of UTF-8. */
    STRING(8, 8),
    /** An element type, a 64-bit element count, then the elements. */
    ARRAY(9, 12),
    /** Unsigned 64-bit integer. */
    UINT64(10, 8),
    /** Signed 64-bit integer. */
    INT64(11, 8),
    /** IEEE double precision. */
    FLOAT64(12, 8);

    private static final GgufValueType[] BY_ID = values();

    private final int id;
    private final int minimumBytes;

    GgufValueType(int id, int minimumBytes) {
        this.id = id;
        this.minimumBytes = minimumBytes;
    }

    /**
     * Returns the type with the given id.
     *
     * @param id the id as stored in the file
     * @return the type, or empty for an unknown id
     */
    public static Optional<GgufValueType> ofId(int id) {
        if (id < 0 || id >= BY_ID.length) {
            return Optional.empty();
        }
        return Optional.of(BY_ID[id]);
    }

    /**
     * Returns the id stored in the file.
     *
     * @return the id, 0 to 12
     */
    public int id() {
        return id;
    }

    /**
     * Returns the fewest bytes one value of this type takes: its size for numbers and booleans, the length prefix for
     * a string, the element type and count for an array.
     *
     * @return bytes, at least 1
     */
    public int minimumBytes() {
        return minimumBytes;
    }

    /**
     * Returns whether this is one of the eight integer types.
     *
     * @return true for {@code UINT8} to {@code INT32}, {@code UINT64} and {@code INT64}
     */
    public boolean isInteger() {
        switch (this) {
            case UINT8: case INT8: case UINT16: case INT16: case UINT32: case INT32: case UINT64: case INT64:
                return true;
            default:
                return false;
        }
    }

    /**
     * Returns whether values of this type have a fixed size ({@link #minimumBytes()} each).
     *
     * @return false for {@code STRING} and {@code ARRAY}
     */
    public boolean isFixedSize() {
        return this != STRING && this != ARRAY;
    }
}
