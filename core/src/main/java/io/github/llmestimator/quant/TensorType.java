package io.github.llmestimator.quant;

import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A ggml tensor type (the per-tensor type of a GGUF file), or a non-GGUF storage type that stores whole blocks in the
 * same way, with its block size and bytes per block so that bits per weight are exact.
 *
 * <p>The ggml ids, block sizes and block bytes follow ggml's type-traits table ({@code ggml/src/ggml.c},
 * {@code ggml-common.h}); ids 4, 5, 31-33 and 36-38 belong to removed types and are absent. Types without an id
 * ({@link #FP8_E4M3}, {@link #FP8_E5M2}) are checkpoint formats that no GGUF file holds.
 *
 * <p>This enum is immutable and thread-safe.
 */
public enum TensorType implements StorageType {
    /** IEEE single precision. */
    F32(0, 1, 4),
    /** IEEE half precision. */
    F16(1, 1, 2),
    /** 32 weights: fp16 scale + 16 bytes of nibbles. */
    Q4_0(2, 32, 18),
    /** 32 weights: fp16 scale and min + nibbles. */
    Q4_1(3, 32, 20),
    /** 32 weights: fp16 scale + 4 bytes of high bits + nibbles. */
    Q5_0(6, 32, 22),
    /** 32 weights: fp16 scale and min + high bits + nibbles. */
    Q5_1(7, 32, 24),
    /** 32 weights: fp16 scale + 32 int8. */
    Q8_0(8, 32, 34),
    /** 32 weights: fp16 scale and sum + 32 int8 (an activation-side type). */
    Q8_1(9, 32, 36),
    /** k-quant super-block of 256 weights, 2.625 bits per weight. */
    Q2_K(10, 256, 84),
    /** k-quant super-block of 256 weights, 3.4375 bits per weight. */
    Q3_K(11, 256, 110),
    /** k-quant super-block of 256 weights, 4.5 bits per weight. */
    Q4_K(12, 256, 144),
    /** k-quant super-block of 256 weights, 5.5 bits per weight. */
    Q5_K(13, 256, 176),
    /** k-quant super-block of 256 weights, 6.5625 bits per weight. */
    Q6_K(14, 256, 210),
    /** k-quant intermediate type, 9.125 bits per weight. */
    Q8_K(15, 256, 292),
    /** i-quant, 2.0625 bits per weight. */
    IQ2_XXS(16, 256, 66),
    /** i-quant, 2.3125 bits per weight. */
    IQ2_XS(17, 256, 74),
    /** i-quant, 3.0625 bits per weight. */
    IQ3_XXS(18, 256, 98),
    /** i-quant, 1.5625 bits per weight. */
    IQ1_S(19, 256, 50),
    /** non-linear 4-bit quant with blocks of 32, 4.5 bits per weight. */
    IQ4_NL(20, 32, 18),
    /** i-quant, 3.4375 bits per weight. */
    IQ3_S(21, 256, 110),
    /** i-quant, 2.5625 bits per weight. */
    IQ2_S(22, 256, 82),
    /** non-linear 4-bit quant with super-blocks of 256, 4.25 bits per weight. */
    IQ4_XS(23, 256, 136),
    /** 8-bit integer. */
    I8(24, 1, 1),
    /** 16-bit integer. */
    I16(25, 1, 2),
    /** 32-bit integer. */
    I32(26, 1, 4),
    /** 64-bit integer. */
    I64(27, 1, 8),
    /** IEEE double precision. */
    F64(28, 1, 8),
    /** i-quant, 1.75 bits per weight (no fp16 header). */
    IQ1_M(29, 256, 56),
    /** bfloat16. */
    BF16(30, 1, 2),
    /** ternary, 1.6875 bits per weight. */
    TQ1_0(34, 256, 54),
    /** ternary, 2.0625 bits per weight. */
    TQ2_0(35, 256, 66),
    /** OCP microscaling FP4: 32 E2M1 values + one E8M0 scale byte, 4.25 bits per weight. */
    MXFP4(39, 32, 17),
    /** NVIDIA FP4: 64 E2M1 values + four UE4M3 scales (one per 16), 4.5 bits per weight. */
    NVFP4(40, 64, 36),
    /** 1-bit quant with fp16 scale per 128, 1.125 bits per weight. */
    Q1_0(41, 128, 18),
    /** 2-bit quant with fp16 scale per 64, 2.25 bits per weight. */
    Q2_0(42, 64, 18),
    /**
     * FP8 E4M3 checkpoint weights (one byte each); per-tensor or per-128x128-block scales are a negligible extra and
     * not counted. Not a ggml type.
     */
    FP8_E4M3(-1, 1, 1),
    /** FP8 E5M2 checkpoint weights (one byte each). Not a ggml type. */
    FP8_E5M2(-1, 1, 1);

    private static final TensorType[] BY_GGML_ID = new TensorType[43];

    static {
        for (TensorType type : values()) {
            if (type.ggmlId >= 0) {
                BY_GGML_ID[type.ggmlId] = type;
            }
        }
    }

    private final int ggmlId;
    private final int blockSize;
    private final int bytesPerBlock;

    TensorType(int ggmlId, int blockSize, int bytesPerBlock) {
        this.ggmlId = ggmlId;
        this.blockSize = blockSize;
        this.bytesPerBlock = bytesPerBlock;
    }

    /**
     * Returns the type with the given ggml type id, as stored in a GGUF tensor-info entry.
     *
     * @param ggmlId the ggml type id
     * @return the type, or empty for an id of a removed or unknown type
     */
    public static Optional<TensorType> ofGgmlId(int ggmlId) {
        if (ggmlId < 0 || ggmlId >= BY_GGML_ID.length) {
            return Optional.empty();
        }
        return Optional.ofNullable(BY_GGML_ID[ggmlId]);
    }

    /**
     * Returns the type with the given name, ignoring case ({@code "q4_k"} and {@code "Q4_K"} both name {@link #Q4_K}).
     *
     * @param name the type name, not null
     * @return the type
     * @throws IllegalArgumentException if no type has that name; the message lists the known names
     */
    public static TensorType ofName(String name) {
        java.util.Objects.requireNonNull(name, "name");
        try {
            return valueOf(name.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "tensor type: '" + name + "' (expected one of " + java.util.Arrays.toString(values()) + ")", e);
        }
    }

    /**
     * Returns the ggml type id; empty for a type that no GGUF file holds.
     *
     * @return the ggml id, or empty
     */
    public OptionalInt ggmlId() {
        return ggmlId < 0 ? OptionalInt.empty() : OptionalInt.of(ggmlId);
    }

    @Override
    public String label() {
        return name();
    }

    @Override
    public int blockSize() {
        return blockSize;
    }

    /**
     * Returns the bytes one block of {@link #blockSize()} elements occupies.
     *
     * @return bytes per block
     */
    public int bytesPerBlock() {
        return bytesPerBlock;
    }

    /**
     * Returns the exact bits per weight, defined as {@code 8 * bytesPerBlock / blockSize}.
     *
     * @return bits per weight
     */
    @Override
    public double bitsPerWeight() {
        return 8.0 * bytesPerBlock / blockSize;
    }

    /**
     * Returns whether this type quantizes weights into blocks of more than one element.
     *
     * @return true for block-quantized types such as {@link #Q4_K}; false for F32, F16, BF16, integers and FP8
     */
    public boolean isBlockQuantized() {
        return blockSize > 1;
    }

    /**
     * Returns the bytes of one row of {@code rowLength} elements, defined as
     * {@code rowLength / blockSize * bytesPerBlock} (ggml's {@code ggml_row_size}).
     *
     * @param rowLength the row length, a positive multiple of {@link #blockSize()}
     * @return the row's bytes
     * @throws IllegalArgumentException if the row length is not a positive multiple of the block size, or its bytes
     *     overflow a {@code long}
     */
    public long rowBytes(long rowLength) {
        if (!acceptsRowLength(rowLength)) {
            throw new IllegalArgumentException(
                    "rowLength: " + rowLength + " (expected: a positive multiple of " + blockSize + " for " + name() + ")");
        }
        long blocks = rowLength / blockSize;
        if (blocks > Long.MAX_VALUE / bytesPerBlock) {
            throw new IllegalArgumentException("rowLength: " + rowLength + " (expected: at most "
                    + Long.MAX_VALUE / bytesPerBlock * blockSize + ", so that the row's bytes in " + name()
                    + " fit a long)");
        }
        return blocks * bytesPerBlock;
    }

    @Override
    public long tensorBytes(long rowLength, long rows) {
        if (rows < 1) {
            throw new IllegalArgumentException("rows: " + rows + " (expected: >= 1)");
        }
        long rowBytes = rowBytes(rowLength);
        if (rows > Long.MAX_VALUE / rowBytes) {
            throw new IllegalArgumentException("rows: " + rows + " (expected: 1 to " + Long.MAX_VALUE / rowBytes
                    + ", so that rows of " + rowBytes + " bytes fit a long)");
        }
        return rows * rowBytes;
    }
}
