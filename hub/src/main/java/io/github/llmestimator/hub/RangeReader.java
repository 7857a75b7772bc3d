package io.github.llmestimator.hub;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The first bytes of a remote file as a stream, fetched by HTTP range requests as the reader asks for them: the first
 * window is 64 KiB, each next one twice the last (at most 1 MiB), and each window's body is read only as far as the
 * reader gets, then dropped. So a reader that stops after the tensor table has taken the bytes up to it plus what its
 * own buffer holds, however large the file; what the server sent beyond that is the unread rest of the last window,
 * under 1 MiB (more windows would cost more round trips: a 6 MB header takes 10).
 *
 * <p>Every answer must be {@code 206 Partial Content} with a {@code Content-Range} that starts where it was asked and
 * states the same file size each time (RFC 9110, section 14.4); a {@code 200} means the server ignored the range and is
 * sending the whole file, which is refused at once.
 *
 * <p>Skipping reads through the window (InputStream's own skip): a tokenizer's strings are read anyway, and a request
 * per skip would cost a round trip each.
 */
final class RangeReader extends InputStream {

    /** The first window: a GGUF header's fixed part and the start of its metadata, in one round trip. */
    static final int FIRST_WINDOW = 64 << 10;
    private static final int MAX_WINDOW = 1 << 20;
    private static final Pattern CONTENT_RANGE = Pattern.compile("bytes (\\d+)-(\\d+)/(\\d+|\\*)");

    private final Http http;
    private final String shown;
    private final long cap;
    private final Http.Deadline deadline;
    private URI uri;
    private Http.Response response;
    private long windowEnd;
    private long position;
    private long window = FIRST_WINDOW;
    private long size = -1;
    private String etag;

    /**
     * @param cap the most bytes the reader may take from the file
     */
    RangeReader(Http http, URI uri, long cap, Http.Deadline deadline) {
        this.http = http;
        this.uri = uri;
        this.shown = Http.shown(uri);
        this.cap = cap;
        this.deadline = deadline;
    }

    /** Opens the first window, so that the file's size and ETag are known before anything is read. */
    void open() throws HubException {
        if (response == null) {
            openWindow();
        }
    }

    /** Returns the file size the server states, or -1 before the first answer. */
    long size() {
        return size;
    }

    /** Returns the ETag of the file, or null when the server sends none. */
    String etag() {
        return etag;
    }

    /** Returns the bytes taken from the file so far. */
    long bytesRead() {
        return position;
    }

    private void openWindow() throws HubException {
        if (position >= cap) {
            throw new HubException(shown, -1, "the header goes on past " + cap + " bytes (expected: a header within"
                    + " the limit of " + cap + " bytes)", null);
        }
        long end = Math.min(position + window, cap) - 1;
        if (size >= 0) {
            end = Math.min(end, size - 1);
        }
        window = Math.min(2 * window, MAX_WINDOW);
        Http.Response answer = http.get(uri, "bytes=" + position + "-" + end, null, end - position + 1, deadline);
        if (answer.status != 206) {
            answer.close();
            throw new HubException(Http.shown(answer.uri), answer.status, "answered " + answer.status
                    + " to a request for bytes " + position + "-" + end + " (expected: 206 Partial Content; the server"
                    + " ignores Range and would send the whole file)", null);
        }
        String range = answer.header("Content-Range");
        Matcher m = range == null ? null : CONTENT_RANGE.matcher(range.trim());
        if (m == null || !m.matches() || m.group(3).equals("*")) {
            answer.close();
            throw new HubException(Http.shown(answer.uri), 206, "Content-Range " + (range == null ? "missing"
                    : "'" + http.redact(range) + "'") + " (expected: bytes " + position + "-" + end + "/SIZE)", null);
        }
        long first = parse(m.group(1), answer);
        long last = parse(m.group(2), answer);
        long total = parse(m.group(3), answer);
        if (first != position || last < first || last > end || last >= total || (size >= 0 && total != size)) {
            answer.close();
            throw new HubException(Http.shown(answer.uri), 206, "Content-Range '" + range + "' (expected: bytes "
                    + position + "-" + end + "/" + (size >= 0 ? size : "SIZE") + ", the range asked for)", null);
        }
        if (size < 0) {
            size = total;
            etag = answer.header("ETag");
            // Later windows go straight to the storage host the first one was redirected to.
            uri = answer.uri;
        }
        response = answer;
        windowEnd = last + 1;
    }

    private long parse(String digits, Http.Response answer) throws HubException {
        try {
            return Long.parseLong(digits);
        } catch (NumberFormatException e) {
            answer.close();
            throw new HubException(Http.shown(answer.uri), 206, "Content-Range number " + digits
                    + " (expected: below 2^63)", e);
        }
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        if (response == null || position == windowEnd) {
            if (size >= 0 && position >= size) {
                return -1;
            }
            if (response != null) {
                response.close();
            }
            openWindow();
        }
        int n = response.body().read(b, off, (int) Math.min(len, windowEnd - position));
        if (n < 0) {
            throw new HubException(Http.shown(response.uri), 206, "the body ends after " + response.body().bytesRead()
                    + " bytes of the " + (windowEnd - position + response.body().bytesRead())
                    + " its Content-Range announces (expected: the whole range)", null);
        }
        position += n;
        http.settings().progress().fetched(shown, position);
        return n;
    }

    @Override
    public void close() {
        if (response != null) {
            response.close();
        }
    }
}
