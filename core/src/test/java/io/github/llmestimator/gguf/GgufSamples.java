package io.github.llmestimator.gguf;

import io.github.llmestimator.quant.QuantScheme;
import java.nio.channels.SeekableByteChannel;

/** GGUF headers for tests outside this package, written by the package-private {@link GgufWriter}. */
public final class GgufSamples {

    private GgufSamples() {
    }

    /**
     * Returns the header of a tiny Llama (4 layers, hidden 256, vocabulary 1000) at Q4_K_M.
     *
     * @return the bytes
     */
    public static byte[] tinyLlama() {
        return GgufWriter.forModel(GgufTestModels.llama(), QuantScheme.Q4_K_M.assign(GgufTestModels.llama())).toBytes();
    }

    /**
     * Returns a channel over the given bytes, held in memory.
     *
     * @param bytes the bytes, not null
     * @return the channel, positioned at 0
     */
    public static SeekableByteChannel channel(byte[] bytes) {
        return new ByteArrayChannel(bytes);
    }
}
