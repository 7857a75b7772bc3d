package io.github.llmestimator.benchmarks;

import io.github.llmestimator.gguf.ByteArrayChannel;
import io.github.llmestimator.gguf.GgufModel;
import io.github.llmestimator.gguf.GgufWriter;
import io.github.llmestimator.model.DenseFeedForward;
import io.github.llmestimator.model.FullAttention;
import io.github.llmestimator.model.Layer;
import io.github.llmestimator.model.ModelSpec;
import io.github.llmestimator.quant.QuantScheme;
import java.io.IOException;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Reading a GGUF header with a 150,000-entry vocabulary (tokens, scores, merges) and 1,000+ tensors from a channel
 * that claims 1 GB or 100 GB of tensor data after it: the cost must not depend on the data size.
 *
 * <p>Run: {@code java -jar benchmarks/target/benchmarks.jar GgufHeaderReadBenchmark -prof gc}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class GgufHeaderReadBenchmark {

    /** Bytes of tensor data the channel claims after the header. */
    @Param({"1000000000", "100000000000"})
    public long dataBytes;

    private byte[] headerAndReadAhead;
    private long headerBytes;

    /** Writes the header once (120 layers x 9 tensors + 3 = 1,083 tensors). */
    @Setup
    public void setUp() {
        ModelSpec spec = ModelSpec.builder("deep").architecture("llama").hiddenSize(256).vocabularySize(150_000)
                .maxContextTokens(4096)
                .addLayers(120, Layer.of(FullAttention.of(8, 2, 32), DenseFeedForward.gated(512))).build();
        GgufWriter writer = GgufWriter.forModel(spec, QuantScheme.Q8_0.assign(spec), true);
        writer.f32Array("tokenizer.ggml.scores", 150_000);
        writer.stringArray("tokenizer.ggml.merges", 150_000, i -> "a" + i + " b" + i);
        byte[] header = writer.toBytes();
        headerBytes = header.length;
        headerAndReadAhead = Arrays.copyOf(header, header.length + (64 << 10));
    }

    /**
     * Reads the header and rebuilds the spec and exact weights.
     *
     * @return the model read, consumed by JMH
     * @throws IOException never: the header is valid
     */
    @Benchmark
    public GgufModel read() throws IOException {
        return GgufModel.read(new ByteArrayChannel(headerAndReadAhead, headerBytes + dataBytes));
    }
}
