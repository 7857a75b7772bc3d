package io.github.llmestimator.hub;

import java.io.BufferedOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Header bytes kept on disk, one file per URL and ETag: a file whose ETag changed is a new entry, so an entry is never
 * stale. Entries are written to a temporary file while the header is read and moved into place only when it parsed.
 */
final class HeaderCache {

    private final Path folder;

    HeaderCache(Path cacheDirectory) {
        this.folder = cacheDirectory.resolve("headers");
    }

    private Path entry(String url, String etag) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            byte[] digest = sha.digest((url + "\n" + etag).getBytes(StandardCharsets.UTF_8));
            return folder.resolve(HexFormat.of().formatHex(digest) + ".header");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM, which every Java SE runtime must have", e);
        }
    }

    /** Returns the cached header of a URL at an ETag, if there is one. */
    Optional<Path> find(String url, String etag) {
        Path entry = entry(url, etag);
        return Files.isRegularFile(entry) ? Optional.of(entry) : Optional.empty();
    }

    /** A stream that copies what is read from it into a temporary file, kept by {@link #commit()}. */
    final class Recording extends FilterInputStream {
        private final Path temporary;
        private final OutputStream copy;
        private final String url;
        private final String etag;

        Recording(InputStream in, String url, String etag) throws IOException {
            super(in);
            Files.createDirectories(folder);
            this.temporary = Files.createTempFile(folder, "reading", ".part");
            this.copy = new BufferedOutputStream(Files.newOutputStream(temporary));
            this.url = url;
            this.etag = etag;
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            if (b >= 0) {
                copy.write(b);
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = in.read(b, off, len);
            if (n > 0) {
                copy.write(b, off, n);
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            byte[] scratch = new byte[8192];
            long skipped = 0;
            while (skipped < n) {
                int k = read(scratch, 0, (int) Math.min(scratch.length, n - skipped));
                if (k < 0) {
                    break;
                }
                skipped += k;
            }
            return skipped;
        }

        /** Keeps what was read as the entry for the URL and ETag. */
        void commit() throws IOException {
            copy.close();
            Path target = entry(url, etag);
            try {
                Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING);
            }
        }

        @Override
        public void close() throws IOException {
            copy.close();
            Files.deleteIfExists(temporary);
            in.close();
        }
    }
}
