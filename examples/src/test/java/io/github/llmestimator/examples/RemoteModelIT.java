package io.github.llmestimator.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.github.llmestimator.catalog.Models;
import io.github.llmestimator.gguf.GgufFile;
import io.github.llmestimator.gguf.GgufFiles;
import io.github.llmestimator.quant.QuantScheme;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --model hf:...}, {@code https://...gguf}, {@code ollama:...} and {@code models --remote} as a user runs them:
 * the shaded jar in a separate JVM, pointed at a local server by {@code HF_ENDPOINT} and
 * {@code LLM_ESTIMATOR_OLLAMA_REGISTRY}, its header cache in a temporary {@code XDG_CACHE_HOME}. The server answers like
 * the Hub (tree listing, {@code resolve} redirecting to a storage path that honours {@code Range}) and like the Ollama
 * registry (manifest, blob), serving a Llama-3.1-8B Q4_K_M header written by the project's GGUF writer followed by
 * zeros up to the 4.9 GB the header describes, made as they are sent.
 */
final class RemoteModelIT {

    /** Llama-3.1-8B Q4_K_M: the published file's tensor data, 4.58 GiB as llama-bench prints it. */
    private static final long LLAMA_8B_Q4_K_M_BYTES = 4_912_898_048L;

    private static final String LLAMA_CONFIG = "{\"model_type\": \"llama\", \"architectures\":"
            + " [\"LlamaForCausalLM\"], \"hidden_size\": 4096, \"intermediate_size\": 14336,"
            + " \"num_hidden_layers\": 32, \"num_attention_heads\": 32, \"num_key_value_heads\": 8,"
            + " \"vocab_size\": 128256, \"max_position_embeddings\": 131072, \"tie_word_embeddings\": false,"
            + " \"rms_norm_eps\": 1e-05, \"torch_dtype\": \"bfloat16\"}";

    @TempDir
    Path cache;

    private HttpServer server;
    private byte[] header;
    private long fileBytes;

    @BeforeEach
    void start() throws IOException {
        header = GgufFiles.header(Models.LLAMA_3_1_8B.spec(), QuantScheme.Q4_K_M);
        fileBytes = GgufFile.read(new ByteArrayInputStream(header)).fileBytes();
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::answer);
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private String endpoint() {
        return "http://" + server.getAddress().getHostString() + ":" + server.getAddress().getPort();
    }

    private void answer(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getRawPath();
            if (path.equals("/api/models/bartowski/Llama-3.1-8B-GGUF/tree/main")) {
                send(exchange, 200, "[{\"type\":\"file\",\"oid\":\"a1\",\"size\":134,"
                        + "\"path\":\"Llama-3.1-8B-Q4_K_M.gguf\",\"lfs\":{\"oid\":\"b1\",\"size\":" + fileBytes
                        + ",\"pointerSize\":134}},{\"type\":\"file\",\"oid\":\"a2\",\"size\":134,"
                        + "\"path\":\"Llama-3.1-8B-Q8_0.gguf\",\"lfs\":{\"oid\":\"b2\",\"size\":8540775840,"
                        + "\"pointerSize\":134}},{\"type\":\"file\",\"oid\":\"a3\",\"size\":5000,"
                        + "\"path\":\"README.md\"}]");
            } else if (path.equals("/api/models/meta-llama/Llama-3.1-8B/tree/main")) {
                send(exchange, 200, "[{\"type\":\"file\",\"oid\":\"a4\",\"size\":" + LLAMA_CONFIG.length()
                        + ",\"path\":\"config.json\"}]");
            } else if (path.equals("/meta-llama/Llama-3.1-8B/resolve/main/config.json")) {
                send(exchange, 200, LLAMA_CONFIG);
            } else if (path.equals("/bartowski/Llama-3.1-8B-GGUF/resolve/main/Llama-3.1-8B-Q4_K_M.gguf")
                    || path.startsWith("/v2/library/llama3.1/blobs/")) {
                exchange.getResponseHeaders().add("Location", "/storage/llama-q4_k_m.gguf");
                exchange.sendResponseHeaders(302, -1);
            } else if (path.equals("/v2/library/llama3.1/manifests/8b")) {
                send(exchange, 200, "{\"schemaVersion\":2,\"mediaType\":"
                        + "\"application/vnd.docker.distribution.manifest.v2+json\",\"layers\":[{\"mediaType\":"
                        + "\"application/vnd.ollama.image.model\",\"digest\":\"sha256:" + "e".repeat(64)
                        + "\",\"size\":" + fileBytes + "}]}");
            } else if (path.equals("/storage/llama-q4_k_m.gguf")) {
                ranged(exchange);
            } else {
                send(exchange, 404, "{\"error\":\"Repository not found\"}");
            }
        }
    }

    private void ranged(HttpExchange exchange) throws IOException {
        String range = exchange.getRequestHeaders().getFirst("Range");
        String[] ends = range.substring("bytes=".length()).split("-");
        long from = Long.parseLong(ends[0]);
        long to = Math.min(Long.parseLong(ends[1]), fileBytes - 1);
        exchange.getResponseHeaders().add("Content-Range", "bytes " + from + "-" + to + "/" + fileBytes);
        exchange.getResponseHeaders().add("ETag", "\"q4km\"");
        exchange.sendResponseHeaders(206, to - from + 1);
        OutputStream out = exchange.getResponseBody();
        try {
            byte[] zeros = new byte[65536];
            for (long at = from; at <= to; ) {
                int n;
                if (at < header.length) {
                    n = (int) Math.min(header.length - at, to - at + 1);
                    out.write(header, (int) at, n);
                } else {
                    n = (int) Math.min(zeros.length, to - at + 1);
                    out.write(zeros, 0, n);
                }
                at += n;
            }
        } catch (IOException readerHadEnough) {
            // The reader closes the connection once it has the tensor table.
        }
    }

    private static void send(HttpExchange exchange, int status, String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    private CliRun run(Map<String, String> extraEnvironment, String... args) {
        return CliRun.of(environment -> {
            environment.remove("HF_TOKEN");
            environment.put("HF_ENDPOINT", endpoint());
            environment.put("LLM_ESTIMATOR_OLLAMA_REGISTRY", endpoint());
            environment.put("XDG_CACHE_HOME", cache.toString());
            environment.putAll(extraEnvironment);
        }, args);
    }

    private CliRun answered(String... args) {
        CliRun run = run(Map.of(), args);
        assertEquals(0, run.status(), "stdout:\n" + run.out() + "\nstderr:\n" + run.err());
        return run;
    }

    private CliRun usage(Map<String, String> environment, String... args) {
        CliRun run = run(environment, args);
        assertEquals(2, run.status(), "stdout:\n" + run.out() + "\nstderr:\n" + run.err());
        assertEquals("", run.out());
        assertEquals(1, run.err().lines().filter(l -> l.startsWith("llm-estimator")).count(), run.err());
        return run;
    }

    @SuppressWarnings("unchecked")
    private static long weights(Map<String, Object> json) {
        Map<String, Object> memory = (Map<String, Object>) json.get("memory");
        return ((Number) ((Map<String, Object>) memory.get("weights")).get("bytes")).longValue();
    }

    /** A repository's file by scheme, by default its Q4_K_M, a URL and an Ollama name: the file's exact weights. */
    @Test
    void remoteGguf() {
        assertEquals(LLAMA_8B_Q4_K_M_BYTES, weights(answered("estimate", "--model",
                "hf:bartowski/Llama-3.1-8B-GGUF:Q4_K_M", "--json").json()));
        CliRun text = answered("estimate", "--model", "hf:bartowski/Llama-3.1-8B-GGUF", "--context", "4096");
        assertTrue(text.out().contains("Weights              4.58 GiB (4.91 GB)"), text.out());
        assertTrue(text.out().contains("Chosen: the GGUF file's own tensor types"), text.out());
        assertEquals(LLAMA_8B_Q4_K_M_BYTES, weights(answered("estimate", "--model",
                endpoint() + "/storage/llama-q4_k_m.gguf", "--json").json()));
        assertEquals(LLAMA_8B_Q4_K_M_BYTES, weights(answered("estimate", "--model", "ollama:llama3.1:8b",
                "--json").json()));
    }

    /**
     * best-quant among the files the repository publishes (Q4_K_M and Q8_0): in 8 GiB, Q4_K_M (6.84 GiB in all at
     * 8192 tokens, the consumer check's figure), where the stock candidates give Q5_K_M (`best-quant --model
     * llama-3.1-8b --memory 8GiB`), which the repository does not have.
     */
    @Test
    @SuppressWarnings("unchecked")
    void bestQuantAmongPublishedFiles() {
        Map<String, Object> json = answered("best-quant", "--model", "hf:bartowski/Llama-3.1-8B-GGUF", "--memory",
                "8GiB", "--json").json();
        assertEquals("Q4_K_M", json.get("scheme"));
        assertEquals(List.of("Q4_K_M", "Q8_0"), json.get("candidates"));
    }

    /** A repository without GGUF files: its config.json through the importer, estimated at Q4_K_M. */
    @Test
    void remoteConfig() {
        assertEquals(LLAMA_8B_Q4_K_M_BYTES, weights(answered("estimate", "--model", "hf:meta-llama/Llama-3.1-8B",
                "--json").json()));
    }

    /** {@code models --remote}: the files with their exact sizes, grouped by scheme. */
    @Test
    @SuppressWarnings("unchecked")
    void modelsRemote() {
        CliRun text = answered("models", "--remote", "hf:bartowski/Llama-3.1-8B-GGUF");
        assertTrue(text.out().contains("Q4_K_M"), text.out());
        assertTrue(text.out().contains(String.format(java.util.Locale.ROOT, "%,d", fileBytes)), text.out());
        assertTrue(text.out().contains("8,540,775,840"), text.out());
        Map<String, Object> json = answered("models", "--remote", "hf:bartowski/Llama-3.1-8B-GGUF", "--json").json();
        List<Map<String, Object>> gguf = (List<Map<String, Object>>) json.get("gguf");
        assertEquals("Q4_K_M", gguf.get(0).get("scheme"));
        assertEquals(fileBytes, ((Number) gguf.get(0).get("bytes")).longValue());
        assertEquals("Q8_0", gguf.get(1).get("scheme"));
    }

    /** A misspelt repository, scheme or tag: exit 2, one line naming what was wrong; the token never shown. */
    @Test
    void typos() {
        Map<String, String> token = Map.of("HF_TOKEN", "hf_do_not_print");
        CliRun repo = usage(token, "estimate", "--model", "hf:bartowski/Lama-3.1-8B-GGUF");
        assertTrue(repo.err().contains(endpoint() + "/api/models/bartowski/Lama-3.1-8B-GGUF/tree/main?...: answered 404"
                + " Not Found"), repo.err());
        assertFalse(repo.err().contains("hf_do_not_print"), repo.err());
        CliRun scheme = usage(Map.of(), "estimate", "--model", "hf:bartowski/Llama-3.1-8B-GGUF:Q2_K");
        assertTrue(scheme.err().contains("no GGUF file named or of scheme 'Q2_K' (expected: a path, or one of the"
                + " schemes [Q4_K_M, Q8_0])"), scheme.err());
        CliRun tag = usage(Map.of(), "estimate", "--model", "ollama:llama3.1:9b");
        assertTrue(tag.err().contains(endpoint() + "/v2/library/llama3.1/manifests/9b: answered 404"), tag.err());
        usage(Map.of(), "models", "--remote", "bartowski/Llama-3.1-8B-GGUF");
    }
}
