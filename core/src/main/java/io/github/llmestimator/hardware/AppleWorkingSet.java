package io.github.llmestimator.hardware;

import io.github.llmestimator.internal.Checks;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * The memory macOS lets an Apple-silicon GPU wire for Metal, its {@code recommendedMaxWorkingSetSize}: what llama.cpp
 * and MLX can place in unified memory on a Mac. It is not the installed memory. Apple does not document the default;
 * the rule commonly cited (2/3 of the memory up to 36 GB, 3/4 above) agrees with the values Metal reports, which
 * llama.cpp prints at start-up:
 * <ul>
 * <li>16 GiB: 10922.67 MiB = 2/3 (https://github.com/abetlen/llama-cpp-python/issues/687);</li>
 * <li>32 GiB: 21845.34 MiB = 2/3 (https://github.com/ollama/ollama/issues/434,
 *     https://github.com/ggml-org/llama.cpp/pull/2011);</li>
 * <li>64 GiB: 49152.00 MiB = 3/4 (https://github.com/ggml-org/llama.cpp/issues/1870).</li>
 * </ul>
 * Newer macOS releases report more on some machines (a 36 GiB M4 Max: 28753 MiB, 0.78; 128 GiB under macOS 26:
 * 107.52 GiB, 0.84, https://github.com/antirez/ds4/pull/893), so the rule is the conservative default and
 * {@code wiredLimitMiB} states what a machine really allows.
 *
 * <p>{@code sudo sysctl iogpu.wired_limit_mb=N} raises (or lowers) the limit to {@code N} MiB until the next reboot;
 * Metal then reports exactly that (114688 gives 112.00 GiB, https://github.com/antirez/ds4/pull/893; llama-server
 * lists a Mac with {@code iogpu.wired_limit_mb=26000} as 26000 MiB, https://github.com/Andyyyy64/whichllm/issues/152).
 *
 * <p>A model larger than the limit is not refused by macOS: its buffers are paged in and out of the GPU's working set
 * on every step. Published runs past the limit decode {@value #PAGING_SLOWDOWN_MIN}x to {@value #PAGING_SLOWDOWN_MAX}x
 * slower than the same model wired (https://github.com/osaurus-ai/vmlx-swift/issues/418, M4 Max 128 GB:
 * 0.725 against 31.5 tokens/s, and about 0.057 against 8.2 to 9.3 tokens/s), so such an estimate pages: it does not
 * fit.
 *
 * @param installedBytes the installed unified memory, at least 1
 * @param wiredLimitMiB the limit set with {@code iogpu.wired_limit_mb}, in MiB (2^20 bytes), from 1 to the installed
 *     memory; empty for macOS's default
 */
public record AppleWorkingSet(long installedBytes, OptionalLong wiredLimitMiB) {

    /** The installed memory up to which macOS's default is 2/3, above which it is 3/4: 36 GiB (Apple sells GB = GiB). */
    public static final long TWO_THIRDS_UP_TO_BYTES = 36L << 30;

    /** The smaller published slowdown of decoding past the limit (43x: 0.725 against 31.5 tokens/s). */
    public static final double PAGING_SLOWDOWN_MIN = 43;

    /** The larger published slowdown of decoding past the limit (about 150x: 0.057 against 8.2 to 9.3 tokens/s). */
    public static final double PAGING_SLOWDOWN_MAX = 150;

    /** Why the limit is what it is. */
    public enum Source {
        /** macOS's default for up to {@link #TWO_THIRDS_UP_TO_BYTES}: 2/3 of the memory. */
        DEFAULT_TWO_THIRDS,
        /** macOS's default above {@link #TWO_THIRDS_UP_TO_BYTES}: 3/4 of the memory. */
        DEFAULT_THREE_QUARTERS,
        /** The user's {@code iogpu.wired_limit_mb}. */
        WIRED_LIMIT
    }

    /**
     * Validates the components.
     *
     * @param installedBytes the installed unified memory, at least 1
     * @param wiredLimitMiB the limit set with {@code iogpu.wired_limit_mb}, in MiB, from 1 to the installed memory;
     *     empty for macOS's default
     * @throws NullPointerException if {@code wiredLimitMiB} is null
     * @throws IllegalArgumentException if the memory is not positive, or the limit is below 1 or above the memory
     */
    public AppleWorkingSet {
        Checks.positive("installedBytes", installedBytes);
        Objects.requireNonNull(wiredLimitMiB, "wiredLimitMiB");
        if (wiredLimitMiB.isPresent() && wiredLimitMiB.getAsLong() < 1) {
            throw new IllegalArgumentException("wiredLimitMiB: " + wiredLimitMiB.getAsLong() + " (expected: 1 to "
                    + (installedBytes >> 20) + " MiB, the installed memory; or empty for macOS's default)");
        }
        checkWiredLimit(wiredLimitMiB.orElse(0), installedBytes);
    }

    /** Checks a wired limit against the installed memory: 0 (the default) or 1 MiB to the installed memory. */
    static long checkWiredLimit(long wiredLimitMiB, long installedBytes) {
        if (wiredLimitMiB < 0 || wiredLimitMiB > installedBytes >> 20) {
            throw new IllegalArgumentException("wiredLimitMiB: " + wiredLimitMiB + " (expected: 1 to "
                    + (installedBytes >> 20) + " MiB, the installed memory; or 0 for macOS's default)");
        }
        return wiredLimitMiB;
    }

    /**
     * Returns why the limit is what it is.
     *
     * @return the source, not null
     */
    public Source source() {
        if (wiredLimitMiB.isPresent()) {
            return Source.WIRED_LIMIT;
        }
        return installedBytes <= TWO_THIRDS_UP_TO_BYTES ? Source.DEFAULT_TWO_THIRDS : Source.DEFAULT_THREE_QUARTERS;
    }

    /**
     * Returns the GPU's working-set limit: {@code wiredLimitMiB * 2^20} when set, else {@code floor(installed * 2/3)}
     * up to {@link #TWO_THIRDS_UP_TO_BYTES} and {@code floor(installed * 3/4)} above.
     *
     * @return bytes, at most the installed memory
     */
    public long limitBytes() {
        switch (source()) {
            case WIRED_LIMIT:
                return wiredLimitMiB.getAsLong() << 20;
            case DEFAULT_TWO_THIRDS:
                // floor(2n/3) without overflow: n = 3q + r gives 2q + floor(2r/3)
                return installedBytes / 3 * 2 + installedBytes % 3 * 2 / 3;
            default:
                return installedBytes / 4 * 3 + installedBytes % 4 * 3 / 4;
        }
    }
}
