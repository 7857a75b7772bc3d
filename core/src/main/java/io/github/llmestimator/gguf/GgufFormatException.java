package io.github.llmestimator.gguf;

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
 * <p>A message never holds a control or other non-printable character: each is shown as
 * <code>&#92;uXXXX</code>, so that a malformed key cannot break a log line or a terminal. Keys and values from the
 * file are shown up to {@value #MAX_SHOWN_CHARS} characters, followed by their length.
 *
 * <p>Like the config.json importer's {@code ConfigImportException}, it is an unchecked
 * {@link IllegalArgumentException}: bytes that are not a GGUF header are bad input, as every other argument this
 * library refuses. Failing to read the bytes at all stays a checked {@link java.io.IOException}; catch
 * {@code IOException | GgufFormatException} to handle both.
 */
public final class GgufFormatException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    /** The most characters of a key or value from the file that a message shows. */
    static final int MAX_SHOWN_CHARS = 120;

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
     * @param problem what was wrong, in the form {@code name: value (expected: ...)}, not null; non-printable
     *     characters are escaped
     * @param truncated whether the input ended before the header did
     * @throws NullPointerException if {@code problem} is null
     * @throws IllegalArgumentException if {@code offset} is negative
     */
    public GgufFormatException(long offset, String problem, boolean truncated) {
        this(escaped(Objects.requireNonNull(problem, "problem"), Integer.MAX_VALUE), offset, truncated);
    }

    private GgufFormatException(String escapedProblem, long offset, boolean truncated) {
        super("at byte " + offset + ": " + escapedProblem);
        if (offset < 0) {
            throw new IllegalArgumentException("offset: " + offset + " (expected: >= 0)");
        }
        this.offset = offset;
        this.truncated = truncated;
        this.problem = escapedProblem;
    }

    /**
     * Returns a key or value from the file as a message shows it: non-printable characters escaped, and at most
     * {@value #MAX_SHOWN_CHARS} characters followed by the full length. Returns the text itself when it needs neither,
     * so that naming a well-formed key costs nothing.
     */
    static String shown(Object raw) {
        return escaped(String.valueOf(raw), MAX_SHOWN_CHARS);
    }

    private static String escaped(String text, int maxChars) {
        int length = text.length();
        boolean clean = length <= maxChars;
        for (int i = 0; clean && i < length; i++) {
            clean = isPrintable(text.codePointAt(i));
        }
        if (clean) {
            return text;
        }
        StringBuilder b = new StringBuilder(Math.min(length, maxChars) + 32);
        for (int i = 0; i < length && b.length() < maxChars; ) {
            int c = text.codePointAt(i);
            if (isPrintable(c)) {
                b.appendCodePoint(c);
            } else {
                for (char unit : Character.toChars(c)) {
                    b.append(String.format(java.util.Locale.ROOT, "\\u%04X", (int) unit));
                }
            }
            i += Character.charCount(c);
            if (i < length && b.length() >= maxChars) {
                b.append("... (").append(length).append(" characters)");
            }
        }
        return b.toString();
    }

    private static boolean isPrintable(int codePoint) {
        switch (Character.getType(codePoint)) {
            case Character.CONTROL:
            case Character.FORMAT:
            case Character.UNASSIGNED:
            case Character.SURROGATE:
            case Character.PRIVATE_USE:
            case Character.LINE_SEPARATOR:
            case Character.PARAGRAPH_SEPARATOR:
                return false;
            default:
                return true;
        }
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
