package io.github.llmestimator.hub;

/**
 * Told how far a slow read has come: called after each block of bytes arrives, on the reading thread, so it should
 * return quickly.
 */
@FunctionalInterface
public interface ProgressListener {

    /** A listener that ignores every report. */
    ProgressListener NONE = (url, bytes) -> { };

    /**
     * Reports the bytes read so far from one URL.
     *
     * @param url the URL, as {@link HubException#url()} shows it
     * @param bytes the bytes of the body read so far in this operation, at least 0
     */
    void fetched(String url, long bytes);
}
