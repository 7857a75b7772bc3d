package io.github.llmestimator.gguf;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.NonWritableChannelException;
import java.nio.channels.SeekableByteChannel;

/**
 * A read-only channel over bytes that may claim to be larger than they are: reading past {@code bytes.length} but
 * below {@code size} fails, which proves that a reader never touched the tensor data of a large file.
 */
public final class ByteArrayChannel implements SeekableByteChannel {

    private final byte[] bytes;
    private final long size;
    private long position;
    private long bytesRead;
    private boolean open = true;

    ByteArrayChannel(byte[] bytes) {
        this(bytes, bytes.length);
    }

    public ByteArrayChannel(byte[] bytes, long size) {
        this.bytes = bytes;
        this.size = size;
    }

    long bytesRead() {
        return bytesRead;
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        if (position >= size) {
            return -1;
        }
        int n = (int) Math.min(dst.remaining(), size - position);
        if (position + n > bytes.length) {
            throw new IOException("read of tensor data at " + position + " (the reader must never read past the header)");
        }
        dst.put(bytes, (int) position, n);
        position += n;
        bytesRead += n;
        return n;
    }

    @Override
    public int write(ByteBuffer src) {
        throw new NonWritableChannelException();
    }

    @Override
    public long position() {
        return position;
    }

    @Override
    public SeekableByteChannel position(long newPosition) {
        position = newPosition;
        return this;
    }

    @Override
    public long size() {
        return size;
    }

    @Override
    public SeekableByteChannel truncate(long newSize) {
        throw new NonWritableChannelException();
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    @Override
    public void close() {
        open = false;
    }
}
