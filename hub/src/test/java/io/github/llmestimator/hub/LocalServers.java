package io.github.llmestimator.hub;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Two local HTTP servers that answer like the Hugging Face Hub and its storage host, and like the Ollama registry:
 * <ul>
 *   <li>the hub: {@code /api/models/{repo}/tree/{revision}?recursive=true} as a JSON array of {@code type},
 *       {@code path}, {@code size}, {@code oid} and {@code lfs} entries, two entries a page with a
 *       {@code Link: <...>; rel="next"} header; {@code /{repo}/resolve/{revision}/{path}}, which serves small files
 *       itself and redirects {@code .gguf} and {@code .safetensors} files (302) to the storage host;
 *       {@code /v2/{namespace}/{model}/manifests/{tag}} and {@code /v2/.../blobs/{digest}} (307 to storage);</li>
 *   <li>the storage host: files by {@code Range} ({@code 206} with {@code Content-Range} and an {@code ETag}),
 *       written as they are sent, so that a file of gigabytes costs no memory.</li>
 * </ul>
 * Both count what they send and remember which requests carried an {@code Authorization} header.
 */
final class LocalServers implements AutoCloseable {

    /** A file's bytes, produced on demand. */
    interface Content {
        long size();

        /** Writes bytes {@code from} to {@code to}, inclusive. */
        void write(OutputStream out, long from, long to) throws IOException;
    }

    /** A header followed by zero bytes up to {@code size}: a large file whose data nobody should read. */
    static Content headerThenZeros(byte[] header, long size) {
        return new Content() {
            @Override
            public long size() {
                return size;
            }

            @Override
            public void write(OutputStream out, long from, long to) throws IOException {
                byte[] zeros = new byte[65536];
                for (long at = from; at <= to; ) {
                    if (at < header.length) {
                        int n = (int) Math.min(header.length - at, to - at + 1);
                        out.write(header, (int) at, n);
                        at += n;
                    } else {
                        int n = (int) Math.min(zeros.length, to - at + 1);
                        out.write(zeros, 0, n);
                        at += n;
                    }
                }
            }
        };
    }

    static Content bytes(byte[] bytes) {
        return headerThenZeros(bytes, bytes.length);
    }

    private final ExecutorService pool = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "local-server");
        t.setDaemon(true);
        return t;
    });
    private final HttpServer hub;
    private final HttpServer storage;
    private final Map<String, Content> stored = new ConcurrentHashMap<>();
    private final Map<String, Map<String, Content>> repositories = new ConcurrentHashMap<>();
    private final Map<String, String> manifests = new ConcurrentHashMap<>();
    /** Bytes of bodies the storage host wrote (or handed to the socket before the client hung up). */
    final AtomicLong storageBytesSent = new AtomicLong();
    /** The Authorization headers each server saw, as "hub ..." or "storage ...". */
    final List<String> authorizations = new CopyOnWriteArrayList<>();
    /** The paths each server was asked for, in order. */
    final List<String> requests = new CopyOnWriteArrayList<>();

    LocalServers() throws IOException {
        InetSocketAddress local = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
        hub = HttpServer.create(local, 0);
        storage = HttpServer.create(local, 0);
        hub.setExecutor(pool);
        storage.setExecutor(pool);
        hub.createContext("/", this::hub);
        storage.createContext("/", this::storage);
        hub.start();
        storage.start();
    }

    URI endpoint() {
        return URI.create("http://" + hub.getAddress().getHostString() + ":" + hub.getAddress().getPort());
    }

    private String storageBase() {
        return "http://" + storage.getAddress().getHostString() + ":" + storage.getAddress().getPort();
    }

    /** Adds a file to a repository. */
    void put(String repository, String path, Content content) {
        repositories.computeIfAbsent(repository, r -> new ConcurrentHashMap<>()).put(path, content);
        stored.put("/files/" + repository + "/" + path, content);
    }

    /** Adds an Ollama model whose model layer is the given GGUF file. */
    void putOllama(String namespace, String model, String tag, String digest, Content gguf) {
        stored.put("/blobs/" + digest, gguf);
        manifests.put("/v2/" + namespace + "/" + model + "/manifests/" + tag, "{\"schemaVersion\":2,"
                + "\"mediaType\":\"application/vnd.docker.distribution.manifest.v2+json\","
                + "\"config\":{\"mediaType\":\"application/vnd.docker.container.image.v1+json\","
                + "\"digest\":\"sha256:" + "0".repeat(64) + "\",\"size\":487},\"layers\":["
                + "{\"mediaType\":\"application/vnd.ollama.image.model\",\"digest\":\"" + digest + "\",\"size\":"
                + gguf.size() + "},{\"mediaType\":\"application/vnd.ollama.image.template\",\"digest\":\"sha256:"
                + "1".repeat(64) + "\",\"size\":1615}]}");
    }

    /** Answers a path of the hub server with a handler of the test's own. */
    void handle(String path, HttpHandler handler) {
        hub.createContext(path, handler);
    }

    private void hub(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getRawPath();
            requests.add("hub " + exchange.getRequestURI());
            String auth = exchange.getRequestHeaders().getFirst("Authorization");
            if (auth != null) {
                authorizations.add("hub " + auth);
            }
            if (path.startsWith("/api/models/") && path.contains("/tree/")) {
                tree(exchange, path);
            } else if (path.contains("/resolve/")) {
                resolve(exchange, path);
            } else if (manifests.containsKey(path)) {
                send(exchange, 200, "application/vnd.docker.distribution.manifest.v2+json", manifests.get(path));
            } else if (path.startsWith("/v2/") && path.contains("/blobs/")) {
                String digest = path.substring(path.lastIndexOf('/') + 1);
                redirect(exchange, 307, storageBase() + "/blobs/" + digest);
            } else {
                send(exchange, 404, "application/json", "{\"error\":\"Repository not found\"}");
            }
        }
    }

    private void tree(HttpExchange exchange, String path) throws IOException {
        String repository = path.substring("/api/models/".length(), path.indexOf("/tree/"));
        Map<String, Content> files = repositories.get(repository);
        if (files == null) {
            send(exchange, 404, "application/json", "{\"error\":\"Repository not found\"}");
            return;
        }
        List<String> entries = new ArrayList<>();
        entries.add("{\"type\":\"directory\",\"oid\":\"" + "d".repeat(40) + "\",\"size\":0,\"path\":\"folder\"}");
        files.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> {
            long size = e.getValue().size();
            boolean lfs = e.getKey().endsWith(".gguf") || e.getKey().endsWith(".safetensors");
            // An LFS entry's own size is the pointer file's (about 130 bytes); lfs.size is the object's.
            entries.add("{\"type\":\"file\",\"oid\":\"" + "a".repeat(40) + "\",\"size\":" + (lfs ? 134 : size)
                    + ",\"path\":\"" + e.getKey() + "\"" + (lfs ? ",\"lfs\":{\"oid\":\"" + "b".repeat(64)
                    + "\",\"size\":" + size + ",\"pointerSize\":134}" : "") + "}");
        });
        String query = exchange.getRequestURI().getRawQuery();
        int cursor = query != null && query.contains("cursor=") ? Integer.parseInt(query.substring(
                query.indexOf("cursor=") + 7)) : 0;
        int end = Math.min(entries.size(), cursor + 2);
        if (end < entries.size()) {
            exchange.getResponseHeaders().add("Link", "<" + endpoint() + path + "?recursive=true&cursor=" + end
                    + ">; rel=\"next\"");
        }
        send(exchange, 200, "application/json", "[" + String.join(",", entries.subList(cursor, end)) + "]");
    }

    private void resolve(HttpExchange exchange, String path) throws IOException {
        int at = path.indexOf("/resolve/");
        String repository = path.substring(1, at);
        String rest = path.substring(at + "/resolve/".length());
        String file = rest.substring(rest.indexOf('/') + 1);
        Map<String, Content> files = repositories.get(repository);
        Content content = files == null ? null : files.get(file);
        if (content == null) {
            send(exchange, 404, "application/json", "{\"error\":\"Entry not found\"}");
        } else if (file.endsWith(".gguf") || file.endsWith(".safetensors")) {
            redirect(exchange, 302, storageBase() + "/files/" + repository + "/" + file);
        } else {
            serve(exchange, content, null);
        }
    }

    private void storage(HttpExchange exchange) throws IOException {
        try (exchange) {
            requests.add("storage " + exchange.getRequestURI());
            String auth = exchange.getRequestHeaders().getFirst("Authorization");
            if (auth != null) {
                authorizations.add("storage " + auth);
            }
            Content content = stored.get(exchange.getRequestURI().getRawPath());
            if (content == null) {
                send(exchange, 404, "text/plain", "no such object");
                return;
            }
            serve(exchange, content, storageBytesSent);
        }
    }

    /** Serves a file, honouring {@code Range: bytes=a-b}. */
    static void serve(HttpExchange exchange, Content content, AtomicLong counter) throws IOException {
        String range = exchange.getRequestHeaders().getFirst("Range");
        long size = content.size();
        long from = 0;
        long to = size - 1;
        int status = 200;
        if (range != null && range.startsWith("bytes=")) {
            String[] ends = range.substring(6).split("-");
            from = Long.parseLong(ends[0]);
            to = ends.length > 1 && !ends[1].isEmpty() ? Math.min(Long.parseLong(ends[1]), size - 1) : size - 1;
            if (from >= size) {
                exchange.getResponseHeaders().add("Content-Range", "bytes */" + size);
                exchange.sendResponseHeaders(416, -1);
                return;
            }
            status = 206;
            exchange.getResponseHeaders().add("Content-Range", "bytes " + from + "-" + to + "/" + size);
        }
        exchange.getResponseHeaders().add("ETag", "\"etag-" + size + "\"");
        exchange.getResponseHeaders().add("Accept-Ranges", "bytes");
        exchange.sendResponseHeaders(status, to - from + 1);
        OutputStream body = exchange.getResponseBody();
        OutputStream counted = counter == null ? body : new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                body.write(b);
                counter.incrementAndGet();
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                body.write(b, off, len);
                counter.addAndGet(len);
            }
        };
        try {
            content.write(counted, from, to);
        } catch (IOException clientHungUp) {
            // A reader that has what it needs closes the connection: that is the point.
        }
    }

    static void send(HttpExchange exchange, int status, String type, String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", type);
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    static void redirect(HttpExchange exchange, int status, String location) throws IOException {
        exchange.getResponseHeaders().add("Location", location);
        exchange.sendResponseHeaders(status, -1);
    }

    @Override
    public void close() {
        hub.stop(0);
        storage.stop(0);
        pool.shutdownNow();
    }
}
