package io.github.llmestimator.gguf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.llmestimator.memory.ContextMemory;
import io.github.llmestimator.memory.ContextSettings;
import io.github.llmestimator.memory.KvCacheType;
import io.github.llmestimator.model.DenseFeedForward;
import io.github.llmestimator.model.FullAttention;
import io.github.llmestimator.model.Layer;
import io.github.llmestimator.model.ModelSpec;
import io.github.llmestimator.quant.QuantScheme;
import io.github.llmestimator.quant.TensorAssignment;
import io.github.llmestimator.quant.TensorType;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The library against llama.cpp itself: every architecture the GGUF reader maps is written as a tiny file with real
 * structure ({@link GgufTestModels}), loaded by llama.cpp's own shared libraries through a small native shim
 * ({@code src/test/native/oracle_shim.cpp}), and what llama.cpp allocates is compared with what the library computes
 * from the same file. The numbers asserted are the ones llama.cpp reports; nothing the library computes is fed back.
 *
 * <p>Not part of the normal build (the class name matches no surefire pattern): {@code .ci/oracle} installs the npm
 * package {@code node-llama-cpp@3.21.1} (llama.cpp release {@code v0.4.0} as prebuilt CPU libraries), builds the shim
 * and runs {@code ./mvnw -B -pl core test -Poracle -Doracle.backends=<the package's library folder>}; the profile
 * points {@code oracle.shim} at the shim. Without a shim the tests are skipped.
 */
class LlamaCppOracle {

    private static final int[] CONTEXTS = {100, 512, 4096, 33_000, 70_000};
    private static final KvCacheType[][] CACHE_TYPES = {
        {KvCacheType.F32, KvCacheType.F32}, {KvCacheType.Q8_0, KvCacheType.Q8_0}, {KvCacheType.Q4_0, KvCacheType.Q4_0},
        {KvCacheType.Q8_0, KvCacheType.F16}, {KvCacheType.F16, KvCacheType.Q8_0}, {KvCacheType.Q4_0, KvCacheType.Q8_0},
    };

    private static Path shim;
    private static Path backends;
    private static Path work;

    @BeforeAll
    static void locateShim() throws IOException {
        String shimPath = System.getProperty("oracle.shim", "");
        Assumptions.assumeTrue(!shimPath.isEmpty() && Files.isExecutable(Paths.get(shimPath)),
                "oracle.shim not set or not executable: run .ci/oracle");
        shim = Paths.get(shimPath);
        backends = Paths.get(System.getProperty("oracle.backends"));
        work = Files.createDirectories(shim.getParent().resolve("models"));
    }

    /** The settings compared: each axis of the grid around llama.cpp's defaults, and their crossings that matter. */
    static List<ContextSettings> grid() {
        List<ContextSettings> grid = new ArrayList<>();
        for (int context : CONTEXTS) {
            for (boolean flash : new boolean[] {true, false}) {
                ContextSettings base = ContextSettings.defaults(context).withFlashAttention(flash);
                grid.add(base);
                grid.add(base.withParallelSequences(4));
                grid.add(base.withParallelSequences(4).withUnifiedKvCache(true));
            }
        }
        for (KvCacheType[] types : CACHE_TYPES) {
            for (boolean flash : new boolean[] {true, false}) {
                ContextSettings base = ContextSettings.defaults(4096).withFlashAttention(flash)
                        .withCacheTypes(types[0], types[1]);
                grid.add(base);
                grid.add(base.withParallelSequences(4));
            }
        }
        for (int microBatch : new int[] {256, 512, 2048}) {
            for (int context : new int[] {512, 4096}) {
                for (boolean flash : new boolean[] {true, false}) {
                    grid.add(ContextSettings.defaults(context).withFlashAttention(flash)
                            .withBatchTokens(2048, microBatch));
                }
            }
        }
        for (boolean flash : new boolean[] {true, false}) {
            // three sequences do not divide the 512-token micro-batch: llama.cpp rounds it up to 513
            grid.add(ContextSettings.defaults(4096).withFlashAttention(flash).withParallelSequences(3));
        }
        for (int context : new int[] {512, 4096}) {
            ContextSettings full = ContextSettings.defaults(context).withFullSlidingWindowCache(true);
            grid.add(full);
            grid.add(full.withParallelSequences(4));
            grid.add(full.withParallelSequences(4).withUnifiedKvCache(true));
        }
        return grid;
    }

    /** One compared context: what llama.cpp allocated and what the library computed (null when either refused). */
    record Row(String arch, ContextSettings settings, String llama, long[] actual, String library, long[] estimate) {

        boolean refusedByLlama() {
            return actual == null;
        }

        boolean refusedByLibrary() {
            return estimate == null;
        }
    }

    @Test
    void contextMemory_equalsWhatLlamaCppAllocates() throws Exception {
        List<ContextSettings> grid = grid();
        List<String> lines = grid.stream().map(LlamaCppOracle::line).collect(Collectors.toList());
        List<Row> rows = new ArrayList<>();
        for (List<Row> modelRows : onEachModel((arch, spec, file) -> {
            List<String> answers = run(List.of("context", file.toString()), lines);
            assertEquals(grid.size(), answers.size(), arch + ": llama.cpp answered " + answers);
            List<Row> result = new ArrayList<>();
            for (int i = 0; i < grid.size(); i++) {
                result.add(row(arch, spec, grid.get(i), answers.get(i)));
            }
            return result;
        })) {
            rows.addAll(modelRows);
        }
        String report = ContextReport.of(rows);
        Files.writeString(shim.getParent().resolve("context-report.txt"), report);
        Files.writeString(shim.getParent().resolve("context-rows.tsv"), ContextReport.table(rows));
        System.out.println(report);
        List<String> misses = ContextReport.misses(rows);
        // the compute buffer is llama.cpp's graph replayed through ggml's allocator: byte for byte, every row
        for (Row r : rows) {
            if (r.refusedByLlama() || r.refusedByLibrary()) {
                continue;
            }
            if (r.estimate()[4] != r.actual()[4]) {
                misses.add(r.arch() + " " + ContextReport.describe(r.settings()) + ": compute buffer llama.cpp "
                        + r.actual()[4] + " / library " + r.estimate()[4]);
            }
        }
        assertTrue(misses.isEmpty(), misses.size() + " of " + rows.size() + " contexts differ from llama.cpp:\n"
                + String.join("\n", misses.subList(0, Math.min(40, misses.size()))));
    }

    /**
     * The compute buffer at Llama-3.1-8B's widths (hidden 4096, 32 heads, 8 KV heads, FFN 14,336, vocabulary 128,256)
     * in a one-layer file: the buffer does not grow with layers, so this is the 8B model's. The library's replay of
     * llama.cpp's graph and allocator equals it to the byte, with flash attention (the output stage binds) and without
     * (the scores bind). The figures printed are the ones the unit tests quote as llama.cpp's.
     */
    @Test
    void computeBuffer_atLlama31_8bWidths_exact() throws Exception {
        ModelSpec spec = ModelSpec.builder("llama-8b-widths").architecture("llama").hiddenSize(4096)
                .vocabularySize(128_256).maxContextTokens(131_072).tiedEmbeddings(true)
                .addLayers(1, Layer.of(FullAttention.of(32, 8, 128), DenseFeedForward.gated(14_336))).build();
        Path file = write("llama-8b-widths", spec, QuantScheme.Q4_0, null);
        List<ContextSettings> settings = List.of(ContextSettings.defaults(512),
                ContextSettings.defaults(4096).withFlashAttention(false),
                ContextSettings.defaults(8192).withFlashAttention(false), ContextSettings.defaults(8192),
                ContextSettings.defaults(32_768));
        ModelSpec read = GgufModel.read(file).requireSpec();
        List<String> answers = run(List.of("context", file.toString()),
                settings.stream().map(LlamaCppOracle::line).collect(Collectors.toList()));
        Files.delete(file);
        assertEquals(settings.size(), answers.size(), "llama.cpp answered " + answers);
        StringBuilder report = new StringBuilder("llama.cpp oracle: compute buffer at Llama-3.1-8B widths\n");
        for (int i = 0; i < settings.size(); i++) {
            Row row = row("llama-8b-widths", read, settings.get(i), answers.get(i));
            assertTrue(!row.refusedByLlama() && !row.refusedByLibrary(), row.llama() + " / " + row.library());
            long actual = row.actual()[4];
            long estimate = row.estimate()[4];
            report.append(String.format(Locale.ROOT, "  %-60s llama.cpp %d, library %d%n",
                    ContextReport.describe(settings.get(i)), actual, estimate));
            assertEquals(actual, estimate, ContextReport.describe(settings.get(i)));
        }
        System.out.println(report);
    }

    /**
     * MTP speculative decoding's memory against llama.cpp loading the model with its MTP layers ({@code load_mtp}) and
     * creating the MTP draft context beside the target's, as {@code common_speculative_init_result} does: the MTP
     * weights, the target's recurrent state with {@code n_rs_seq} rollback snapshots, the MTP context's KV cache and
     * its output buffer as allocated at creation (logits only: the hidden rows and the backend sampler's buffers are
     * added at the first decode, which the shim does not run), byte for byte (the weights up to the buffers' alignment
     * padding); its compute buffer as a ratio. Settings llama.cpp refuses (a quantized draft V cache without flash
     * attention) the library must refuse too.
     */
    @Test
    void mtpDraftContext_equalsWhatLlamaCppAllocates() throws Exception {
        List<ContextSettings> grid = new ArrayList<>();
        for (int context : new int[] {512, 4096, 33_000}) {
            for (int sequences : new int[] {1, 4}) {
                for (boolean flash : new boolean[] {true, false}) {
                    grid.add(ContextSettings.defaults(context).withParallelSequences(sequences)
                            .withFlashAttention(flash));
                }
            }
        }
        int[] drafts = {1, 3};
        KvCacheType[] draftTypes = {KvCacheType.F16, KvCacheType.Q8_0};
        List<String> lines = new ArrayList<>();
        List<Object[]> cases = new ArrayList<>();
        for (ContextSettings settings : grid) {
            for (int d = 0; d < drafts.length; d++) {
                KvCacheType draftType = draftTypes[d];
                cases.add(new Object[] {settings, drafts[d], draftType});
                lines.add(settings.contextTokens() + " " + settings.parallelSequences() + " "
                        + settings.llamaCpp().batchTokens()
                        + " " + settings.llamaCpp().microBatchTokens() + " "
                        + settings.keyCacheType().tensorType().ggmlId().orElseThrow() + " "
                        + settings.valueCacheType().tensorType().ggmlId().orElseThrow() + " "
                        + (settings.llamaCpp().flashAttention() ? 1 : 0)
                        + " " + drafts[d] + " " + draftType.tensorType().ggmlId().orElseThrow() + " "
                        + draftType.tensorType().ggmlId().orElseThrow());
            }
        }
        StringBuilder report = new StringBuilder("llama.cpp oracle: MTP draft context (load_mtp, LLAMA_CONTEXT_TYPE_MTP)\n");
        List<String> misses = new ArrayList<>();
        int compared = 0;
        for (Map.Entry<String, Object[]> entry : GgufTestModels.all().entrySet()) {
            ModelSpec written = (ModelSpec) entry.getValue()[0];
            if (written.nextTokenPredictionLayers().isEmpty()) {
                continue;
            }
            String arch = entry.getKey();
            QuantScheme scheme = (QuantScheme) entry.getValue()[1];
            Path file = write(arch + "-mtp", written, scheme, null);
            GgufModel read = GgufModel.read(file);
            ModelSpec spec = read.requireSpec();
            List<String> answers = run(List.of("mtp", file.toString()), lines);
            Files.delete(file);
            assertEquals(lines.size() + 1, answers.size(), arch + ": llama.cpp answered " + answers);
            String[] weights = answers.get(0).split(" ");
            long mtpWeights = Long.parseLong(weights[2].substring(4)) - Long.parseLong(weights[1].substring(5));
            long libraryWeights = read.requireWeights().bytes(io.github.llmestimator.model.TensorRole
                    .NEXT_TOKEN_PREDICTION);
            // each load's weight buffers are padded to ggml's alignment: the difference of two loads within 64 B
            if (Math.abs(mtpWeights - libraryWeights) > 64) {
                misses.add(arch + ": MTP weights llama.cpp " + mtpWeights + " / library " + libraryWeights);
            }
            double minCompute = Double.MAX_VALUE;
            double maxCompute = 0;
            int refused = 0;
            for (int i = 0; i < cases.size(); i++) {
                String answer = answers.get(i + 1);
                ContextSettings settings = (ContextSettings) cases.get(i)[0];
                int k = (Integer) cases.get(i)[1];
                KvCacheType draftType = (KvCacheType) cases.get(i)[2];
                String where = arch + " " + ContextReport.describe(settings) + ", k " + k + ", draft cache " + draftType;
                io.github.llmestimator.Estimator estimator = io.github.llmestimator.Estimator.of(spec).quant(scheme)
                        .context(settings.contextTokens()).parallelSequences(settings.parallelSequences())
                        .flashAttention(settings.llamaCpp().flashAttention())
                        .speculative(io.github.llmestimator.throughput.Speculation.mtp(k, 0.5)
                                .withDraftCacheType(draftType));
                if (!answer.startsWith("ok ")) {
                    refused++;
                    try {
                        estimator.estimate();
                        misses.add(where + ": llama.cpp refused (" + answer + "), the library did not");
                    } catch (IllegalStateException expected) {
                        // both refuse
                    }
                    continue;
                }
                long[] actual = new long[5];
                String[] parts = answer.substring(3).split(" ");
                for (int j = 0; j < 5; j++) {
                    actual[j] = Long.parseLong(parts[j].substring(parts[j].indexOf('=') + 1));
                }
                io.github.llmestimator.Estimate e = estimator.estimate();
                io.github.llmestimator.SpeculativeDecoding mtp = e.speculative().orElseThrow();
                long[] library = {e.kvCacheBytes(), e.recurrentStateBytes() + mtp.rollbackStateBytes(),
                    mtp.kvCacheBytes(), mtp.drafter().outputBufferBytes()};
                String[] names = {"target KV", "target RS with snapshots", "MTP KV", "MTP output at creation"};
                for (int j = 0; j < library.length; j++) {
                    if (library[j] != actual[j]) {
                        misses.add(where + ": " + names[j] + " llama.cpp " + actual[j] + " / library " + library[j]);
                    }
                }
                double ratio = (double) mtp.computeBufferBytes() / actual[4];
                minCompute = Math.min(minCompute, ratio);
                maxCompute = Math.max(maxCompute, ratio);
                compared++;
            }
            report.append(String.format(Locale.ROOT, "  %-10s MTP weights %d B (library %d B); %d contexts,"
                    + " %d refused; MTP compute buffer library / llama.cpp %.2fx to %.2fx%n", arch, mtpWeights,
                    libraryWeights, cases.size() - refused, refused, minCompute, maxCompute));
        }
        report.append("  target KV, RS with snapshots, MTP KV, MTP output: ").append(compared * 4 - misses.size())
                .append(" of ").append(compared * 4).append(" exact\n");
        System.out.println(report);
        Files.writeString(shim.getParent().resolve("mtp-report.txt"), report + String.join("\n", misses));
        assertTrue(compared > 0, "no MTP context compared");
        assertTrue(misses.isEmpty(), misses.size() + " MTP figures differ from llama.cpp:\n"
                + String.join("\n", misses.subList(0, Math.min(40, misses.size()))));
    }

    @Test
    void quantizationRecipe_assignsTheTypesLlamaQuantizeChooses() throws Exception {
        List<QuantScheme> schemes = Arrays.stream(QuantScheme.values()).filter(s -> s.llamaFileType().isPresent())
                .collect(Collectors.toList());
        List<String> lines = new ArrayList<>();
        for (QuantScheme scheme : schemes) {
            lines.add(scheme.llamaFileType().getAsInt() + " 0");
            lines.add(scheme.llamaFileType().getAsInt() + " 1");
        }
        // per scheme and importance matrix (index 2 * scheme + imatrix): tensors compared, equal; and the differences
        long[][] counts = new long[2 * schemes.size()][2];
        long[] skipped = new long[1];
        List<String> differences = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        for (List<String> modelDifferences : onEachModel(QuantScheme.F32, new Random(13), (arch, spec, file) -> {
            List<String> answers = run(List.of("quantize", file.toString()), lines);
            // a tensor the source holds quantized (gpt-oss experts, MXFP4 as the converter writes them) is not
            // compared: llama_model_quantize refuses to requantize it unless allow_requantize, which a dry run skips
            Map<String, Boolean> sourceQuantized = new LinkedHashMap<>();
            for (GgufTensorInfo info : GgufModel.read(file).file().tensors()) {
                sourceQuantized.put(info.name(), info.type().isBlockQuantized());
            }
            List<String> found = new ArrayList<>();
            int run = 0;
            Map<String, Integer> chosen = new LinkedHashMap<>();
            for (String answer : answers) {
                if (answer.startsWith("tensor ")) {
                    String[] parts = answer.split(" ");
                    if (sourceQuantized.get(parts[1])) {
                        synchronized (skipped) {
                            skipped[0]++;
                        }
                    } else {
                        chosen.put(parts[1], Integer.parseInt(parts[2]));
                    }
                    continue;
                }
                QuantScheme scheme = schemes.get(run / 2);
                boolean imatrix = run % 2 == 1;
                String where = arch + " " + scheme + (imatrix ? " (imatrix)" : "");
                if (!answer.equals("ok")) {
                    synchronized (failures) {
                        failures.add(where + ": " + answer);
                    }
                } else {
                    Map<String, Integer> assigned = new TreeMap<>();
                    for (TensorAssignment a : scheme.assign(spec, imatrix).assignments()) {
                        assigned.put(a.tensor().name(), a.type() instanceof TensorType
                                ? ((TensorType) a.type()).ggmlId().orElse(-1) : -1);
                    }
                    long equal = 0;
                    for (Map.Entry<String, Integer> e : chosen.entrySet()) {
                        Integer library = assigned.get(e.getKey());
                        if (e.getValue().equals(library)) {
                            equal++;
                        } else {
                            found.add(where + ": " + e.getKey() + " llama.cpp " + typeName(e.getValue())
                                    + " / library " + (library == null ? "absent" : typeName(library)));
                        }
                    }
                    long libraryOnly = 0;
                    for (String name : assigned.keySet()) {
                        if (!chosen.containsKey(name) && !sourceQuantized.getOrDefault(name, false)) {
                            libraryOnly++;
                            found.add(where + ": " + name + " llama.cpp absent / library " + typeName(assigned.get(name)));
                        }
                    }
                    synchronized (counts) {
                        counts[run][0] += chosen.size() + libraryOnly;
                        counts[run][1] += equal;
                    }
                }
                chosen.clear();
                run++;
            }
            assertEquals(lines.size(), run, arch + ": llama.cpp answered " + answers.size() + " lines");
            return found;
        })) {
            differences.addAll(modelDifferences);
        }
        StringBuilder report = new StringBuilder("llama.cpp oracle: quantization recipe (llama_model_quantize, dry run), "
                + (GgufTestModels.all().size() + 2) + " models\n  file type        tensors equal / compared: without"
                + " imatrix | with imatrix\n");
        for (int i = 0; i < schemes.size(); i++) {
            report.append(String.format(Locale.ROOT, "  %-14s %6d / %-6d | %6d / %-6d%n", schemes.get(i),
                    counts[2 * i][1], counts[2 * i][0], counts[2 * i + 1][1], counts[2 * i + 1][0]));
        }
        report.append("  not compared: ").append(skipped[0]).append(" tensors the source file holds quantized\n");
        failures.forEach(f -> report.append("  refused: ").append(f).append('\n'));
        Files.writeString(shim.getParent().resolve("quant-report.txt"), report + String.join("\n", differences));
        System.out.println(report);
        assertTrue(failures.isEmpty(), "llama_model_quantize failed: " + failures);
        assertTrue(differences.isEmpty(), differences.size() + " tensor types differ from llama.cpp:\n"
                + String.join("\n", differences.subList(0, Math.min(60, differences.size()))));
    }

    private static String typeName(int ggmlId) {
        return TensorType.ofGgmlId(ggmlId).map(TensorType::toString).orElse("ggml type " + ggmlId);
    }

    /** What is done with one model's file: its architecture, the spec the library reads from it, the file. */
    interface ModelRun<T> {
        T apply(String arch, ModelSpec spec, Path file) throws Exception;
    }

    /**
     * Writes each test model's file (its scheme, zero weights) and runs {@code body} on it, two models at a time (the
     * CI machine's cores): the models of {@link GgufTestModels#all()}, then a Llama whose rows are not multiples of
     * 256 (key {@code llama-320}) and a Llama 4 without chunking and with 128 experts (key {@code llama4-128e});
     * results in that order.
     */
    static <T> List<T> onEachModel(ModelRun<T> body) throws Exception {
        return onEachModel(null, null, body);
    }

    /**
     * As {@link #onEachModel(ModelRun)}, with every model written at {@code scheme} and F32 weights drawn from
     * {@code random} when they are not null.
     */
    static <T> List<T> onEachModel(QuantScheme scheme, Random random, ModelRun<T> body) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<T>> futures = new ArrayList<>();
            Map<String, Object[]> models = new LinkedHashMap<>(GgufTestModels.all());
            models.put("llama-320", new Object[] {GgufTestModels.llamaOddWidths(), QuantScheme.Q4_K_M});
            models.put("llama4-128e", new Object[] {GgufTestModels.llama4Unchunked128Experts(), QuantScheme.Q4_K_M});
            for (Map.Entry<String, Object[]> entry : models.entrySet()) {
                String arch = entry.getKey();
                ModelSpec written = (ModelSpec) entry.getValue()[0];
                Path file = write(arch, written, scheme != null ? scheme : (QuantScheme) entry.getValue()[1], random);
                ModelSpec spec = GgufModel.read(file).requireSpec();
                futures.add(pool.submit(() -> body.apply(arch, spec, file)));
            }
            List<T> results = new ArrayList<>();
            for (Future<T> future : futures) {
                try {
                    results.add(future.get());
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof Error) {
                        throw (Error) e.getCause();
                    }
                    throw (Exception) e.getCause();
                }
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }

    private static Row row(String arch, ModelSpec spec, ContextSettings settings, String answer) {
        long[] actual = null;
        if (answer.startsWith("ok ")) {
            actual = new long[5];
            String[] parts = answer.substring(3).split(" ");
            for (int i = 0; i < 5; i++) {
                actual[i] = Long.parseLong(parts[i].substring(parts[i].indexOf('=') + 1));
            }
        } else if (!answer.startsWith("refused")) {
            throw new AssertionError(arch + " " + settings + ": llama.cpp answered " + answer);
        }
        long[] estimate = null;
        String library;
        try {
            ContextMemory m = ContextMemory.of(spec, settings);
            estimate = new long[] {m.fullAttentionKvBytes(), m.slidingWindowKvBytes(), m.recurrentStateBytes(),
                m.outputBufferBytes(), m.computeBufferBytes()};
            library = "ok";
        } catch (IllegalArgumentException refused) {
            library = "refused " + refused.getMessage();
        }
        return new Row(arch, settings, answer, actual, library, estimate);
    }

    private static String line(ContextSettings s) {
        return s.contextTokens() + " " + s.parallelSequences() + " " + (s.llamaCpp().unifiedKvCache() ? 1 : 0) + " "
                + s.llamaCpp().batchTokens() + " " + s.llamaCpp().microBatchTokens() + " "
                + s.keyCacheType().tensorType().ggmlId().orElseThrow() + " "
                + s.valueCacheType().tensorType().ggmlId().orElseThrow() + " "
                + (s.llamaCpp().flashAttention() ? 1 : 0) + " "
                + (s.llamaCpp().fullSlidingWindowCache() ? 1 : 0);
    }

    static Path write(String arch, ModelSpec spec, QuantScheme scheme, Random random) throws IOException {
        Path file = work.resolve(arch + "-" + scheme.name().toLowerCase(Locale.ROOT) + ".gguf");
        GgufWriter writer = GgufWriter.forLlamaCpp(spec, scheme.assign(spec));
        Files.write(file, random == null ? writer.toBytes(true) : writer.toBytes(random));
        return file;
    }

    /** Runs the shim with the given arguments and stdin lines; returns its stdout lines, its stderr to a log. */
    static List<String> run(List<String> arguments, List<String> input) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(shim.toString());
        command.add(backends.toString());
        command.addAll(arguments);
        Path log = shim.getParent().resolve("shim.log");
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
        try (Writer in = new java.io.OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8)) {
            for (String line : input) {
                in.write(line + "\n");
            }
        }
        List<String> out = new ArrayList<>();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                out.add(line);
            }
        }
        assertTrue(process.waitFor(10, TimeUnit.MINUTES), "shim did not finish: " + command);
        return out;
    }
}
