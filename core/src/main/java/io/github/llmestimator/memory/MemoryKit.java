package io.github.llmestimator.memory;

import java.util.List;
import java.util.Objects;

/**
 * A standard memory size a person can buy, as sold: RAM kits, unified-memory Macs and GPUs are sold in binary sizes, so
 * a "32 GB" kit holds 32 GiB (2^30-byte units).
 *
 * <p>The sizes, in GB as marketed: 8, 16, 24, 32, 48, 64, 96, 128, 192, 256, 384, 512, 768, 1024, 1536, 2048, 3072,
 * 4096, then every further multiple of 1024 (common DIMM kit, Mac and server configurations).
 *
 * @param nominalGiB the size in GiB (2^30 bytes), which is the number the kit is sold as, labelled "GB"
 */
public record MemoryKit(int nominalGiB) {

    /** The standard sizes in GiB (sold as "GB"), in ascending order. */
    public static final List<Integer> STANDARD_SIZES_GIB =
            List.of(8, 16, 24, 32, 48, 64, 96, 128, 192, 256, 384, 512, 768, 1024, 1536, 2048, 3072, 4096);

    /** The largest kit {@link #atLeast(long)} returns: the largest multiple of 1024 GB that is an {@code int}. */
    private static final int LARGEST_GIB = Integer.MAX_VALUE / 1024 * 1024;

    /**
     * Validates the size.
     *
     * @param nominalGiB the size in GiB, as the kit is sold
     * @throws IllegalArgumentException if {@code nominalGiB} is not positive
     */
    public MemoryKit {
        if (nominalGiB < 1) {
            throw new IllegalArgumentException("nominalGiB: " + nominalGiB + " (expected: >= 1)");
        }
    }

    /**
     * Returns the smallest standard size that holds at least {@code size}.
     *
     * @param size the memory needed, at most the bytes of a kit of {@code Integer.MAX_VALUE / 1024 * 1024} GB; not
     *     null
     * @return the kit
     * @throws NullPointerException if {@code size} is null
     * @throws IllegalArgumentException if {@code size} is more than the largest kit holds
     */
    public static MemoryKit atLeast(DataSize size) {
        long bytes = Objects.requireNonNull(size, "size").bytes();
        long largest = (long) LARGEST_GIB << 30;
        if (bytes > largest) {
            throw new IllegalArgumentException("size: " + bytes + " bytes (expected: at most " + largest
                    + ", the bytes of the largest kit, " + LARGEST_GIB + " GB)");
        }
        for (int gibibytes : STANDARD_SIZES_GIB) {
            if (((long) gibibytes << 30) >= bytes) {
                return new MemoryKit(gibibytes);
            }
        }
        long gib = (bytes >> 30) + ((bytes & ((1L << 30) - 1)) == 0 ? 0 : 1);
        return new MemoryKit((int) ((gib + 1023) / 1024 * 1024));
    }

    /**
     * Returns the bytes this kit holds, defined as {@code nominalGiB * 2^30}.
     *
     * @return bytes
     */
    public long bytes() {
        return (long) nominalGiB << 30;
    }

    /** Returns the kit as it is sold, e.g. {@code 32 GB} for 32 GiB. */
    @Override
    public String toString() {
        return nominalGiB + " GB";
    }
}
