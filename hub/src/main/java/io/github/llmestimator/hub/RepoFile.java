package io.github.llmestimator.hub;

import java.util.Objects;

/**
 * One file of a Hugging Face repository as the Hub's tree API lists it: its path and exact size. For a file kept in
 * LFS or Xet storage the size is the stored object's ({@code lfs.size}), not the pointer's.
 *
 * @param path the path in the repository, such as {@code Q4_K_M/Model-Q4_K_M-00001-of-00002.gguf}, not null or empty
 * @param bytes the file's size, at least 0
 */
public record RepoFile(String path, long bytes) {

    /**
     * Validates the components.
     *
     * @param path the path in the repository, not null or empty
     * @param bytes the file's size, at least 0
     * @throws NullPointerException if {@code path} is null
     * @throws IllegalArgumentException if {@code path} is empty or {@code bytes} negative
     */
    public RepoFile {
        Objects.requireNonNull(path, "path");
        if (path.isEmpty() || bytes < 0) {
            throw new IllegalArgumentException("path '" + path + "', bytes " + bytes
                    + " (expected: a non-empty path and a size >= 0)");
        }
    }

    /**
     * Returns the file name: the path after its last {@code /}.
     *
     * @return the name
     */
    public String name() {
        return path.substring(path.lastIndexOf('/') + 1);
    }
}
