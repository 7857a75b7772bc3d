package io.github.llmestimator.hub;

import io.github.llmestimator.gguf.GgufModel;
import java.util.List;
import java.util.Objects;

/**
 * A GGUF model read from its header over HTTP, one file or all parts of a split one, with what the read cost.
 *
 * @param urls the parts' URLs as messages show them (no query string, no token), in order, at least one
 * @param model the model the headers describe, parts joined; exact weights from the tensor table
 * @param fileBytes the size of all parts together as the servers state it ({@code Content-Range}), at least the size
 *     the headers describe
 * @param bytesFetched the bytes taken from the servers' bodies for the headers, all parts together
 * @param cachedParts how many parts were read from the on-disk header cache
 */
public record RemoteGguf(List<String> urls, GgufModel model, long fileBytes, long bytesFetched, int cachedParts) {

    /**
     * Validates the components.
     *
     * @param urls the parts' URLs, at least one, not null
     * @param model the model, not null
     * @param fileBytes the stated size of all parts, at least 0
     * @param bytesFetched the bytes taken for the headers, at least 0
     * @param cachedParts the parts read from the cache, 0 to the number of parts
     * @throws NullPointerException if a component is null
     * @throws IllegalArgumentException if there are no URLs or a number is out of range
     */
    public RemoteGguf {
        urls = List.copyOf(Objects.requireNonNull(urls, "urls"));
        Objects.requireNonNull(model, "model");
        if (urls.isEmpty()) {
            throw new IllegalArgumentException("urls: none (expected: at least one part)");
        }
        if (fileBytes < 0 || bytesFetched < 0 || cachedParts < 0 || cachedParts > urls.size()) {
            throw new IllegalArgumentException("fileBytes " + fileBytes + ", bytesFetched " + bytesFetched
                    + ", cachedParts " + cachedParts + " (expected: sizes >= 0, 0 to " + urls.size() + " parts)");
        }
    }

    /**
     * Returns the size of the headers, all parts together: the bytes a reader needs at least.
     *
     * @return bytes
     */
    public long headerBytes() {
        return model.file().headerBytes();
    }
}
