package io.github.llmestimator.hub;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * GET requests with the hub's rules: redirects followed by hand (counted, the token dropped when the host changes),
 * retries with doubling backoff on 429 and 5xx only, a timeout for the answer's headers and for each block of the body,
 * an overall deadline, and a cap on the bytes read from each body. Bodies are read on demand, one block at a time, so
 * a server that sends more than asked never fills the heap.
 */
final class Http {

    private static final String USER_AGENT = "llm-estimator-hub (java.net.http)";

    private final HubSettings settings;
    private final HttpClient client;

    Http(HubSettings settings) {
        this.settings = settings;
        this.client = HttpClient.newBuilder().connectTimeout(settings.connectTimeout())
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    HubSettings settings() {
        return settings;
    }

    /** The point in time by which one whole read must be done. */
    static final class Deadline {
        private final long endNanos;
        private final Duration overall;

        Deadline(Duration overall) {
            this.overall = overall;
            this.endNanos = System.nanoTime() + overall.toNanos();
        }

        long remainingNanos() {
            return endNanos - System.nanoTime();
        }

        void check(String url) throws HubException {
            if (remainingNanos() <= 0) {
                throw new HubException(url, -1, "not done within the overall timeout of " + overall.toMillis()
                        + " ms (expected: a server that answers in time)", null);
            }
        }
    }

    /** Returns a URL as messages show it: without query string or fragment, which may hold signed credentials. */
    static String shown(URI uri) {
        String text = uri.getScheme() + "://" + uri.getRawAuthority() + (uri.getRawPath() == null ? ""
                : uri.getRawPath());
        return uri.getRawQuery() == null ? text : text + "?...";
    }

    /** An answer whose body is open: read it through {@link #body()}, then close it. */
    static final class Response implements AutoCloseable {
        final int status;
        final HttpHeaders headers;
        final URI uri;
        private final Body body;

        Response(int status, HttpHeaders headers, URI uri, Body body) {
            this.status = status;
            this.headers = headers;
            this.uri = uri;
            this.body = body;
        }

        Body body() {
            return body;
        }

        String header(String name) {
            return headers.firstValue(name).orElse(null);
        }

        @Override
        public void close() {
            body.close();
        }
    }

    /**
     * Sends a GET, following redirects and retrying 429/5xx, and returns the first 2xx answer with its body open.
     *
     * @param uri the URL
     * @param range the Range header value, or null
     * @param accept the Accept header value, or null
     * @param maxBodyBytes the most bytes the body may deliver before the read fails
     * @param deadline the overall deadline
     */
    Response get(URI uri, String range, String accept, long maxBodyBytes, Deadline deadline) throws HubException {
        URI current = uri;
        int redirects = 0;
        int retries = 0;
        while (true) {
            deadline.check(shown(uri));
            Response response = send(current, range, accept, maxBodyBytes, deadline);
            int status = response.status;
            if (status >= 200 && status < 300) {
                return response;
            }
            String problem = null;
            if (status == 301 || status == 302 || status == 303 || status == 307 || status == 308) {
                String location = response.header("Location");
                response.close();
                if (location == null) {
                    throw new HubException(shown(current), status, "redirect without a Location header"
                            + " (expected: the URL to go to)", null);
                }
                if (++redirects > settings.maxRedirects()) {
                    throw new HubException(shown(uri), status, "more than " + settings.maxRedirects()
                            + " redirects, the last to " + shown(current.resolve(location))
                            + " (expected: a file within the redirect limit; a loop?)", null);
                }
                try {
                    current = current.resolve(location.trim());
                } catch (IllegalArgumentException e) {
                    throw new HubException(shown(current), status, "redirect to an unusable Location (expected: a URL)",
                            e);
                }
                if (!"http".equals(current.getScheme()) && !"https".equals(current.getScheme())) {
                    throw new HubException(shown(uri), status, "redirect to a " + current.getScheme()
                            + " URL (expected: http or https)", null);
                }
                continue;
            }
            String snippet = errorSnippet(response);
            if ((status == 429 || status >= 500) && retries < settings.maxRetries()) {
                long wait = settings.retryBackoff().toNanos() << retries;
                retries++;
                if (wait >= deadline.remainingNanos()) {
                    deadline.check(shown(uri));
                    problem = "answered " + status + " and the overall timeout leaves no time to retry";
                } else {
                    sleep(wait, shown(uri));
                    continue;
                }
            }
            if (problem == null) {
                problem = "answered " + status + describe(status)
                        + (retries > 0 ? " after " + retries + " retries" : "");
            }
            throw new HubException(shown(current), status, problem + snippet, null);
        }
    }

    private static String describe(int status) {
        switch (status) {
            case 401:
            case 403:
                return " (expected: access; a gated or private repository needs HF_TOKEN with access to it)";
            case 404:
                return " Not Found (expected: an existing repository, file, revision or tag; check the spelling)";
            case 416:
                return " Range Not Satisfiable (expected: a file at least as long as its header)";
            case 429:
                return " Too Many Requests (expected: a server that is not rate-limiting; try again later)";
            default:
                return status >= 500 ? " (expected: a working server; try again later)" : "";
        }
    }

    /** Reads a few hundred bytes of an error answer to show what the server said, with the token removed. */
    private String errorSnippet(Response response) {
        byte[] bytes = new byte[300];
        int n = 0;
        try (response) {
            InputStream in = response.body();
            int k;
            while (n < bytes.length && (k = in.read(bytes, n, bytes.length - n)) > 0) {
                n += k;
            }
        } catch (IOException e) {
            // The status already says what went wrong; the body is only a hint.
        }
        String text = redact(new String(bytes, 0, n, StandardCharsets.UTF_8)).replaceAll("[\\p{Cntrl}]+", " ")
                .strip();
        return text.isEmpty() ? "" : "; the server said: " + text;
    }

    /** Removes the token from text that came from a server (one that echoes request headers, say). */
    String redact(String text) {
        String token = settings.token();
        return token == null ? text : text.replace(token, "[HF_TOKEN]");
    }

    private static void sleep(long nanos, String url) throws HubException {
        try {
            TimeUnit.NANOSECONDS.sleep(nanos);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HubException(url, -1, "interrupted while waiting to retry", e);
        }
    }

    private Response send(URI uri, String range, String accept, long maxBodyBytes, Deadline deadline)
            throws HubException {
        long timeout = Math.min(settings.readTimeout().toNanos(), Math.max(1, deadline.remainingNanos()));
        HttpRequest.Builder request;
        try {
            request = HttpRequest.newBuilder(uri).GET().timeout(Duration.ofNanos(timeout))
                    .header("User-Agent", USER_AGENT);
        } catch (IllegalArgumentException e) {
            throw new HubException(shown(uri), -1, "not a URL this client can request (expected: http or https)", e);
        }
        if (range != null) {
            request.header("Range", range);
        }
        if (accept != null) {
            request.header("Accept", accept);
        }
        // The token goes to the endpoint's host only: never to a storage host or another site a redirect names.
        if (settings.token() != null && sameOrigin(uri, settings.endpoint())) {
            request.header("Authorization", "Bearer " + settings.token());
        }
        String url = shown(uri);
        try {
            HttpResponse<Body> response = client.send(request.build(),
                    info -> new Body(url, maxBodyBytes, settings, deadline));
            return new Response(response.statusCode(), response.headers(), uri, response.body());
        } catch (HttpTimeoutException e) {
            throw new HubException(url, -1, "no answer within the read timeout of "
                    + settings.readTimeout().toMillis() + " ms (expected: a server that answers)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HubException(url, -1, "interrupted", e);
        } catch (IOException e) {
            // a refused or unresolved connection often carries no message: the exception's kind says what failed
            throw new HubException(url, -1, "cannot connect or read the answer: " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + redact(e.getMessage())), e);
        }
    }

    private static boolean sameOrigin(URI a, URI b) {
        return a.getScheme().equalsIgnoreCase(b.getScheme())
                && a.getHost().toLowerCase(Locale.ROOT).equals(b.getHost().toLowerCase(Locale.ROOT))
                && port(a) == port(b);
    }

    private static int port(URI uri) {
        return uri.getPort() >= 0 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
    }

    /**
     * A body read on demand: one block is asked of the connection at a time, each wait bounded by the read timeout
     * and the deadline, and the whole body by a byte cap.
     */
    static final class Body extends InputStream implements HttpResponse.BodySubscriber<Body> {
        private static final Object END = new Object();

        private final String url;
        private final long maxBytes;
        private final HubSettings settings;
        private final Deadline deadline;
        private final BlockingQueue<Object> queue = new LinkedBlockingQueue<>();
        private volatile Flow.Subscription subscription;
        private Iterator<ByteBuffer> buffers;
        private ByteBuffer current;
        private long read;
        private boolean ended;
        private boolean closed;

        Body(String url, long maxBytes, HubSettings settings, Deadline deadline) {
            this.url = url;
            this.maxBytes = maxBytes;
            this.settings = settings;
            this.deadline = deadline;
        }

        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription = s;
            s.request(1);
        }

        @Override
        public void onNext(List<ByteBuffer> item) {
            queue.add(item);
        }

        @Override
        public void onError(Throwable throwable) {
            queue.add(throwable);
        }

        @Override
        public void onComplete() {
            queue.add(END);
        }

        @Override
        public CompletionStage<Body> getBody() {
            return CompletableFuture.completedFuture(this);
        }

        /** Returns the bytes read from the body so far. */
        long bytesRead() {
            return read;
        }

        private boolean next() throws IOException {
            while (current == null || !current.hasRemaining()) {
                if (buffers != null && buffers.hasNext()) {
                    current = buffers.next();
                    continue;
                }
                if (ended) {
                    return false;
                }
                if (buffers != null) {
                    buffers = null;
                    subscription.request(1);
                }
                long wait = Math.min(settings.readTimeout().toNanos(), deadline.remainingNanos());
                Object item;
                try {
                    item = wait <= 0 ? queue.poll() : queue.poll(wait, TimeUnit.NANOSECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    close();
                    throw new InterruptedIOException(url + ": interrupted");
                }
                if (item == null) {
                    close();
                    deadline.check(url);
                    throw new HubException(url, -1, "no data for " + settings.readTimeout().toMillis()
                            + " ms after " + read + " bytes (expected: a server that keeps sending within the read"
                            + " timeout)", null);
                }
                if (item == END) {
                    ended = true;
                    return false;
                }
                if (item instanceof Throwable) {
                    ended = true;
                    Throwable t = (Throwable) item;
                    throw new HubException(url, -1, "connection broken after " + read + " bytes of the body ("
                            + t.getMessage() + "; expected: the whole body its headers announce)", t);
                }
                @SuppressWarnings("unchecked")
                List<ByteBuffer> list = (List<ByteBuffer>) item;
                buffers = list.iterator();
            }
            return true;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (closed) {
                throw new IOException(url + ": body already closed");
            }
            if (len == 0) {
                return 0;
            }
            if (!next()) {
                return -1;
            }
            int n = Math.min(len, current.remaining());
            if (read + n > maxBytes) {
                close();
                throw new HubException(url, -1, "sends more than " + maxBytes + " bytes (expected: at most "
                        + maxBytes + ", the limit for this read)", null);
            }
            current.get(b, off, n);
            read += n;
            return n;
        }

        @Override
        public void close() {
            if (!closed) {
                closed = true;
                Flow.Subscription s = subscription;
                if (s != null && !ended) {
                    s.cancel();
                }
            }
        }
    }
}
