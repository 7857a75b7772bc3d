package io.github.llmestimator.gguf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.llmestimator.Estimate;
import io.github.llmestimator.Estimator;
import io.github.llmestimator.memory.ContextMemory;
import io.github.llmestimator.memory.ContextSettings;
import io.github.llmestimator.model.Architecture;
import io.github.llmestimator.model.ModelSpec;
import io.github.llmestimator.model.Tensor;
import io.github.llmestimator.model.TensorRole;
import io.github.llmestimator.quant.QuantScheme;
import io.github.llmestimator.quant.QuantizedWeights;
import io.github.llmestimator.quant.TensorAssignment;
import io.github.llmestimator.quant.TensorType;
import io.github.llmestimator.testing.ReferenceModels;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Models read from GGUF headers: round trips for every mapped architecture, and hand-checked files. */
final class GgufModelTest {

    @TempDir
    Path dir;

    static Stream<String> architectures() {
        return GgufTestModels.all().keySet().stream();
    }

    private static List<GgufModel> readEveryWay(byte[] bytes, Path dir) throws IOException {
        Path path = dir.resolve("model.gguf");
        Files.write(path, bytes);
        return List.of(GgufModel.read(new ByteArrayInputStream(bytes)), GgufModel.read(new ByteArrayChannel(bytes)),
                GgufModel.read(path));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("architectures")
    void roundTrip_specWeightsAndEstimateEqualTheWrittenSpec(String architecture) throws IOException {
        Object[] entry = GgufTestModels.all().get(architecture);
        ModelSpec spec = (ModelSpec) entry[0];
        QuantScheme scheme = (QuantScheme) entry[1];
        QuantizedWeights recipe = scheme.assign(spec);
        byte[] bytes = GgufWriter.forModel(spec, recipe).toBytes();
        Estimate expected = Estimator.of(spec).quant(scheme).context(4096).parallelSequences(2).estimate();
        for (GgufModel file : readEveryWay(bytes, dir)) {
            assertEquals(Optional.of(architecture), file.architecture());
            assertEquals(spec, file.requireSpec());
            QuantizedWeights weights = file.requireWeights();
            assertEquals(recipe.assignments(), weights.assignments(), "tensors, roles and types");
            assertEquals(Optional.of(scheme), file.fileType());
            assertTrue(weights.isFromFile());
            for (TensorRole role : TensorRole.values()) {
                assertEquals(recipe.bytes(role), file.weightBytes(role), role::name);
            }
            assertEquals(recipe.loadedBytes(), file.weightBytes());
            assertEquals(recipe.fileTensorBytes(), file.fileTensorBytes());
            assertEquals(spec.fileParameters(), file.parameters());
            ContextSettings settings = ContextSettings.defaults(spec.maxContextTokens()).withContextTokens(4096)
                    .withParallelSequences(2);
            ContextMemory context = ContextMemory.of(file.requireSpec(), settings);
            assertEquals(expected.weightBytes(), weights.loadedBytes());
            assertEquals(expected.kvCacheBytes(), context.kvCacheBytes());
            assertEquals(expected.recurrentStateBytes(), context.recurrentStateBytes());
            assertEquals(expected.totalBytes(),
                    weights.loadedBytes() + context.totalBytes() + expected.runtimeOverheadBytes());
        }
    }

    @Test
    void roundTrip_everyArchitectureIsCovered() {
        Set<String> registry = new TreeSet<>();
        for (Architecture a : Architecture.values()) {
            registry.add(a.ggufName());
        }
        assertEquals(registry, new TreeSet<>(GgufTestModels.all().keySet()));
    }

    /**
     * Llama-3.1-8B at Q4_K_M with the real tensor shapes (ReferenceModels) and the recipe's types: the file's tensor
     * data equals the recipe's, worked by hand as
     * token_embd Q4_K 128256*4096/256*144 = 295,501,824; output Q6_K 128256*4096/256*210 = 430,940,160; output_norm
     * 16,384; per layer with Q4_K everywhere: norms 32,768 + q 9,437,184 + k 2,359,296 + v 2,359,296 + o 9,437,184
     * + gate, up, down 3 * 33,030,144 = 122,716,160; the 16 use_more_bits layers of 32 (0-3, 6, 9, ..., 27, 28-31)
     * add Q6_K attn_v (+1,081,344) and ffn_down (+15,138,816) = +16,220,160.
     * Total 295,501,824 + 430,940,160 + 16,384 + 32 * 122,716,160 + 16 * 16,220,160 = 4,912,898,048 bytes
     * = 4.5755 GiB (published: 4.58 GiB).
     */
    @Test
    void read_llama31_8bAtQ4KM_weightsEqualRecipe() throws IOException {
        ModelSpec spec = ReferenceModels.llama31_8b();
        QuantizedWeights recipe = QuantScheme.Q4_K_M.assign(spec);
        GgufWriter writer = new GgufWriter()
                .string("general.architecture", "llama").string("general.name", "Llama-3.1-8B")
                .string("general.size_label", "8B").u32("general.file_type", 15)
                .u32("llama.block_count", 32).u32("llama.context_length", 131072)
                .u32("llama.embedding_length", 4096).u32("llama.feed_forward_length", 14336)
                .u32("llama.attention.head_count", 32).u32("llama.attention.head_count_kv", 8)
                .u32("llama.rope.dimension_count", 128).f32("llama.rope.freq_base", 500000f)
                .f32("llama.attention.layer_norm_rms_epsilon", 1e-5f).u32("llama.vocab_size", 128256);
        for (TensorAssignment a : recipe.assignments()) {
            Tensor t = a.tensor();
            writer.tensor(t.name(), (TensorType) a.type(),
                    t.dimensions() == 1 ? new long[] {t.ne0()} : new long[] {t.ne0(), t.ne1()});
        }
        GgufModel file = GgufModel.read(new ByteArrayInputStream(writer.toBytes()));
        assertEquals(4_912_898_048L, recipe.loadedBytes());
        assertEquals(4_912_898_048L, file.weightBytes());
        assertEquals(recipe.assignments(), file.requireWeights().assignments());
        assertEquals(spec, file.requireSpec());
        assertEquals(Optional.of("Llama-3.1-8B"), file.name());
        assertEquals(Optional.of("8B"), file.sizeLabel());
        assertEquals(Optional.of(QuantScheme.Q4_K_M), file.fileType());
        // KV at 8192 tokens, f16: 32 layers * 8192 cells * (8 * 128 * 2 B K + 8 * 128 * 2 B V) = 1 GiB
        ContextMemory context = ContextMemory.of(file.requireSpec(),
                ContextSettings.defaults(131072).withContextTokens(8192));
        assertEquals(1L << 30, context.kvCacheBytes());
    }

    /**
     * An architecture the reader does not map: the weights are still exact. Tensors: token_embd F16 [64, 100] =
     * 12,800 B; blk.0.mix.weight Q8_0 [64, 64] = 64 * 2 blocks * 34 B = 4,352 B; blk.0.ffn_up.weight Q4_0 [64, 128] =
     * 128 * 2 * 18 = 4,608 B; output Q6_K [256, 100] = 100 * 210 = 21,000 B. Total 42,760 B.
     */
    @Test
    void read_unknownArchitecture_exactWeightsButNoSpec() throws IOException {
        byte[] bytes = new GgufWriter().string("general.architecture", "mystery").u32("mystery.block_count", 1)
                .tensor("token_embd.weight", TensorType.F16, 64, 100)
                .tensor("blk.0.mix.weight", TensorType.Q8_0, 64, 64)
                .tensor("blk.0.ffn_up.weight", TensorType.Q4_0, 64, 128)
                .tensor("output.weight", TensorType.Q6_K, 256, 100).toBytes();
        GgufModel file = GgufModel.read(new ByteArrayInputStream(bytes));
        assertEquals(42_760L, file.weightBytes());
        assertEquals(12_800L, file.weightBytes(TensorRole.TOKEN_EMBEDDING));
        assertEquals(4_352L, file.weightBytes(TensorRole.ATTENTION));
        assertEquals(4_608L, file.weightBytes(TensorRole.DENSE_FEED_FORWARD));
        assertEquals(21_000L, file.weightBytes(TensorRole.OUTPUT));
        assertEquals(64 * 100 + 64 * 64 + 64 * 128 + 256 * 100, file.parameters());
        assertTrue(file.spec().isEmpty());
        assertTrue(file.weights().isEmpty());
        IllegalStateException e = assertThrows(IllegalStateException.class, file::requireSpec);
        assertTrue(e.getMessage().contains("'mystery'") && e.getMessage().contains("KV cache")
                && e.getMessage().contains("42760 bytes"), e.getMessage());
        assertThrows(IllegalStateException.class, file::requireWeights);
    }

    @Test
    void read_noArchitecture_noSpec() throws IOException {
        GgufModel file = GgufModel.read(new ByteArrayInputStream(new GgufWriter().toBytes()));
        assertEquals(Optional.empty(), file.architecture());
        assertEquals(0, file.weightBytes());
        assertTrue(assertThrows(IllegalStateException.class, file::requireSpec).getMessage().contains("missing"));
    }

    @Test
    void read_architectureNotAString_fails() {
        byte[] bytes = new GgufWriter().u32("general.architecture", 7).toBytes();
        GgufFormatException e = assertThrows(GgufFormatException.class,
                () -> GgufModel.read(new ByteArrayInputStream(bytes)));
        assertEquals(24, e.offset(), "the first entry follows magic, version and the two counts: 4 + 4 + 8 + 8");
    }

    /** Facts of the file; general.file_type 7 is MOSTLY_Q8_0, 4 (MOSTLY_Q4_1_SOME_F16) names no scheme here. */
    @Test
    void facts_fileTypeNameAndParameterCount() throws IOException {
        GgufModel q8 = GgufModel.read(new ByteArrayInputStream(new GgufWriter().u32("general.file_type", 7)
                .u64("general.parameter_count", 8_030_261_248L).string("general.name", "x").toBytes()));
        assertEquals(Optional.of(QuantScheme.Q8_0), q8.fileType());
        assertEquals(7, q8.fileTypeId().getAsInt());
        assertEquals(8_030_261_248L, q8.statedParameterCount().getAsLong());
        GgufModel legacy = GgufModel.read(new ByteArrayInputStream(new GgufWriter().u32("general.file_type", 4)
                .toBytes()));
        assertEquals(Optional.empty(), legacy.fileType());
        assertEquals(4, legacy.fileTypeId().getAsInt());
    }

    /** A known architecture whose general.file_type names no scheme: weights without a known scheme. */
    @Test
    void weights_unknownFileType_knownSchemeEmpty() throws IOException {
        ModelSpec spec = GgufTestModels.llama();
        byte[] bytes = withoutFileType(spec);
        GgufModel file = GgufModel.read(new ByteArrayInputStream(bytes));
        QuantizedWeights weights = file.requireWeights();
        assertEquals(Optional.empty(), weights.knownScheme());
        assertThrows(IllegalStateException.class, weights::scheme);
        assertEquals(QuantScheme.F16.assign(spec).loadedBytes(), weights.loadedBytes());
    }

    private static byte[] withoutFileType(ModelSpec spec) {
        QuantizedWeights weights = QuantScheme.F16.assign(spec);
        GgufWriter w = new GgufWriter().string("general.architecture", "llama").string("general.name", spec.name())
                .u32("llama.block_count", 4).u32("llama.context_length", 8192).u32("llama.embedding_length", 256)
                .u32("llama.feed_forward_length", 768).u32("llama.attention.head_count", 8)
                .u32("llama.attention.head_count_kv", 2);
        for (TensorAssignment a : weights.assignments()) {
            Tensor t = a.tensor();
            w.tensor(t.name(), (TensorType) a.type(),
                    t.dimensions() == 1 ? new long[] {t.ne0()} : new long[] {t.ne0(), t.ne1()});
        }
        return w.toBytes();
    }

    /**
     * Per-layer arrays and an explicit sliding-window array: a gemma3-like file whose pattern is a bool per layer
     * (true = sliding) and whose head_count_kv is an array.
     */
    @Test
    void read_perLayerArraysAndSlidingPatternArray() throws IOException {
        ModelSpec spec = GgufTestModels.gemma3();
        QuantizedWeights weights = QuantScheme.Q8_0.assign(spec);
        GgufWriter w = new GgufWriter().string("general.architecture", "gemma3").string("general.name", spec.name())
                .u32("gemma3.block_count", 7).u32("gemma3.context_length", 8192).u32("gemma3.embedding_length", 256)
                .u32("gemma3.feed_forward_length", 512).u32Array("gemma3.attention.head_count", new int[] {4, 4, 4, 4,
                    4, 4, 4})
                .u32Array("gemma3.attention.head_count_kv", new int[] {2, 2, 2, 2, 2, 2, 2})
                .u32("gemma3.attention.key_length", 64).u32("gemma3.attention.value_length", 64)
                .u32("gemma3.attention.sliding_window", 512)
                .boolArray("gemma3.attention.sliding_window_pattern",
                        new boolean[] {true, true, true, true, true, false, true});
        for (TensorAssignment a : weights.assignments()) {
            Tensor t = a.tensor();
            w.tensor(t.name(), (TensorType) a.type(),
                    t.dimensions() == 1 ? new long[] {t.ne0()} : new long[] {t.ne0(), t.ne1()});
        }
        GgufModel file = GgufModel.read(new ByteArrayInputStream(w.toBytes()));
        assertEquals(spec, file.requireSpec());
    }

    /**
     * Phi-3 as its converter writes it: fused attn_qkv [256, 768] and ffn_up [256, 1024] (gate and up), no ffn_gate.
     * The spec read from it names the same tensors with the same shapes, so the recipe sees the fused projection.
     */
    @Test
    void read_phi3FusedTensors() throws IOException {
        GgufWriter w = new GgufWriter().string("general.architecture", "phi3").string("general.name", "tiny-phi3")
                .u32("phi3.block_count", 1).u32("phi3.context_length", 4096).u32("phi3.embedding_length", 256)
                .u32("phi3.feed_forward_length", 512).u32("phi3.attention.head_count", 8)
                .u32("phi3.attention.head_count_kv", 8).u32("phi3.attention.sliding_window", 2047)
                .tensor("token_embd.weight", TensorType.Q8_0, 256, 1000)
                .tensor("output_norm.weight", TensorType.F32, 256)
                .tensor("output.weight", TensorType.Q8_0, 256, 1000)
                .tensor("blk.0.attn_norm.weight", TensorType.F32, 256)
                .tensor("blk.0.attn_qkv.weight", TensorType.Q8_0, 256, 768)
                .tensor("blk.0.attn_output.weight", TensorType.Q8_0, 256, 256)
                .tensor("blk.0.ffn_norm.weight", TensorType.F32, 256)
                .tensor("blk.0.ffn_up.weight", TensorType.Q8_0, 256, 1024)
                .tensor("blk.0.ffn_down.weight", TensorType.Q8_0, 512, 256);
        GgufModel file = GgufModel.read(new ByteArrayInputStream(w.toBytes()));
        ModelSpec spec = file.requireSpec();
        assertEquals(spec.fileParameters(), file.parameters());
        // names and shapes: a vector [n], a matrix [row length, rows]
        assertEquals(file.file().tensors().stream().map(t -> t.name() + t.shape()).sorted()
                        .collect(java.util.stream.Collectors.toList()),
                spec.tensors().stream().map(t -> t.name() + (t.dimensions() == 1 ? List.of(t.ne0())
                        : List.of(t.ne0(), t.ne1()))).sorted().collect(java.util.stream.Collectors.toList()));
        assertEquals(0, spec.layers().get(0).mixer().slidingWindowTokens(), "llama.cpp ignores Phi-3's window");
        // Q8_0 [256, 1024]: 1024 rows * 8 blocks * 34 B = 278,528 B of dense FFN, plus ffn_down 256 * 16 * 34 = 139,264
        assertEquals(278_528L + 139_264L, file.weightBytes(TensorRole.DENSE_FEED_FORWARD));
    }

    /** DeepSeek-V3's MLA keys (llama-hparams.cpp, n_embd_k_gqa of an MLA layer): key_length 576 = 512 + 64, 1152 B of f16 K cache per token per layer. */
    @Test
    void read_deepSeekMla_cacheIsTheLatent() throws IOException {
        ModelSpec spec = ReferenceModels.deepSeekR1();
        GgufWriter w = GgufWriter.forModel(spec, QuantScheme.Q4_K_M.assign(spec), false);
        GgufModel file = GgufModel.read(new ByteArrayInputStream(w.toBytes()));
        assertEquals(spec, file.requireSpec());
        assertEquals(576, file.requireSpec().layers().get(0).mixer().keyCacheElementsPerToken());
        // 61 layers * 32768 cells * 1152 B = 2,302,672,896 B = 2.14 GiB
        ContextMemory context = ContextMemory.of(file.requireSpec(),
                ContextSettings.defaults(163840).withContextTokens(32768));
        assertEquals(2_302_672_896L, context.kvCacheBytes());
    }

    /** MLA key_length must be kv_lora_rank + rope: 512 + 64 = 576; a file saying 575 is malformed at that key. */
    @Test
    void read_mlaKeyLengthInconsistent_failsAtTheKey() {
        ModelSpec spec = GgufTestModels.deepSeek2();
        byte[] good = GgufWriter.forModel(spec, QuantScheme.F16.assign(spec), false).toBytes();
        // key_length is kv_lora_rank 256 + rope 32 = 288 in the tiny model; patch the value to 287
        int at = indexOfKey(good, "deepseek2.attention.key_length");
        int valueAt = at + 8 + "deepseek2.attention.key_length".length() + 4;
        assertEquals(288, good[valueAt] & 0xFF | (good[valueAt + 1] & 0xFF) << 8);
        good[valueAt] = (byte) 31; // 288 = 0x120 -> 0x11F = 287
        GgufFormatException e = assertThrows(GgufFormatException.class,
                () -> GgufModel.read(new ByteArrayInputStream(good)));
        assertEquals(at, e.offset());
        assertTrue(e.problem().contains("287"), e.problem());
    }

    @Test
    void read_kvHeadsNotDividingHeads_failsAtTheKey() {
        byte[] bytes = llamaWithKvHeads(3);
        int at = indexOfKey(bytes, "llama.attention.head_count_kv");
        GgufFormatException e = assertThrows(GgufFormatException.class,
                () -> GgufModel.read(new ByteArrayInputStream(bytes)));
        assertEquals(at, e.offset());
    }

    @Test
    void read_missingBlockCount_failsAtTheEndOfTheMetadata() throws IOException {
        byte[] bytes = new GgufWriter().string("general.architecture", "llama")
                .tensor("token_embd.weight", TensorType.F32, 32, 10).toBytes();
        GgufFormatException e = assertThrows(GgufFormatException.class,
                () -> GgufModel.read(new ByteArrayInputStream(bytes)));
        GgufFile header = GgufFile.read(new ByteArrayInputStream(bytes));
        assertEquals(header.tensors().get(0).infoOffset(), e.offset());
        assertTrue(e.problem().startsWith("llama.block_count: missing"), e.problem());
    }

    /** head_count 8 with key_length 32 makes attn_q [256, 256]; a file holding [256, 512] contradicts it. */
    @Test
    void read_tensorShapeContradictsMetadata_failsAtTheTensor() throws IOException {
        ModelSpec spec = GgufTestModels.llama();
        QuantizedWeights weights = QuantScheme.F16.assign(spec);
        GgufWriter w = new GgufWriter().string("general.architecture", "llama").string("general.name", spec.name())
                .u32("llama.block_count", 4).u32("llama.context_length", 8192).u32("llama.embedding_length", 256)
                .u32("llama.feed_forward_length", 768).u32("llama.attention.head_count", 8)
                .u32("llama.attention.head_count_kv", 2);
        for (TensorAssignment a : weights.assignments()) {
            Tensor t = a.tensor();
            long ne1 = t.name().equals("blk.2.attn_q.weight") ? 512 : t.ne1();
            w.tensor(t.name(), (TensorType) a.type(), t.dimensions() == 1 ? new long[] {t.ne0()}
                    : new long[] {t.ne0(), ne1});
        }
        byte[] bytes = w.toBytes();
        GgufFile header = GgufFile.read(new ByteArrayInputStream(bytes));
        GgufFormatException e = assertThrows(GgufFormatException.class, () -> GgufModel.of(header));
        assertEquals(header.tensor("blk.2.attn_q.weight").orElseThrow().infoOffset(), e.offset());
    }

    /**
     * A 150,000-token vocabulary (tokens, scores, merges) and 1,000+ tensors in a channel that claims 100 GB of
     * tensor data after the header: the reader reads the header and at most one 64 KiB buffer beyond it (the channel
     * fails any further read), so reading does not scale with the tensor data, and it does not keep the vocabulary.
     */
    @Test
    void read_largeVocabularyAndManyTensors_neverReadsTensorData() throws IOException {
        ModelSpec spec = ModelSpec.builder("deep").architecture("llama").hiddenSize(256).vocabularySize(150_000)
                .maxContextTokens(4096).addLayers(120, io.github.llmestimator.model.Layer.of(
                        io.github.llmestimator.model.FullAttention.of(8, 2, 32),
                        io.github.llmestimator.model.DenseFeedForward.gated(512))).build();
        GgufWriter w = GgufWriter.forModel(spec, QuantScheme.Q8_0.assign(spec), true);
        w.f32Array("tokenizer.ggml.scores", 150_000);
        w.stringArray("tokenizer.ggml.merges", 150_000, i -> "a" + i + " b" + i);
        byte[] header = w.toBytes();
        byte[] headerAndReadAhead = java.util.Arrays.copyOf(header, header.length + (64 << 10));
        ByteArrayChannel channel = new ByteArrayChannel(headerAndReadAhead, header.length + 100_000_000_000L);
        GgufModel file = GgufModel.read(channel);
        assertTrue(file.file().tensors().size() > 1000, "tensors: " + file.file().tensors().size());
        assertEquals(header.length, file.file().dataOffset());
        assertTrue(channel.bytesRead() <= headerAndReadAhead.length, channel.bytesRead() + " bytes read");
        GgufValue tokens = file.file().value("tokenizer.ggml.tokens").orElseThrow();
        GgufValue.ArrayValue array = assertInstanceOf(GgufValue.ArrayValue.class, tokens);
        assertEquals(150_000, array.length());
        assertFalse(array.isKept());
        assertEquals(spec, file.requireSpec());
    }

    /** Roles of tensors the spec does not derive: rope_freqs counts as output, post norms as norms. */
    @Test
    void roles_tensorsOutsideTheSpec() throws IOException {
        byte[] bytes = new GgufWriter().string("general.architecture", "other")
                .tensor("rope_freqs.weight", TensorType.F32, 64)
                .tensor("blk.0.post_attention_norm.weight", TensorType.F32, 64)
                .tensor("blk.0.attn_sinks.weight", TensorType.F32, 8)
                .tensor("blk.1.ssm_in.weight", TensorType.F32, 64, 8)
                .tensor("blk.1.attn_norm.weight", TensorType.F32, 64)
                .tensor("blk.1.ffn_gate_inp_shexp.weight", TensorType.F32, 64)
                .tensor("blk.1.exp_probs_b.bias", TensorType.F32, 8)
                .tensor("blk.1.ffn_gate_up_exps.weight", TensorType.F32, 64, 8, 4).toBytes();
        GgufModel file = GgufModel.read(new ByteArrayInputStream(bytes));
        Map<String, TensorRole> roles = new java.util.HashMap<>();
        for (TensorAssignment a : file.tensors()) {
            roles.put(a.tensor().name(), a.tensor().role());
        }
        assertEquals(TensorRole.OUTPUT, roles.get("rope_freqs.weight"));
        assertEquals(TensorRole.NORM, roles.get("blk.0.post_attention_norm.weight"));
        assertEquals(TensorRole.ATTENTION, roles.get("blk.0.attn_sinks.weight"));
        assertEquals(TensorRole.RECURRENT, roles.get("blk.1.ssm_in.weight"));
        assertEquals(TensorRole.RECURRENT, roles.get("blk.1.attn_norm.weight"), "a Mamba layer's norm");
        assertEquals(TensorRole.SHARED_EXPERTS, roles.get("blk.1.ffn_gate_inp_shexp.weight"));
        assertEquals(TensorRole.ROUTER, roles.get("blk.1.exp_probs_b.bias"));
        assertEquals(TensorRole.ROUTED_EXPERTS, roles.get("blk.1.ffn_gate_up_exps.weight"));
    }

    private static byte[] llamaWithKvHeads(int kvHeads) {
        return new GgufWriter().string("general.architecture", "llama").u32("llama.block_count", 1)
                .u32("llama.context_length", 4096).u32("llama.embedding_length", 256)
                .u32("llama.feed_forward_length", 512).u32("llama.attention.head_count", 8)
                .u32("llama.attention.head_count_kv", kvHeads)
                .tensor("token_embd.weight", TensorType.F32, 256, 100).toBytes();
    }

    /** Returns the offset of the metadata entry with the given key (its length prefix). */
    static int indexOfKey(byte[] bytes, String key) {
        byte[] needle = key.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        List<Integer> hits = new ArrayList<>();
        outer:
        for (int i = 8; i + needle.length <= bytes.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (bytes[i + j] != needle[j]) {
                    continue outer;
                }
            }
            if ((bytes[i - 8] & 0xFF) == needle.length && bytes[i - 7] == 0) {
                hits.add(i - 8);
            }
        }
        assertEquals(1, hits.size(), key);
        return hits.get(0);
    }

    /** The spec with only its first {@code count} layers and no MTP layers, for metadata that undercounts. */
    private static ModelSpec firstLayers(ModelSpec spec, int count) {
        ModelSpec.Builder b = ModelSpec.builder(spec.name()).architecture(spec.architecture())
                .hiddenSize(spec.hiddenSize()).vocabularySize(spec.vocabularySize())
                .maxContextTokens(spec.maxContextTokens()).tiedEmbeddings(spec.tiedEmbeddings())
                .checkpointFormat(spec.checkpointFormat());
        spec.layers().subList(0, count).forEach(b::addLayer);
        return b.build();
    }

    /**
     * A block_count below the tensor table's layers: before the check, every MoE architecture's file was read and then
     * {@code Estimator.of(file).on(device)} threw ArrayIndexOutOfBoundsException, and dense ones mixed all layers'
     * weights with block_count layers of cache.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("architectures")
    void blockCountBelowTheTensorTable_isRejected(String architecture) {
        Object[] entry = GgufTestModels.all().get(architecture);
        ModelSpec spec = (ModelSpec) entry[0];
        QuantizedWeights weights = ((QuantScheme) entry[1]).assign(spec);
        // metadata without the MTP layers the table holds, or else without the last trunk layer
        int stated = spec.nextTokenPredictionLayers().isEmpty() ? spec.layers().size() - 1 : spec.layers().size();
        int actual = spec.layers().size() + spec.nextTokenPredictionLayers().size();
        byte[] bytes = GgufWriter.forModel(firstLayers(spec, stated), weights).toBytes();
        GgufFormatException e = assertThrows(GgufFormatException.class,
                () -> GgufModel.read(new ByteArrayInputStream(bytes)));
        String expected = architecture + ".block_count: " + stated + " (expected: " + actual
                + ", the layers of the tensor table, whose tensor 'blk." + (actual - 1) + ".";
        assertTrue(e.problem().startsWith(expected), e.problem());
        assertTrue(e.problem().endsWith("is in layer " + (actual - 1)
                + "; llama.cpp refuses tensors of layers beyond block_count)"), e.problem());
    }
}
