package io.github.llmestimator.quant;

/**
 * An integer weight format with one 16-bit scale (and optionally one packed zero point) per group of consecutive
 * weights along a row, as AWQ and GPTQ checkpoints store them.
 *
 * <p>Bits per group = {@code groupSize * bits + 16 + (zeroPoint ? bits : 0)}. AWQ and GPTQ pack the zero points of a
 * group in {@code bits} bits (in int32 words) and keep fp16 scales, so INT4 with group 128 costs
 * {@code (128*4 + 16 + 4) / 128 = 4.15625} bits per weight (AutoAWQ {@code WQLinear_GEMM}, AutoGPTQ {@code QuantLinear}).
 *
 * @param bits bits per weight: 2, 3, 4 or 8
 * @param groupSize weights per scale, a positive power of two
 * @param zeroPoint whether each group also stores a zero point of {@code bits} bits (asymmetric quantization)
 */
public record GroupQuantizedType(int bits, int groupSize, boolean zeroPoint) implements StorageType {

    /** AWQ / GPTQ 4-bit with group size 128 and zero points: the most common INT4 checkpoint format. */
    public static final GroupQuantizedType INT4_G128 = new GroupQuantizedType(4, 128, true);

    /**
     * Validates the components.
     *
     * @param bits bits per weight: 2, 3, 4 or 8
     * @param groupSize weights per scale, a positive power of two
     * @param zeroPoint whether each group also stores a zero point of {@code bits} bits (asymmetric quantization)
     * @throws IllegalArgumentException if {@code bits} is not 2, 3, 4 or 8, or {@code groupSize} is not a positive power
     *     of two
     */
    public GroupQuantizedType {
        if (bits != 2 && bits != 3 && bits != 4 && bits != 8) {
            throw new IllegalArgumentException("bits: " + bits + " (expected: 2, 3, 4 or 8)");
        }
        if (groupSize < 1 || Integer.bitCount(groupSize) != 1) {
            throw new IllegalArgumentException("groupSize: " + groupSize + " (expected: a positive power of two)");
        }
    }

    @Override
    public String label() {
        return "INT" + bits + "_G" + groupSize + (zeroPoint ? "" : "_SYM");
    }

    @Override
    public int blockSize() {
        return groupSize;
    }

    @Override
    public double bitsPerWeight() {
        return (double) bitsPerGroup() / groupSize;
    }

    private long bitsPerGroup() {
        return (long) groupSize * bits + 16 + (zeroPoint ? bits : 0);
    }

    /**
     * Returns the tensor's bytes, defined as {@code ceil(rows * rowLength / groupSize * bitsPerGroup / 8)}.
     */
    @Override
    public long tensorBytes(long rowLength, long rows) {
        if (!acceptsRowLength(rowLength)) {
            throw new IllegalArgumentException(
                    "rowLength: " + rowLength + " (expected: a positive multiple of " + groupSize + " for " + label() + ")");
        }
        if (rows < 1) {
            throw new IllegalArgumentException("rows: " + rows + " (expected: >= 1)");
        }
        long groupsPerRow = rowLength / groupSize;
        // bits, rounded up to bytes, must fit a long: groups * bitsPerGroup <= Long.MAX_VALUE - 7
        long mostGroups = (Long.MAX_VALUE - 7) / bitsPerGroup();
        if (rows > mostGroups / groupsPerRow) {
            throw new IllegalArgumentException("rows: " + rows + " (expected: 1 to " + mostGroups / groupsPerRow
                    + ", so that rows of " + rowLength + " elements in " + label() + " fit a long)");
        }
        return (rows * groupsPerRow * bitsPerGroup() + 7) / 8;
    }
}
