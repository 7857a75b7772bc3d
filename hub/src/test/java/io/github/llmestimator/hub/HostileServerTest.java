package io.github.llmestimator.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.llmestimator.catalog.Models;
import io.github.llmestimator.gguf.GgufFile;
import io.github.llmestimator.gguf.HubGgufFiles;
import io.github.llmestimator.quant.QuantScheme;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * Servers that break the rules: each read ends in a {@link HubException} that names the URL, within its timeout, and
 * with the heap these tests run in (surefire's {@code -Xmx128m} for this module) although the files claim gigabytes.
 * Timeouts here: 1 s per read, 4 s overall (30 s for the 64 MiB header); 3 retries starting 10 ms apart.
 */
final class HostileServerTest {

    private static final Duration READ = Duration.ofSeconds(1);
    private static final Duration OVERALL = Duration.ofSeconds(4);
    /**
     * Every failure must come within the overall timeout plus this much (a loaded build machine); the message then
     * says which limit ended the read.
     */
    private static final Duration SLACK = Duration.ofSeconds(2);

    private LocalServers servers;
    private Hub hub;
    private byte[] header;
    private long fileBytes;

    @BeforeEach
    void start() throws IOException {
        servers = new LocalServers();
        hub = new Hub(HubSettings.defaults().withEndpoint(servers.endpoint()).withTimeouts(READ, READ, OVERALL)
                .withLimits(5, 3, Duration.ofMillis(10)));
        header = HubGgufFiles.header(Models.LLAMA_3_1_8B.spec(), QuantScheme.Q4_K_M);
        fileBytes = GgufFile.read(new ByteArrayInputStream(header)).fileBytes();
    }

    @AfterEach
    void stop() {
        servers.close();
    }

    private URI url(String path) {
        return URI.create(servers.endpoint() + path);
    }

    /** Runs a read that must fail in time, and returns its exception after checking it names the URL. */
    private HubException fails(String path, Executable read) {
        return fails(path, OVERALL.plus(SLACK), read);
    }

    private HubException fails(String path, Duration bound, Executable read) {
        long start = System.nanoTime();
        HubException e = assertThrows(HubException.class, read);
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertTrue(took.compareTo(bound) < 0, "took " + took + ", bound " + bound + ": " + e.getMessage());
        assertTrue(e.getMessage().startsWith(servers.endpoint() + path), e.getMessage());
        System.out.println("hostile " + path + " (" + took.toMillis() + " ms): " + e.getMessage());
        return e;
    }

    private HubException failsReading(String path) {
        return fails(path, () -> hub.readGguf(url(path)));
    }

    /** 200 and the whole 4.9 GB file for a range request: refused at the status line, nothing of the body read. */
    @Test
    void ignoresRange() {
        servers.handle("/ignores-range", exchange -> {
            try (exchange) {
                exchange.sendResponseHeaders(200, fileBytes);
                LocalServers.headerThenZeros(header, fileBytes).write(exchange.getResponseBody(), 0, fileBytes - 1);
            } catch (IOException clientGone) {
                // The reader refused the body: that is what is tested.
            }
        });
        HubException e = failsReading("/ignores-range/model.gguf");
        assertTrue(e.getMessage().contains("answered 200 to a request for bytes 0-65535 (expected: 206"),
                e.getMessage());
    }

    /** Content-Length of a whole window, but the connection closes after 1000 bytes. */
    @Test
    void shortBody() {
        servers.handle("/short-body", exchange -> {
            exchange.getResponseHeaders().add("Content-Range", "bytes 0-65535/" + fileBytes);
            exchange.sendResponseHeaders(206, 65536);
            OutputStream out = exchange.getResponseBody();
            out.write(header, 0, 1000);
            out.flush();
            // Closing the exchange with bytes missing drops the connection.
            exchange.close();
        });
        HubException e = failsReading("/short-body/model.gguf");
        assertTrue(e.getMessage().contains("after 1000 bytes"), e.getMessage());
    }

    /** A Content-Length smaller than the Content-Range: the body ends early, and that is an error too. */
    @Test
    void contentLengthBelowRange() {
        servers.handle("/short-length", exchange -> {
            try (exchange) {
                exchange.getResponseHeaders().add("Content-Range", "bytes 0-65535/" + fileBytes);
                exchange.sendResponseHeaders(206, 100);
                exchange.getResponseBody().write(header, 0, 100);
            }
        });
        HubException e = failsReading("/short-length/model.gguf");
        assertTrue(e.getMessage().contains("the body ends after 100 bytes of the 65536 its Content-Range announces"),
                e.getMessage());
    }

    /** A Content-Range for other bytes than those asked for. */
    @Test
    void wrongRange() {
        servers.handle("/wrong-range", exchange -> {
            try (exchange) {
                exchange.getResponseHeaders().add("Content-Range", "bytes 100-65635/" + fileBytes);
                exchange.sendResponseHeaders(206, 65536);
                exchange.getResponseBody().write(new byte[65536]);
            }
        });
        HubException e = failsReading("/wrong-range/model.gguf");
        assertTrue(e.getMessage().contains("(expected: bytes 0-65535/SIZE, the range asked for)"), e.getMessage());
    }

    /** A file whose stated size is smaller than what its header describes. */
    @Test
    void sizeBelowHeader() {
        long lie = header.length + 1000L;
        servers.handle("/small-file", exchange -> {
            try (exchange) {
                LocalServers.serve(exchange, LocalServers.headerThenZeros(header, lie), null);
            }
        });
        HubException e = failsReading("/small-file/model.gguf");
        assertTrue(e.getMessage().contains("the header describes a file of " + fileBytes + " bytes (expected: at most"
                + " the " + lie + " bytes the server states)"), e.getMessage());
    }

    /**
     * A header that goes on past the 64 MiB limit: 70 arrays of 5000 strings of 200 bytes (1,040,000 bytes each, keys
     * k000 to k069), made as they are sent; the reader stops at the limit, never holding more than a window.
     */
    @Test
    void headerBeyondLimit() {
        byte[] entry = arrayEntry(5000, 200);
        int entries = 70;
        long size = 24 + (long) entries * entry.length + (1L << 30);
        byte[] start = new byte[24];
        System.arraycopy("GGUF".getBytes(StandardCharsets.US_ASCII), 0, start, 0, 4);
        start[4] = 3; // version 3, no tensors, 70 entries
        start[16] = (byte) entries;
        LocalServers.Content content = new LocalServers.Content() {
            @Override
            public long size() {
                return size;
            }

            @Override
            public void write(OutputStream out, long from, long to) throws IOException {
                for (long at = from; at <= to; ) {
                    if (at < 24) {
                        out.write(start[(int) at]);
                        at++;
                    } else {
                        long index = (at - 24) / entry.length;
                        int in = (int) ((at - 24) % entry.length);
                        if (in >= 8 && in < 12) {
                            out.write(String.format("k%03d", index).charAt(in - 8));
                            at++;
                            continue;
                        }
                        int n = (int) Math.min(in < 8 ? 8 - in : entry.length - in, to - at + 1);
                        out.write(entry, in, n);
                        at += n;
                    }
                }
            }
        };
        servers.handle("/huge-header", exchange -> {
            try (exchange) {
                LocalServers.serve(exchange, content, null);
            }
        });
        Hub patient = new Hub(hub.settings().withTimeouts(READ, READ, Duration.ofSeconds(30)));
        HubException e = fails("/huge-header/model.gguf", Duration.ofSeconds(30).plus(SLACK),
                () -> patient.readGguf(url("/huge-header/model.gguf")));
        assertTrue(e.getMessage().contains("within the limit of " + GgufFile.MAX_HEADER_BYTES + " bytes"),
                e.getMessage());
    }

    /** One metadata entry: a 4-byte key (written by the server), an array of {@code count} strings of {@code length} bytes. */
    private static byte[] arrayEntry(int count, int length) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        writeLong(out, 4);
        out.write(new byte[4], 0, 4);
        writeInt(out, 9);
        writeInt(out, 8);
        writeLong(out, count);
        byte[] text = "x".repeat(length).getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i < count; i++) {
            writeLong(out, length);
            out.write(text, 0, length);
        }
        return out.toByteArray();
    }

    private static void writeInt(java.io.ByteArrayOutputStream out, int v) {
        for (int i = 0; i < 4; i++) {
            out.write(v >>> (8 * i));
        }
    }

    private static void writeLong(java.io.ByteArrayOutputStream out, long v) {
        for (int i = 0; i < 8; i++) {
            out.write((int) (v >>> (8 * i)));
        }
    }

    /** A redirect to itself: stopped after the limit of 5. */
    @Test
    void redirectLoop() {
        servers.handle("/loop", exchange -> {
            try (exchange) {
                LocalServers.redirect(exchange, 302, "/loop/model.gguf");
            }
        });
        HubException e = failsReading("/loop/model.gguf");
        assertTrue(e.getMessage().contains("more than 5 redirects"), e.getMessage());
    }

    /** Headers, then silence: the read timeout ends it. */
    @Test
    void stallsAfterHeaders() {
        servers.handle("/stall", exchange -> {
            exchange.getResponseHeaders().add("Content-Range", "bytes 0-65535/" + fileBytes);
            exchange.sendResponseHeaders(206, 65536);
            exchange.getResponseBody().flush();
            sleep(20_000);
            exchange.close();
        });
        HubException e = failsReading("/stall/model.gguf");
        assertTrue(e.getMessage().contains("no data for 1000 ms after 0 bytes"), e.getMessage());
    }

    /** No answer at all: the read timeout covers the wait for the headers. */
    @Test
    void stallsBeforeHeaders() {
        servers.handle("/silent", exchange -> {
            sleep(20_000);
            exchange.close();
        });
        HubException e = failsReading("/silent/model.gguf");
        assertTrue(e.getMessage().contains("no answer within the read timeout of 1000 ms"), e.getMessage());
    }

    /** Slowloris: one byte every 300 ms, never a full read timeout apart; the overall timeout ends it. */
    @Test
    void slowloris() {
        servers.handle("/slow", exchange -> {
            exchange.getResponseHeaders().add("Content-Range", "bytes 0-65535/" + fileBytes);
            exchange.sendResponseHeaders(206, 65536);
            OutputStream out = exchange.getResponseBody();
            try {
                for (int i = 0; i < 65536; i++) {
                    out.write(header[i]);
                    out.flush();
                    sleep(300);
                }
            } catch (IOException clientGone) {
                // The reader gave up: that is what is tested.
            }
            exchange.close();
        });
        HubException e = failsReading("/slow/model.gguf");
        assertTrue(e.getMessage().contains("not done within the overall timeout of 4000 ms"), e.getMessage());
    }

    /** 500 every time: 1 try and 3 retries, then the status. */
    @Test
    void serverError() {
        AtomicInteger tries = new AtomicInteger();
        servers.handle("/broken", exchange -> {
            try (exchange) {
                tries.incrementAndGet();
                LocalServers.send(exchange, 500, "text/plain", "internal error");
            }
        });
        HubException e = failsReading("/broken/model.gguf");
        assertEquals(4, tries.get());
        assertEquals(500, e.status().getAsInt());
        assertTrue(e.getMessage().contains("answered 500 (expected: a working server; try again later) after 3"
                + " retries; the server said: internal error"), e.getMessage());
    }

    /** 429 twice, then the file: the retries get it. */
    @Test
    void rateLimitedThenServed() throws IOException {
        AtomicInteger tries = new AtomicInteger();
        servers.handle("/busy", exchange -> {
            try (exchange) {
                if (tries.incrementAndGet() <= 2) {
                    LocalServers.send(exchange, 429, "text/plain", "slow down");
                } else {
                    LocalServers.serve(exchange, LocalServers.headerThenZeros(header, fileBytes), null);
                }
            }
        });
        assertEquals(4_912_898_048L, hub.readGguf(url("/busy/model.gguf")).model().weightBytes());
    }

    /** 404 and 403 are not retried. */
    @Test
    void clientErrors() {
        AtomicInteger tries = new AtomicInteger();
        servers.handle("/missing", exchange -> {
            try (exchange) {
                tries.incrementAndGet();
                LocalServers.send(exchange, 404, "application/json", "{\"error\":\"Entry not found\"}");
            }
        });
        HubException e = failsReading("/missing/model.gguf");
        assertEquals(1, tries.get());
        assertTrue(e.getMessage().contains("answered 404 Not Found"), e.getMessage());
        HubException repo = fails("/api/models/nobody/nothing/tree/main",
                () -> hub.listRepository("nobody/nothing", "main"));
        assertEquals(404, repo.status().getAsInt());
        servers.handle("/gated", exchange -> {
            try (exchange) {
                LocalServers.send(exchange, 403, "text/plain", "");
            }
        });
        assertTrue(failsReading("/gated/model.gguf").getMessage().contains("needs HF_TOKEN"));
    }

    /** A tree listing whose sizes are not byte counts: a fraction, a number beyond 2^63, a negative one. */
    @Test
    void treeSizesThatAreNotByteCounts() {
        for (String size : new String[] {"1.5", "100000000000000000000", "-1"}) {
            String repo = "odd/sizes" + size.length();
            servers.handle("/api/models/" + repo + "/tree/main", exchange -> {
                try (exchange) {
                    LocalServers.send(exchange, 200, "application/json", "[{\"type\":\"file\",\"oid\":\"a\","
                            + "\"size\":" + size + ",\"path\":\"x.gguf\"}]");
                }
            });
            HubException e = fails("/api/models/" + repo + "/tree/main", () -> hub.listRepository(repo, "main"));
            assertTrue(e.getMessage().contains("tree entry with path x.gguf and size " + size + " (expected: a path"
                    + " and a size in bytes from 0 to 2^63-1)"), e.getMessage());
        }
    }

    /** Bytes that are not a GGUF header. */
    @Test
    void notGguf() {
        servers.handle("/html", exchange -> {
            try (exchange) {
                LocalServers.serve(exchange, LocalServers.bytes("<html>hello</html>".repeat(100)
                        .getBytes(StandardCharsets.UTF_8)), null);
            }
        });
        HubException e = failsReading("/html/model.gguf");
        assertTrue(e.getMessage().contains("not a GGUF header this library reads: at byte 0: magic byte 0"),
                e.getMessage());
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

}
