package io.github.llmestimator.gguf;

import java.io.IOException;
import java.util.Objects;

/**
 * Thrown when the bytes given to the GGUF reader are not a GGUF header this library can read: wrong magic, an
 * unsupported version or byte order, a count or length larger than the bytes left or than a stated limit, an unknown
 * type id, a duplicate key or tensor name, an offset that is not where ggml puts the tensor, hyperparameters of a known
 * architecture that do not form a model, or input that ends too early.
 *
 * <p>Every instance names the byte offset (from the start of the GGUF data) at which the problem was found, and what
 * was found there, in the form {@code at byte 24: tensor count: -1 (expected: 0 to 12)}. An instance with
 * {@link #isTruncated()} true means the input ended before the header did: a caller reading the first bytes of a remote
 * file can fetch more bytes and read again.
 *
 * <p>It is an {@link IOException}, like {@link java.util.zip.ZipException}, so that one {@code catch} handles both a file
 * that cannot be read and a file that is not a GGUF header.
 */
public class GgufFormatException extends IOException {

    private static final long serialVersionUID = 1L;

    /** The byte offset of the problem. */
    private final long offset;
    /** Whether the input ended before the header did. */
    private final boolean truncated;
    /** The problem, without the offset. */
    private final String problem;

    /**
     * Creates an exception for a problem found at the given offset.
     *
     * @param offset the byte offset from the start of the GGUF data, at least 0
     * @param problem what was wrong, in the form {@code name: value (expected: ...)}, not null
     * @throws NullPointerException if {@code problem} is null
     * @throws IllegalArgumentException if {@code offset} is negative
     */
    public GgufFormatException(long offset, String problem) {
        this(offset, problem, false);
    }

    /**
     * Creates an exception for a problem found at the given offset, saying whether the input ended too early.
     *
     * @param offset the byte offset from the start of the GGUF data, at least 0
     * @param problem what was wrong, in the form {@code name: value (expected: ...)}, not null
     * @param truncated whether the input ended before the header did
     * @throws NullPointerException if {@code problem} is null
     * @throws IllegalArgumentException if {@code offset} is negative
     */
    public GgufFormatException(long offset, String problem, boolean truncated) {
        super("at byte " + offset + ": " + Objects.requireNonNull(problem, "problem"));
        if (offset < 0) {
            throw new IllegalArgumentException("offset: " + offset + " (expected: >= 0)");
        }
        this.offset = offset;
        this.truncated = truncated;
        this.problem = problem;
    }

    /**
     * Returns the byte offset, from the start of the GGUF data, at which the problem was found.
     *
     * @return the offset, at least 0
     */
    public long offset() {
        return offset;
    }

    /**
     * Returns whether the input ended before the header did, so that reading more of the file may succeed.
     *
     * @return true for a truncated input
     */
    public boolean isTruncated() {
        return truncated;
    }

    /**
     * Returns what was wrong, without the offset.
     *
     * @return the problem, not null
     */
    public String problem() {
        return problem;
    }
}
