package io.github.llmestimator.hub;

import java.io.IOException;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * A remote read that failed: the server could not be reached, answered with an error, broke the HTTP contract (ignored
 * a range, lied about a length, redirected in a loop, stalled) or served bytes that are not the expected header.
 *
 * <p>The message starts with the URL (without its query string, which may hold a signed storage credential) and never
 * holds the access token. It is an {@link IOException}, so that one {@code catch} covers a remote file and a local one.
 */
public class HubException extends IOException {

    private static final long serialVersionUID = 1L;

    /** The URL as shown: without query string or token. */
    private final String url;
    /** The HTTP status, or -1 when the failure was not an HTTP answer. */
    private final int status;

    /**
     * Creates an exception about a URL.
     *
     * @param url the URL as it may be shown (no query string, no token), not null
     * @param status the HTTP status, or -1 when there was no HTTP answer
     * @param problem what was wrong and what was expected, not null
     * @param cause the underlying failure, or null
     * @throws NullPointerException if {@code url} or {@code problem} is null
     */
    public HubException(String url, int status, String problem, Throwable cause) {
        super(Objects.requireNonNull(url, "url") + ": " + Objects.requireNonNull(problem, "problem"), cause);
        this.url = url;
        this.status = status;
    }

    /**
     * Returns the URL the failure is about, as shown in the message.
     *
     * @return the URL, without query string or token
     */
    public String url() {
        return url;
    }

    /**
     * Returns the HTTP status of the answer that failed.
     *
     * @return the status, or empty when the failure was not an HTTP answer (a timeout, a broken connection, a bad
     *     header)
     */
    public OptionalInt status() {
        return status < 0 ? OptionalInt.empty() : OptionalInt.of(status);
    }
}
