package io.github.llmestimator.gguf;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A little-endian, buffered, forward-only view of the bytes of a GGUF header, from a channel or a stream. Every read
 * checks that the bytes are there (else {@link GgufFormatException} with {@code truncated} set) and that the header
 * stays within {@link GgufFile#MAX_HEADER_BYTES}; skips move the channel's position or skip the stream without reading
 * into memory.
 */
final class GgufInput {

    /** Large enough that a tokenizer's strings are skipped inside the buffer; small enough to be cheap to allocate. */
    private static final int BUFFER_BYTES = 1 << 16;

    private final SeekableByteChannel channel;
    private final long channelStart;
    private final InputStream stream;
    private final ByteBuffer buffer;
    /** Bytes the source holds from its start, or {@link Long#MAX_VALUE} when unknown (a stream). */
    private final long end;
    private final long limit;
    /** Offset of the buffer's index 0. */
    private long base;
    private boolean exhausted;

    private GgufInput(SeekableByteChannel channel, long channelStart, InputStream stream, long end, long limit) {
        this.channel = channel;
        this.channelStart = channelStart;
        this.stream = stream;
        this.end = end;
        this.limit = limit;
        this.buffer = ByteBuffer.allocate(BUFFER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        this.buffer.flip();
    }

    static GgufInput of(SeekableByteChannel channel, long limit) throws IOException {
        long start = channel.position();
        long size = channel.size();
        return new GgufInput(channel, start, null, Math.max(0, size - start), limit);
    }

    static GgufInput of(InputStream stream, long limit) {
        return new GgufInput(null, 0, stream, Long.MAX_VALUE, limit);
    }

    /** Returns the offset of the next byte from the start of the GGUF data. */
    long position() {
        return base + buffer.position();
    }

    /** Returns how many more bytes the header may take: up to the end of the input or the header limit. */
    long available() {
        return Math.min(end, limit) - position();
    }

    /**
     * Returns an exception saying that {@code needed} bytes, of which {@code left} are left, are more than the input
     * or the header limit allow.
     */
    GgufFormatException tooLarge(long at, String what, String value, long needed, long left) {
        if (end <= limit) {
            return new GgufFormatException(at, what + ": " + value + " (expected: at most the " + left
                    + " bytes left in the input, " + needed + " needed)", true);
        }
        return new GgufFormatException(at, what + ": " + value + " (expected: a header within the limit of "
                + limit + " bytes, " + needed + " bytes needed with " + left + " left)");
    }

    /**
     * Checks that {@code count} values of at least {@code minimumBytes} each can follow the current position; the
     * problem is reported at {@code at}, where the count was read.
     */
    void requireFits(long at, String what, long count, long minimumBytes) throws GgufFormatException {
        long left = available();
        if (count < 0 || count > left / minimumBytes) {
            String value = count < 0 ? Long.toUnsignedString(count) : Long.toString(count);
            long needed = count < 0 || count > Long.MAX_VALUE / minimumBytes ? Long.MAX_VALUE : count * minimumBytes;
            throw tooLarge(at, what, value, needed, Math.max(0, left));
        }
    }

    private void ensure(int n, String what) throws IOException {
        if (buffer.remaining() >= n) {
            return;
        }
        long at = position();
        if (at + n > limit) {
            throw tooLarge(at, what, n + " bytes", n, Math.max(0, limit - at));
        }
        fill(n);
        if (buffer.remaining() < n) {
            throw new GgufFormatException(at, what + ": input ends after " + buffer.remaining() + " of its " + n
                    + " bytes (expected: the rest of the header)", true);
        }
    }

    private void fill(int needed) throws IOException {
        base += buffer.position();
        buffer.compact();
        while (buffer.position() < needed && !exhausted) {
            int read;
            if (channel != null) {
                read = channel.read(buffer);
            } else {
                read = stream.read(buffer.array(), buffer.arrayOffset() + buffer.position(), buffer.remaining());
                if (read > 0) {
                    buffer.position(buffer.position() + read);
                }
            }
            if (read <= 0) {
                // A blocking source returns 0 only when it has no more to give; treating it as the end means no hang.
                exhausted = true;
            }
        }
        buffer.flip();
    }

    int readU8(String what) throws IOException {
        ensure(1, what);
        return buffer.get() & 0xFF;
    }

    int readI32(String what) throws IOException {
        ensure(4, what);
        return buffer.getInt();
    }

    long readU32(String what) throws IOException {
        ensure(4, what);
        return buffer.getInt() & 0xFFFF_FFFFL;
    }

    long readI64(String what) throws IOException {
        ensure(8, what);
        return buffer.getLong();
    }

    float readF32(String what) throws IOException {
        ensure(4, what);
        return buffer.getFloat();
    }

    double readF64(String what) throws IOException {
        ensure(8, what);
        return buffer.getDouble();
    }

    int readU16(String what) throws IOException {
        ensure(2, what);
        return buffer.getShort() & 0xFFFF;
    }

    short readI16(String what) throws IOException {
        ensure(2, what);
        return buffer.getShort();
    }

    /** Reads a length-prefixed string of at most {@code maxBytes} bytes. */
    String readString(long maxBytes, String what) throws IOException {
        long at = position();
        long length = readI64(what);
        if (length < 0 || length > maxBytes) {
            throw new GgufFormatException(at, what + " length: " + Long.toUnsignedString(length)
                    + " (expected: at most " + maxBytes + " bytes)");
        }
        requireFits(at + 8, what, length, 1);
        int n = (int) length;
        if (n <= BUFFER_BYTES) {
            ensure(n, what);
            String s = new String(buffer.array(), buffer.arrayOffset() + buffer.position(), n, StandardCharsets.UTF_8);
            buffer.position(buffer.position() + n);
            return s;
        }
        // Long strings grow with the bytes actually read, never with the untrusted length alone.
        byte[] bytes = new byte[BUFFER_BYTES];
        int filled = 0;
        while (filled < n) {
            int chunk = Math.min(BUFFER_BYTES, n - filled);
            ensure(chunk, what);
            if (filled + chunk > bytes.length) {
                bytes = Arrays.copyOf(bytes, (int) Math.min(n, Math.max(2L * bytes.length, filled + chunk)));
            }
            buffer.get(bytes, filled, chunk);
            filled += chunk;
        }
        return new String(bytes, 0, n, StandardCharsets.UTF_8);
    }

    /** Checks and skips a length-prefixed string of at most {@code maxBytes} bytes without decoding it. */
    void skipString(long maxBytes, String what) throws IOException {
        long at = position();
        long length = readI64(what);
        if (length < 0 || length > maxBytes) {
            throw new GgufFormatException(at, what + " length: " + Long.toUnsignedString(length)
                    + " (expected: at most " + maxBytes + " bytes)");
        }
        if (length <= buffer.remaining()) {
            buffer.position(buffer.position() + (int) length);
            return;
        }
        requireFits(at + 8, what, length, 1);
        skip(length, what);
    }

    /** Skips {@code n} bytes, already checked against {@link #available()}. */
    void skip(long n, String what) throws IOException {
        int buffered = buffer.remaining();
        if (n <= buffered) {
            buffer.position(buffer.position() + (int) n);
            return;
        }
        long at = position();
        long rest = n - buffered;
        base += buffer.limit();
        buffer.clear();
        buffer.flip();
        if (channel != null) {
            if (base + rest > end) {
                throw new GgufFormatException(at, what + ": " + n + " bytes (expected: at most the "
                        + (end - at) + " bytes left in the input)", true);
            }
            channel.position(channelStart + base + rest);
            base += rest;
            return;
        }
        long skipped = 0;
        while (skipped < rest) {
            long k = stream.skip(rest - skipped);
            if (k <= 0) {
                if (stream.read() < 0) {
                    base += skipped;
                    throw new GgufFormatException(at, what + ": input ends after " + (buffered + skipped) + " of its "
                            + n + " bytes (expected: the rest of the header)", true);
                }
                k = 1;
            }
            skipped += k;
        }
        base += rest;
    }
}
