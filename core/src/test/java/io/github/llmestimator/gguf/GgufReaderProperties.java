package io.github.llmestimator.gguf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;

import io.github.llmestimator.model.ModelSpec;
import io.github.llmestimator.quant.QuantScheme;
import io.github.llmestimator.quant.TensorType;
import io.github.llmestimator.testing.ModelGenerators;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

/**
 * The reader on hostile input: QuickTheories mutations and truncations of valid headers (every mapped architecture
 * family, an unknown one, kept and skipped tokenizer arrays) either read or fail with {@link GgufFormatException}
 * naming an offset inside the input, the same from a stream and from a channel; never another exception, an
 * {@link OutOfMemoryError} or a hang.
 *
 * <p>CI runs {@value #DEFAULT_CASES} cases with a fixed seed; {@code -Pfuzz} (system property
 * {@code gguf.fuzz.cases}) runs more, and {@code gguf.fuzz.seed} picks another seed.
 */
final class GgufReaderProperties {

    /** Cases in an ordinary build: about 15 s on two cores. */
    static final int DEFAULT_CASES = 100_000;

    private static final byte[][] SEEDS = seeds();

    /** Values that make counts, lengths, ids and dimensions interesting. */
    private static final long[] INTERESTING = {0, 1, 2, 3, 4, 5, 8, 9, 12, 13, 31, 32, 33, 42, 43, 63, 64, 255, 256,
        4096, 4097, 65_535, 65_536, Integer.MAX_VALUE, 0x8000_0000L, 0xFFFF_FFFFL, 1L << 32, 1L << 40, 1L << 58,
        1L << 61, Long.MAX_VALUE, -1, -2, Long.MIN_VALUE};

    private static byte[][] seeds() {
        List<byte[]> seeds = new ArrayList<>();
        for (String arch : List.of("llama", "qwen3next", "deepseek2", "nemotron_h", "gemma3", "gpt-oss",
                "qwen35moe", "granitehybrid")) {
            Object[] entry = GgufTestModels.all().get(arch);
            ModelSpec spec = (ModelSpec) entry[0];
            seeds.add(GgufWriter.forModel(spec, ((QuantScheme) entry[1]).assign(spec), false).toBytes());
        }
        ModelSpec qwen3 = GgufTestModels.qwen3();
        seeds.add(GgufWriter.forModel(qwen3, QuantScheme.Q8_0.assign(qwen3), true).toBytes());
        seeds.add(new GgufWriter().version(2).alignment(64).string("general.architecture", "mystery")
                .stringArray("tokenizer.ggml.tokens", 5000, i -> "t" + i).f32Array("tokenizer.ggml.scores", 5000)
                .boolArray("flags", new boolean[] {true, false}).f64("x", 0.5)
                .tensor("token_embd.weight", TensorType.IQ4_XS, 256, 10).tensor("blk.0.ssm_in.weight", TensorType.MXFP4,
                        64, 3, 2, 2).tensor("output.weight", TensorType.Q1_0, 128, 10).toBytes());
        return seeds.toArray(new byte[0][]);
    }

    /** One mutation of one seed. */
    static final class Mutation {
        final int seed;
        final int kind;
        final int position;
        final long value;
        final int length;

        Mutation(int seed, int kind, int position, long value, int length) {
            this.seed = seed;
            this.kind = kind;
            this.position = position;
            this.value = value;
            this.length = length;
        }

        byte[] apply() {
            byte[] original = SEEDS[seed];
            // Half the positions fall in the first 2 KiB, where counts, keys and the tensor table start.
            int at = Math.floorMod(position, kind % 2 == 0 ? Math.min(2048, original.length) : original.length);
            byte[] b = original.clone();
            switch (kind) {
                case 0:
                    b[at] ^= (byte) (1 << (value & 7));
                    return b;
                case 1:
                    b[at] = (byte) value;
                    return b;
                case 2:
                    putLittleEndian(b, at, INTERESTING[Math.floorMod(value, INTERESTING.length)], 4);
                    return b;
                case 3:
                    putLittleEndian(b, at, INTERESTING[Math.floorMod(value, INTERESTING.length)], 8);
                    return b;
                case 4:
                    return Arrays.copyOf(b, at);
                case 5: {
                    int end = Math.min(b.length, at + length);
                    byte[] out = new byte[b.length - (end - at)];
                    System.arraycopy(b, 0, out, 0, at);
                    System.arraycopy(b, end, out, at, b.length - end);
                    return out;
                }
                case 6: {
                    byte[] out = new byte[b.length + length];
                    System.arraycopy(b, 0, out, 0, at);
                    for (int i = 0; i < length; i++) {
                        out[at + i] = (byte) (value >>> (8 * (i & 7)));
                    }
                    System.arraycopy(b, at, out, at + length, b.length - at);
                    return out;
                }
                default:
                    for (int i = 0; i < 4; i++) {
                        b[Math.floorMod(at + (int) (value >>> (16 * i)), b.length)] = (byte) (value >>> (8 * i));
                    }
                    return b;
            }
        }

        private static void putLittleEndian(byte[] b, int at, long v, int size) {
            for (int i = 0; i < size && at + i < b.length; i++) {
                b[at + i] = (byte) (v >>> (8 * i));
            }
        }

        @Override
        public String toString() {
            return "Mutation[seed " + seed + ", kind " + kind + ", position " + position + ", value " + value
                    + ", length " + length + "]";
        }
    }

    static Gen<Mutation> mutations() {
        Gen<Integer> seed = Generate.range(0, SEEDS.length - 1);
        Gen<Integer> kind = Generate.range(0, 7);
        Gen<Integer> position = Generate.range(0, Integer.MAX_VALUE);
        Gen<Long> value = Generate.longRange(Long.MIN_VALUE, Long.MAX_VALUE);
        Gen<Integer> length = Generate.range(1, 64);
        return in -> new Mutation(seed.generate(in), kind.generate(in), position.generate(in), value.generate(in),
                length.generate(in));
    }

    /**
     * The law: any bytes read, or fail with the reader's own exception at an offset inside them, the same way from a
     * stream and from a channel. Returns the outcome: a summary of what was read, or the problem.
     */
    static String readsOrFailsWithFormatException(byte[] bytes) {
        String fromStream = outcome(() -> GgufModel.read(new ByteArrayInputStream(bytes)), bytes);
        String fromChannel = outcome(() -> GgufModel.read(new ByteArrayChannel(bytes)), bytes);
        assertEquals(fromStream.startsWith(FAILED), fromChannel.startsWith(FAILED),
                () -> "stream and channel disagree: " + fromStream + " / " + fromChannel);
        if (!fromStream.startsWith(FAILED)) {
            assertEquals(fromStream, fromChannel);
        }
        return fromStream;
    }

    private static final String FAILED = "failed: ";

    private interface Read {
        GgufModel read() throws IOException;
    }

    /** Returns the weight bytes and parameters read, or "failed: " and the problem. */
    private static String outcome(Read read, byte[] bytes) {
        try {
            GgufModel model = read.read();
            GgufFile file = model.file();
            assertTrue(file.headerBytes() <= bytes.length);
            assertTrue(model.weightBytes() >= 0 && model.weightBytes() <= model.fileTensorBytes());
            model.weights().ifPresent(w -> assertEquals(model.weightBytes(), w.loadedBytes()));
            return model.fileTensorBytes() + "/" + model.spec().map(ModelSpec::totalParameters).orElse(-1L);
        } catch (GgufFormatException e) {
            assertTrue(e.offset() >= 0 && e.offset() <= bytes.length, () -> e.getMessage() + " beyond " + bytes.length);
            assertTrue(e.problem().length() > 0);
            return FAILED + e.problem();
        } catch (IOException e) {
            throw new AssertionError("not a GgufFormatException", e);
        }
    }

    /** The kind of a problem: its first two words, and whether the input ended. */
    private static String kindOf(String problem) {
        String[] words = problem.split(" ", 3);
        String kind = words[0] + (words.length > 1 ? " " + words[1] : "");
        return kind.replaceAll("[^a-z_ ]", "") + (problem.contains("input ends") || problem.contains("left in the input")
                ? " (input ended)" : "");
    }

    @Test
    void seedsAreValid() {
        for (byte[] seed : SEEDS) {
            String outcome = readsOrFailsWithFormatException(seed);
            assertTrue(!outcome.startsWith(FAILED), outcome);
        }
    }

    @Test
    void mutatedHeadersReadOrFailWithFormatException() {
        int cases = Integer.getInteger("gguf.fuzz.cases", DEFAULT_CASES);
        long seed = Long.getLong("gguf.fuzz.seed", ModelGenerators.SEED);
        int[] failed = new int[1];
        java.util.Map<String, Integer> problems = new java.util.TreeMap<>();
        long start = System.nanoTime();
        qt().withFixedSeed(seed).withExamples(cases).withShrinkCycles(200)
                .forAll(mutations())
                .checkAssert(m -> {
                    String outcome = readsOrFailsWithFormatException(m.apply());
                    if (outcome.startsWith(FAILED)) {
                        failed[0]++;
                        problems.merge(kindOf(outcome.substring(FAILED.length())), 1, Integer::sum);
                    }
                });
        System.out.printf("GgufReaderProperties: %d mutated headers (seed %d) in %.1f s: %d read, %d failed%n",
                cases, seed, (System.nanoTime() - start) / 1e9, cases - failed[0], failed[0]);
        if (Boolean.getBoolean("gguf.fuzz.verbose")) {
            problems.forEach((k, v) -> System.out.println(v + "\t" + k));
        }
        // both branches of the law are exercised, and the kinds of problem found are many
        assertTrue(failed[0] > cases / 10 && cases - failed[0] > cases / 10, "read/failed: " + failed[0]);
        assertTrue(problems.size() > 20, "kinds of problem: " + problems.keySet());
    }
}
