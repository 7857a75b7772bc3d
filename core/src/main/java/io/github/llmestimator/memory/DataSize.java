package io.github.llmestimator.memory;

import java.util.Locale;
import java.util.Objects;

/**
 * An amount of memory in bytes, with explicit conversions to decimal gigabytes (GB, 10^9 bytes) and binary gibibytes
 * (GiB, 2^30 bytes).
 *
 * <p>llama.cpp prints sizes in MiB and GiB; Hugging Face file listings and GPU datasheets use GB. Conversions never
 * guess: {@link #toGB()} and {@link #toGiB()} say which.
 *
 * @param bytes the number of bytes, at least 0
 */
public record DataSize(long bytes) implements Comparable<DataSize> {

    /** No bytes. */
    public static final DataSize ZERO = new DataSize(0);

    private static final long GB = 1_000_000_000L;
    private static final long GIB = 1L << 30;
    private static final long MIB = 1L << 20;

    /**
     * Validates the size.
     *
     * @param bytes the number of bytes, at least 0
     * @throws IllegalArgumentException if {@code bytes} is negative
     */
    public DataSize {
        if (bytes < 0) {
            throw new IllegalArgumentException("bytes: " + bytes + " (expected: >= 0)");
        }
    }

    /**
     * Returns a size of the given bytes.
     *
     * @param bytes bytes, at least 0
     * @return the size
     * @throws IllegalArgumentException if {@code bytes} is negative
     */
    public static DataSize ofBytes(long bytes) {
        return new DataSize(bytes);
    }

    /**
     * Returns a size of whole mebibytes (2^20 bytes).
     *
     * @param mebibytes MiB, 0 to {@code Long.MAX_VALUE / 2^20}
     * @return the size
     * @throws IllegalArgumentException if negative, or the bytes overflow a {@code long}
     */
    public static DataSize ofMiB(long mebibytes) {
        return new DataSize(requireInRange(mebibytes, "mebibytes", MIB) * MIB);
    }

    /**
     * Returns a size of whole gibibytes (2^30 bytes).
     *
     * @param gibibytes GiB, 0 to {@code Long.MAX_VALUE / 2^30}
     * @return the size
     * @throws IllegalArgumentException if negative, or the bytes overflow a {@code long}
     */
    public static DataSize ofGiB(long gibibytes) {
        return new DataSize(requireInRange(gibibytes, "gibibytes", GIB) * GIB);
    }

    /**
     * Returns a size of whole gigabytes (10^9 bytes).
     *
     * @param gigabytes GB, 0 to {@code Long.MAX_VALUE / 10^9}
     * @return the size
     * @throws IllegalArgumentException if negative, or the bytes overflow a {@code long}
     */
    public static DataSize ofGB(long gigabytes) {
        return new DataSize(requireInRange(gigabytes, "gigabytes", GB) * GB);
    }

    private static long requireInRange(long value, String name, long unit) {
        if (value < 0 || value > Long.MAX_VALUE / unit) {
            throw new IllegalArgumentException(name + ": " + value + " (expected: 0 to " + Long.MAX_VALUE / unit
                    + ", so that the bytes fit a long)");
        }
        return value;
    }

    /**
     * Returns this size in decimal gigabytes, defined as {@code bytes / 10^9}.
     *
     * @return GB
     */
    public double toGB() {
        return bytes / (double) GB;
    }

    /**
     * Returns this size in binary gibibytes, defined as {@code bytes / 2^30}.
     *
     * @return GiB
     */
    public double toGiB() {
        return bytes / (double) GIB;
    }

    /**
     * Returns this size in binary mebibytes, defined as {@code bytes / 2^20}, the unit of llama.cpp's buffer logs.
     *
     * @return MiB
     */
    public double toMiB() {
        return bytes / (double) MIB;
    }

    /**
     * Returns the sum of this size and another.
     *
     * @param other the other size, not null
     * @return the sum; this instance is immutable and unaffected by this method call
     * @throws NullPointerException if {@code other} is null
     * @throws IllegalArgumentException if the sum overflows a {@code long}
     */
    public DataSize plus(DataSize other) {
        Objects.requireNonNull(other, "other");
        if (other.bytes > Long.MAX_VALUE - bytes) {
            throw new IllegalArgumentException("other: " + other.bytes + " bytes (expected: at most "
                    + (Long.MAX_VALUE - bytes) + ", so that the sum with " + bytes + " bytes fits a long)");
        }
        return new DataSize(bytes + other.bytes);
    }

    @Override
    public int compareTo(DataSize other) {
        return Long.compare(bytes, Objects.requireNonNull(other, "other").bytes);
    }

    /**
     * Returns the size in both units, such as {@code "4.58 GiB (4.92 GB)"}; below one GiB, in MiB and MB.
     *
     * @return a text for people
     */
    @Override
    public String toString() {
        if (bytes < GIB) {
            return String.format(Locale.ROOT, "%.2f MiB (%.2f MB)", toMiB(), bytes / 1e6);
        }
        return String.format(Locale.ROOT, "%.2f GiB (%.2f GB)", toGiB(), toGB());
    }
}
