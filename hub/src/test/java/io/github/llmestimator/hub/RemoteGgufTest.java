package io.github.llmestimator.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.llmestimator.catalog.Models;
import io.github.llmestimator.gguf.GgufFile;
import io.github.llmestimator.gguf.HubGgufFiles;
import io.github.llmestimator.quant.QuantScheme;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** GGUF headers read over HTTP ranges from a local server that answers like the Hub, its storage host and Ollama. */
final class RemoteGgufTest {

    /**
     * Llama-3.1-8B Q4_K_M: the tensor data of the published file, 4.58 GiB as llama-bench prints it (the same figure
     * the command-line tests use), written by the project's GGUF writer with llama.cpp's stock recipe.
     */
    private static final long LLAMA_8B_Q4_K_M_BYTES = 4_912_898_048L;

    @TempDir
    Path cache;

    private LocalServers servers;
    private Hub hub;
    private byte[] header;
    private long fileBytes;

    @BeforeEach
    void start() throws IOException {
        servers = new LocalServers();
        hub = new Hub(settings());
        header = HubGgufFiles.header(Models.LLAMA_3_1_8B.spec(), QuantScheme.Q4_K_M);
        fileBytes = GgufFile.read(new ByteArrayInputStream(header)).fileBytes();
    }

    private HubSettings settings() {
        return HubSettings.defaults().withEndpoint(servers.endpoint()).withOllamaRegistry(servers.endpoint())
                .withCacheDirectory(cache).withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(2),
                        Duration.ofSeconds(20)).withLimits(5, 3, Duration.ofMillis(10));
    }

    @AfterEach
    void stop() {
        servers.close();
    }

    /**
     * A file of 4.9 GB declared size: the weights are exact to the byte and the reader takes at most the header plus
     * the 64 KiB its buffer holds. The figures are printed for the record.
     */
    @Test
    void largeFileHeaderOnly() throws IOException {
        assertTrue(fileBytes >= 1_000_000_000L, "the served file is at least 1 GB: " + fileBytes);
        servers.put("bartowski/Llama-3.1-8B-GGUF", "Llama-3.1-8B-Q4_K_M.gguf",
                LocalServers.headerThenZeros(header, fileBytes));
        RepoListing repo = hub.listRepository("bartowski/Llama-3.1-8B-GGUF", "main");
        RemoteGguf read = hub.readGguf(repo, repo.gguf("q4_k_m"));

        assertEquals(LLAMA_8B_Q4_K_M_BYTES, read.model().weightBytes());
        assertEquals(fileBytes, read.fileBytes());
        assertEquals(header.length, read.model().file().dataOffset(), "the writer pads its header to the data offset");
        assertTrue(read.bytesFetched() >= read.headerBytes(), "read the whole header");
        assertTrue(read.bytesFetched() <= read.headerBytes() + 65536, "fetched " + read.bytesFetched()
                + " bytes for a header of " + read.headerBytes());
        System.out.printf("remote GGUF: declared file %d bytes (%.2f GB), weights %d bytes, header %d bytes,"
                + " fetched %d bytes by the reader, %d bytes sent by the storage host%n", read.fileBytes(),
                read.fileBytes() / 1e9, read.model().weightBytes(), read.headerBytes(), read.bytesFetched(),
                servers.storageBytesSent.get());
    }

    /** The progress listener hears every block, in order, up to the bytes the read reports. */
    @Test
    void progress() throws IOException {
        servers.put("owner/Progress-GGUF", "Model-Q4_K_M.gguf", LocalServers.headerThenZeros(header, fileBytes));
        java.util.List<Long> reports = new java.util.ArrayList<>();
        Hub watched = new Hub(settings().withCacheDirectory(null).withProgress((url, bytes) -> {
            if (url.endsWith(".gguf")) {
                reports.add(bytes);
            }
        }));
        RepoListing repo = watched.listRepository("owner/Progress-GGUF", "main");
        RemoteGguf read = watched.readGguf(repo, repo.gguf("Q4_K_M"));
        assertTrue(reports.size() > 10, "a 2 MB header arrives in many blocks: " + reports.size());
        for (int i = 1; i < reports.size(); i++) {
            assertTrue(reports.get(i) > reports.get(i - 1), "growing");
        }
        assertEquals(read.bytesFetched(), reports.get(reports.size() - 1));
    }

    /** The parts of a split file are read and joined: the same weights as the single file, sizes summed. */
    @Test
    void splitFile() throws IOException {
        List<byte[]> parts = HubGgufFiles.splitHeaders(Models.LLAMA_3_1_8B.spec(), QuantScheme.Q4_K_M, 3);
        long total = 0;
        for (int i = 0; i < parts.size(); i++) {
            long size = GgufFile.read(new ByteArrayInputStream(parts.get(i))).fileBytes();
            total += size;
            servers.put("owner/Split-GGUF", String.format("Q4_K_M/Llama-Q4_K_M-%05d-of-00003.gguf", i + 1),
                    LocalServers.headerThenZeros(parts.get(i), size));
        }
        RepoListing repo = hub.listRepository("owner/Split-GGUF", "main");
        GgufGroup group = repo.gguf("Q4_K_M");
        assertEquals(3, group.parts().size());
        assertEquals(total, group.bytes());
        RemoteGguf read = hub.readGguf(repo, group);
        assertEquals(LLAMA_8B_Q4_K_M_BYTES, read.model().weightBytes());
        assertEquals(total, read.fileBytes());
        assertEquals(3, read.urls().size());

        // A URL of any part brings the others.
        URI second = URI.create(hub.fileUrl("owner/Split-GGUF", "main", "Q4_K_M/Llama-Q4_K_M-00002-of-00003.gguf")
                .toString());
        assertEquals(LLAMA_8B_Q4_K_M_BYTES, hub.readGguf(second).model().weightBytes());
    }

    /** The tree listing groups GGUF files by scheme, split parts together, projectors apart; sizes are lfs.size. */
    @Test
    void listingGroupsBySchemes() throws IOException {
        String repo = "unsloth/Test-GGUF";
        servers.put(repo, "Test-Q4_K_M.gguf", LocalServers.bytes(new byte[1000]));
        servers.put(repo, "Test-UD-Q4_K_XL.gguf", LocalServers.bytes(new byte[1100]));
        servers.put(repo, "Test-Q6_K_L.gguf", LocalServers.bytes(new byte[1200]));
        servers.put(repo, "BF16/Test-BF16-00001-of-00002.gguf", LocalServers.bytes(new byte[700]));
        servers.put(repo, "BF16/Test-BF16-00002-of-00002.gguf", LocalServers.bytes(new byte[600]));
        servers.put(repo, "mmproj-F16.gguf", LocalServers.bytes(new byte[300]));
        servers.put(repo, "README.md", LocalServers.bytes(new byte[42]));
        RepoListing listing = hub.listRepository(repo, "main");

        assertEquals(7, listing.files().size(), "every file of every page, no directories");
        assertEquals(List.of("BF16", "Q4_K_M", "Q6_K_L", "UD-Q4_K_XL"), listing.schemes());
        GgufGroup bf16 = listing.gguf("bf16");
        assertEquals(1300, bf16.bytes(), "700 + 600, the lfs sizes, not the pointers'");
        assertEquals(1100, listing.gguf("UD-Q4_K_XL").bytes());
        assertEquals(1200, listing.gguf("Test-Q6_K_L.gguf").bytes());
        GgufGroup projector = listing.ggufGroups().get(listing.ggufGroups().size() - 1);
        assertTrue(projector.projector());
        assertEquals("F16", projector.scheme());
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class, () -> listing.gguf("Q2_K"));
        assertTrue(missing.getMessage().contains("[BF16, Q4_K_M, Q6_K_L, UD-Q4_K_XL]"), missing.getMessage());
    }

    /** A second read of the same file at the same ETag comes from the cache folder: no header bytes fetched. */
    @Test
    void headerCache() throws IOException {
        servers.put("owner/Cached-GGUF", "Model-Q4_K_M.gguf", LocalServers.headerThenZeros(header, fileBytes));
        RepoListing repo = hub.listRepository("owner/Cached-GGUF", "main");
        RemoteGguf first = hub.readGguf(repo, repo.gguf("Q4_K_M"));
        assertEquals(0, first.cachedParts());
        RemoteGguf again = hub.readGguf(repo, repo.gguf("Q4_K_M"));
        assertEquals(1, again.cachedParts());
        assertEquals(0, again.bytesFetched());
        assertEquals(LLAMA_8B_Q4_K_M_BYTES, again.model().weightBytes());
    }

    /** The token goes to the Hub's host only, never to the storage host, and never into a message. */
    @Test
    void tokenStaysWithTheHub() throws IOException {
        servers.put("gated/Model-GGUF", "Model-Q4_K_M.gguf", LocalServers.headerThenZeros(header, fileBytes));
        Hub withToken = new Hub(settings().withToken("hf_secret_value"));
        RepoListing repo = withToken.listRepository("gated/Model-GGUF", "main");
        withToken.readGguf(repo, repo.gguf("Q4_K_M"));
        assertFalse(servers.authorizations.isEmpty());
        for (String seen : servers.authorizations) {
            assertEquals("hub Bearer hf_secret_value", seen, "only the hub sees the token");
        }
        servers.handle("/echo", exchange -> {
            try (exchange) {
                LocalServers.send(exchange, 401, "text/plain", "denied for "
                        + exchange.getRequestHeaders().getFirst("Authorization"));
            }
        });
        HubException denied = assertThrows(HubException.class,
                () -> withToken.readGguf(URI.create(servers.endpoint() + "/echo/model.gguf")));
        assertFalse(denied.getMessage().contains("hf_secret_value"), denied.getMessage());
        assertTrue(denied.getMessage().contains("[HF_TOKEN]"), denied.getMessage());
        assertFalse(withToken.settings().toString().contains("hf_secret_value"));
    }

    /** An Ollama name resolves through the manifest to the model layer's blob, read by range like any GGUF. */
    @Test
    void ollamaName() throws IOException {
        String digest = "sha256:" + "c".repeat(64);
        servers.putOllama("library", "llama3.1", "8b", digest, LocalServers.headerThenZeros(header, fileBytes));
        RemoteGguf read = hub.readOllama(OllamaName.parse("llama3.1:8b"));
        assertEquals(LLAMA_8B_Q4_K_M_BYTES, read.model().weightBytes());
        assertEquals(fileBytes, read.fileBytes());
        assertEquals(new OllamaName("library", "qwen3", "latest"), OllamaName.parse("qwen3"));
        assertEquals(new OllamaName("user", "model", "q4"), OllamaName.parse("user/model:q4"));
        HubException unknown = assertThrows(HubException.class,
                () -> hub.readOllama(OllamaName.parse("llama3.1:9b")));
        assertTrue(unknown.getMessage().startsWith(servers.endpoint() + "/v2/library/llama3.1/manifests/9b: answered"
                + " 404"), unknown.getMessage());
    }
}
