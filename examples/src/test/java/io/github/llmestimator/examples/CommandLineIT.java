package io.github.llmestimator.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.llmestimator.catalog.Models;
import io.github.llmestimator.gguf.GgufFiles;
import io.github.llmestimator.quant.QuantScheme;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The command line as a user runs it: the shaded jar in a separate JVM, its standard output, standard error and exit
 * status. Every {@code --json} output is parsed.
 */
final class CommandLineIT {

    private static final long GIB = 1L << 30;

    /** Llama-3.1-8B Q4_K_M: the published file's tensor data, 4.58 GiB as llama-bench prints it. */
    private static final long LLAMA_8B_Q4_K_M_BYTES = 4_912_898_048L;

    @TempDir
    Path folder;

    private static CliRun run(String... args) {
        return CliRun.of(args);
    }

    private static CliRun answered(String... args) {
        CliRun run = run(args);
        assertEquals(0, run.status(), "stdout:\n" + run.out() + "\nstderr:\n" + run.err());
        assertFalse(run.out().isEmpty(), "printed nothing");
        return run;
    }

    private static CliRun usage(String... args) {
        CliRun run = run(args);
        assertEquals(2, run.status(), "stdout:\n" + run.out() + "\nstderr:\n" + run.err());
        assertEquals("", run.out(), "a usage error prints nothing on stdout");
        assertTrue(run.err().startsWith("llm-estimator"), run.err());
        return run;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> object(Map<String, Object> json, String key) {
        return (Map<String, Object>) json.get(key);
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> list(Map<String, Object> json, String key) {
        return (List<Map<String, Object>>) json.get(key);
    }

    private static long bytes(Map<String, Object> json, String key) {
        return ((Number) object(json, key).get("bytes")).longValue();
    }

    /**
     * The README's first command. KV cache at 2048 tokens: 32 layers x 2048 cells x 1024 (8 KV heads x 128) x 2 (K,
     * V) x 2 bytes = 268,435,456 bytes = 256 MiB. Contexts below the prefill column's 4096 tokens used to fail.
     */
    @Test
    void estimate_report() {
        CliRun run = answered("estimate", "--model", "llama-3.1-8b", "--quant", "Q4_K_M", "--context", "2048");
        assertTrue(run.out().contains("Weights              4.58 GiB (4.91 GB)"), run.out());
        assertTrue(run.out().contains("KV cache             256.00 MiB (268.44 MB)"), run.out());
        assertTrue(run.out().contains("prefill of a 2,048-token prompt"), run.out());
        assertEquals("", run.err());
    }

    @Test
    void estimate_reportJson() {
        Map<String, Object> json = answered("estimate", "--model", "llama-3.1-8b", "--quant", "Q4_K_M", "--context",
                "2048", "--json").json();
        Map<String, Object> memory = object(json, "memory");
        assertEquals(LLAMA_8B_Q4_K_M_BYTES, bytes(memory, "weights"));
        assertEquals(268_435_456L, bytes(memory, "kvCache"));
        assertEquals(0.25, ((Number) object(memory, "kvCache").get("GiB")).doubleValue());
        assertEquals(0.268, ((Number) object(memory, "kvCache").get("GB")).doubleValue());
        assertEquals("Q4_K_M", object(json, "settings").get("scheme"));
        assertTrue(list(json, "speedMatrix").size() >= 6, json.toString());
    }

    /**
     * Llama-3.1-70B Q4_K_M on two RTX 3090s, layers split by memory. KV cache: 80 layers x 8192 x 1024 x 2 x 2 bytes =
     * 2,684,354,560 bytes across the two cards. Decode reads about 42.5 GB of weights per token over 936 GB/s cards
     * that take turns: at most 936 / 42.5 = 22 tokens/s even at peak bandwidth.
     */
    @Test
    void estimate_twoGpusJson() {
        Map<String, Object> json = answered("estimate", "--model", "llama-3.1-70b", "--quant", "Q4_K_M", "--context",
                "8192", "--hardware", "2x rtx-3090", "--json").json();
        List<Map<String, Object>> devices = list(json, "devices");
        assertEquals(2, devices.size());
        assertEquals(2_684_354_560L, bytes(devices.get(0), "kvCache") + bytes(devices.get(1), "kvCache"));
        for (Map<String, Object> device : devices) {
            assertEquals(24 * GIB, bytes(device, "usable"));
            assertEquals(true, device.get("fits"));
        }
        assertEquals(true, json.get("fits"));
        Map<String, Object> decode = object(json, "decode");
        double tokensPerSecond = ((Number) decode.get("tokensPerSecond")).doubleValue();
        assertTrue(tokensPerSecond > 5 && tokensPerSecond < 22, "decode " + tokensPerSecond);
        assertEquals("MEMORY_BANDWIDTH", decode.get("bound"));
        assertNotNull(object(json, "prefill"));
    }

    /** 39.6 GiB of weights do not fit one 24 GiB card: exit 1, what it lacks, no speed. */
    /**
     * MTP on Qwen3.5-27B: 1 + 3 x 0.718 = 3.15 tokens per step at the published rate, and a rollback state of three
     * copies of its recurrent state (48 Gated DeltaNet layers of 48 x 128 x 128 x 4 B and a convolution state of
     * 3 x 10,240 x 4 B: 149.625 MiB) = 448.88 MiB; the drafter costs context on the same GPU.
     */
    @Test
    void estimate_mtp() {
        CliRun run = answered("estimate", "--model", "qwen3.5-27b", "--hardware", "rtx-4090", "-c", "32k", "--mtp");
        assertTrue(run.out().contains("Speculative decoding (MTP, 3 drafted tokens"), run.out());
        assertTrue(run.out().contains("3.15 tokens per step"), run.out());
        assertTrue(run.out().contains("rollback state 448.88 MiB"), run.out());
        int without = ((Number) answered("max-context", "--model", "qwen3.5-27b", "--hardware", "rtx-4090", "--json")
                .json().get("contextTokens")).intValue();
        int with = ((Number) answered("max-context", "--model", "qwen3.5-27b", "--hardware", "rtx-4090", "--mtp",
                "--json").json().get("contextTokens")).intValue();
        assertTrue(with < without, with + " vs " + without);
        assertEquals(2, run("estimate", "--model", "qwen3-8b", "--mtp").status());
        assertEquals(2, run("estimate", "--model", "qwen3.5-27b", "--acceptance", "0.8").status());
        assertEquals(2, run("estimate", "--model", "qwen3.5-27b", "--mtp", "--acceptance", "1").status());
    }

    @Test
    void estimate_doesNotFit() {
        CliRun run = run("estimate", "--model", "llama-3.1-70b", "--quant", "Q4_K_M", "--hardware", "rtx-3090");
        assertEquals(1, run.status(), run.err());
        assertTrue(run.out().contains("Does not fit: NVIDIA GeForce RTX 3090 needs"), run.out());
        assertFalse(run.out().contains("decode at position"), run.out());
        Map<String, Object> json = run("estimate", "--model", "llama-3.1-70b", "--hardware", "rtx-3090", "--json")
                .json();
        assertEquals(false, json.get("fits"));
        assertTrue(json.containsKey("decode"), "documented fields stay, as null: " + json.keySet());
        assertNull(json.get("decode"));
        assertFalse(list(json, "suggestions").isEmpty());
    }

    /**
     * A 64 GB Mac's GPU working set: 3/4 by macOS's default (48.00 GiB) holds Llama 3.3 70B Q4_K_M at 8K (43.37 GiB);
     * a wired limit of 43,690 MiB (about 2/3) does not, and the report says it pages rather than fits.
     */
    @Test
    void estimate_macWorkingSet() {
        CliRun fits = answered("estimate", "-m", "llama-3.3-70b", "-q", "Q4_K_M", "-c", "8192", "--hardware", "m1-max");
        assertTrue(fits.out().contains("48.00 GiB (51.54 GB) = 3/4 of the 64.00 GiB (68.72 GB) installed"), fits.out());
        CliRun pages = run("estimate", "-m", "llama-3.3-70b", "-q", "Q4_K_M", "-c", "8192", "--hardware", "m1-max",
                "--wired-limit-mb", "43690");
        assertEquals(1, pages.status(), pages.err());
        assertTrue(pages.out().contains("decode 43x to 150x slower than wired"), pages.out());
        Map<String, Object> json = run("estimate", "-m", "llama-3.3-70b", "-q", "Q4_K_M", "-c", "8192", "--hardware",
                "m1-max", "--wired-limit-mb", "43690", "--json").json();
        assertEquals(true, list(json, "devices").get(0).get("paging"));
        assertTrue(usage("estimate", "-m", "llama-3.3-70b", "--hardware", "m1-max", "--wired-limit-mb", "70000").err()
                .contains("--wired-limit-mb: 70000 (expected: 1 to 65536 MiB"));
        assertTrue(usage("estimate", "-m", "llama-3.3-70b", "--hardware", "rtx-4090", "--wired-limit-mb", "1024").err()
                .contains("no Mac among the --hardware devices"));
    }

    /** LoRA adapters: r=16 on q,k,v,o of Llama 3.1 8B is 27,262,976 B (26.00 MiB), worked in LoraAdapterTest. */
    @Test
    void estimate_lora() {
        CliRun run = answered("estimate", "-m", "llama-3.1-8b", "--lora", "16:q,k,v,o", "--hardware", "rtx-4090");
        assertTrue(run.out().contains("LoRA adapters: r=16 on q,k,v,o (F16) = 26.00 MiB"), run.out());
        assertTrue(usage("estimate", "-m", "llama-3.2-1b", "--lora", "16:lm_head").err()
                .contains("--lora: targets: lm_head matches no tensor"));
        assertTrue(usage("estimate", "-m", "llama-3.1-8b", "--lora", "16:q:q4_0").err()
                .contains("type 'q4_0' (expected: f16, bf16, f32 or q8_0)"));
    }

    /** llama.cpp's --split-mode tensor: 1 GiB of KV at 8K on Llama 3.1 8B halves over two GPUs; no flash attention, no. */
    @Test
    void estimate_splitModeTensor() {
        Map<String, Object> json = answered("estimate", "-m", "llama-3.1-8b", "-c", "8192", "--hardware",
                "2x rtx-3090", "-sm", "tensor", "--json").json();
        assertEquals(536_870_912L, bytes(list(json, "devices").get(1), "kvCache"));
        assertTrue(usage("estimate", "-m", "llama-3.1-8b", "--hardware", "2x rtx-3090", "-sm", "tensor", "-fa", "off")
                .err().contains("SPLIT_MODE_TENSOR requires flash_attn to be enabled"));
    }

    /** The same figures as the library's planning tests: 50,432 tokens with an f16 cache on a 12 GiB RTX 3060. */
    @Test
    void maxContext() {
        CliRun run = answered("max-context", "--model", "llama-3.1-8b", "--quant", "Q4_K_M", "--hardware",
                "rtx-3060-12gb");
        assertTrue(run.out().contains("the largest context that fits is 50,432 tokens"), run.out());
        assertTrue(run.out().contains("binding: KV cache on NVIDIA GeForce RTX 3060 12 GB"), run.out());
        Map<String, Object> json = answered("max-context", "--model", "llama-3.1-8b", "--hardware", "rtx-3060-12gb",
                "--json").json();
        assertEquals(50432, ((Number) json.get("contextTokens")).intValue());
        assertEquals("KV_CACHE", json.get("binding"));
    }

    /**
     * 8192 tokens on a 12 GiB RTX 3060: Q8_0 (7.95 GiB + 1 GiB KV + 0.25 GiB buffers + 1 GiB allowance = 10.2 GiB)
     * fits; BF16 (14.96 GiB of weights) does not.
     */
    @Test
    void bestQuant() {
        CliRun run = answered("best-quant", "--model", "llama-3.1-8b", "--hardware", "rtx-3060-12gb");
        assertTrue(run.out().contains("the best scheme that fits is Q8_0"), run.out());
        Map<String, Object> json = answered("best-quant", "--model", "llama-3.1-8b", "--memory", "12GiB", "--json")
                .json();
        assertEquals("Q8_0", json.get("scheme"));
    }

    /**
     * Qwen3-32B on a 16 GB RTX 4080 at the default 8192 tokens: 2 GiB of KV cache, 0.31 GiB of buffers and the 1 GiB
     * allowance leave 12.69 GiB for weights; IQ3_XXS (11.93 GiB) fits and IQ3_XS (12.76 GiB) does not. Of the schemes
     * that fit, IQ3_XXS has the lowest mean KL-divergence on llama.cpp's LLaMA 3 8B scoreboard (0.183625 with an
     * imatrix, against IQ2_M 0.325989 and Q2_K 0.332223), so the best quality is also the largest. Q2_K (11.49 GiB,
     * 0.332223) is off the frontier: IQ2_M has fewer bytes and less divergence.
     */
    @Test
    void bestQuant_frontierOn16GB() {
        CliRun run = answered("best-quant", "--model", "qwen3-32b", "--hardware", "rtx-4080");
        assertTrue(run.out().contains("the best scheme that fits is IQ3_XXS, the lowest mean KL-divergence"), run.out());
        assertTrue(run.out().contains("llama.cpp's LLaMA 3 8B scoreboard (tools/perplexity/README.md, MIT)"), run.out());
        assertTrue(run.out().matches("(?s).*\\n  F\\* IQ3_XXS .*"), run.out());
        assertTrue(run.out().matches("(?s).*\\n     Q2_K .*"), run.out());
        Map<String, Object> json = answered("best-quant", "--model", "qwen3-32b", "--hardware", "rtx-4080", "--json")
                .json();
        assertEquals("IQ3_XXS", json.get("scheme"));
        assertEquals("IQ3_XXS", json.get("largestThatFits"));
        assertEquals("BEST_QUALITY", object(json, "objective").get("kind"));
        assertEquals("IQ3_XXS", ((List<?>) json.get("frontier")).get(0));
        Map<String, Object> chosen = list(json, "options").stream().filter(o -> Boolean.TRUE.equals(o.get("chosen")))
                .findFirst().orElseThrow();
        assertEquals(0.183625, ((Number) chosen.get("meanKld")).doubleValue());
        assertEquals("IQ3_XXS", object(json, "settings").get("scheme"));
    }

    /**
     * On a 64 GB M1 Max (48 GiB for the GPU) Q8_0 (32.42 GiB, mean KLD 0.001355) is the best quality. Within a mean
     * KLD of 0.05 the smallest and the fastest is IQ4_XS (0.036334, 16.62 GiB): every smaller scheme is above 0.05
     * (Q3_K_L 0.073077 is the next), and decode speed falls as bytes rise.
     */
    @Test
    void bestQuant_objectivesOnA64GBMac() {
        CliRun best = answered("best-quant", "--model", "qwen3-32b", "--hardware", "m1-max");
        assertTrue(best.out().contains("the best scheme that fits is Q8_0"), best.out());
        CliRun smallest = answered("best-quant", "--model", "qwen3-32b", "--hardware", "m1-max", "--objective",
                "smallest", "--max-kld", "0.05");
        assertTrue(smallest.out().contains("the smallest scheme that fits within mean KLD 0.0500 is IQ4_XS"),
                smallest.out());
        Map<String, Object> fastest = answered("best-quant", "--model", "qwen3-32b", "--hardware", "m1-max",
                "--objective", "fastest", "--max-kld", "0.05", "--json").json();
        assertEquals("IQ4_XS", fastest.get("scheme"));
        assertEquals(0.05, ((Number) object(fastest, "objective").get("maxKld")).doubleValue());
        CliRun none = run("best-quant", "--model", "qwen3-32b", "--hardware", "m1-max", "--objective", "smallest",
                "--max-kld", "0.001");
        assertEquals(1, none.status(), none.out());
        assertTrue(none.out().contains("no scheme fits within mean KLD 0.00100"), none.out());
    }

    /**
     * A user's own figures (tab-separated) replace llama.cpp's: here Q2_K is said to beat IQ3_XXS, so on the RTX 4080
     * the best quality is Q2_K; the schemes the file lacks have no figure and are listed as such.
     */
    @Test
    void bestQuant_userQualityTable() throws IOException {
        Path table = folder.resolve("mine.tsv");
        Files.writeString(table, "scheme\tmean_kld\nIQ3_XXS\t0.5\nQ2_K\t0.2\n");
        CliRun run = answered("best-quant", "--model", "qwen3-32b", "--hardware", "rtx-4080", "--quality",
                table.toString());
        assertTrue(run.out().contains("the best scheme that fits is Q2_K"), run.out());
        assertTrue(run.out().contains("Quality: the user's table mine.tsv."), run.out());
        assertTrue(run.out().contains("no quality figure: Q2_K_S, IQ2_M"), run.out());
        Path log = folder.resolve("runs.log");
        Files.writeString(log, "print_info: file type   = IQ3_XXS - 3.0625 bpw\nMean    KLD:   0.150000 ±   0.001\n");
        Map<String, Object> json = answered("best-quant", "--model", "qwen3-32b", "--hardware", "rtx-4080",
                "--quality", log.toString(), "--json").json();
        assertEquals("IQ3_XXS", json.get("scheme"));
    }

    @Test
    void bestQuant_badUsage() {
        assertTrue(usage("best-quant", "--model", "qwen3-32b", "--hardware", "rtx-4080", "--objective", "fastest")
                .err().contains("no --max-kld"));
        assertTrue(usage("best-quant", "--model", "qwen3-32b", "--hardware", "rtx-4080", "--max-kld", "0.1")
                .err().contains("--max-kld with --objective quality"));
        assertTrue(usage("best-quant", "--model", "qwen3-32b", "--memory", "20GiB", "--objective", "fastest",
                "--max-kld", "0.1").err().contains("a budget has no speed"));
        assertTrue(usage("best-quant", "--model", "qwen3-32b", "--hardware", "rtx-4080", "--objective", "smallest",
                "--max-kld", "-1").err().contains("maxKld: -1.0"));
        assertTrue(usage("best-quant", "--model", "qwen3-32b", "--hardware", "rtx-4080", "--quality",
                folder.resolve("absent.tsv").toString()).err().contains("absent.tsv"));
    }

    /**
     * The quality table with its source: llama.cpp's README has 46 scoreboard rows and 4 LLaMA 2 7B columns; its
     * Q4_K_M with the WT 10m importance matrix has PPL 6.382937 and mean KLD 0.028152 +- 0.000240.
     */
    @Test
    void quality_listsTheTableWithItsSource() {
        CliRun run = answered("quality");
        assertTrue(run.out().contains("https://github.com/ggml-org/llama.cpp/blob/master/tools/perplexity/README.md"),
                run.out());
        assertTrue(run.out().contains("(MIT, (c) 2023-2026 The ggml authors"), run.out());
        assertTrue(run.out().matches("(?s).*llama-3-8b +Q4_K_M +WT 10m +4\\.58 +6\\.382937 +0\\.028152 \\+- 0\\.000240.*"),
                run.out());
        Map<String, Object> json = answered("quality", "--json").json();
        assertEquals(50, list(json, "rows").size());
        assertEquals("MIT, (c) 2023-2026 The ggml authors", json.get("licence"));
        assertTrue(usage("quality", "--quality", folder.resolve("absent.log").toString()).err().contains("absent.log"));
    }

    /**
     * Energy on an RTX 4090 (450 W board power): decoding draws 0.6 x 450 = 270 W, so a token costs 270 W over the
     * decode speed; at 0.30 per kWh a million tokens cost J/token x 10^6 / 3.6 x 10^6 x 0.30, rented at 0.69 per hour
     * 0.69 / (tokens/s x 3600) x 10^6. An A100 has no verified power figure: no energy.
     */
    @Test
    void estimate_energyAndCost() {
        CliRun run = answered("estimate", "--model", "llama-3.1-8b", "--quant", "Q4_K_M", "--hardware", "rtx-4090",
                "--price-kwh", "0.30", "--price-hour", "0.69");
        assertTrue(run.out().contains("  decode: 270 W, "), run.out());
        assertTrue(run.out().contains("  prefill: 450 W, "), run.out());
        Map<String, Object> json = answered("estimate", "--model", "llama-3.1-8b", "--quant", "Q4_K_M", "--hardware",
                "rtx-4090", "--price-kwh", "0.30", "--price-hour", "0.69", "--json").json();
        // the JSON rounds the speed to 3 decimals: compare to 1e-5 of the value
        double tps = ((Number) object(json, "decode").get("tokensPerSecond")).doubleValue();
        Map<String, Object> decode = object(object(json, "energy"), "decode");
        assertEquals(270, ((Number) decode.get("watts")).doubleValue());
        double joules = ((Number) decode.get("joulesPerToken")).doubleValue();
        assertEquals(270 / tps, joules, joules * 1e-5);
        assertEquals(joules * 1e6 / 3.6e6 * 0.30, ((Number) decode.get("electricityPerMillionTokens")).doubleValue(),
                1e-12);
        double rental = 0.69 / (tps * 3600) * 1e6;
        assertEquals(rental, ((Number) object(json, "energy").get("rentalDecodePerMillionTokens")).doubleValue(),
                rental * 1e-5);
        CliRun laptop = answered("estimate", "--model", "llama-3.1-8b", "--quant", "Q4_K_M", "--hardware",
                "rtx-4090-laptop");
        assertTrue(laptop.out().contains(
                "energy: n/a (no published power figure for NVIDIA GeForce RTX 4090 Laptop GPU (16 GB))"), laptop.out());
        assertTrue(usage("estimate", "--model", "llama-3.1-8b", "--hardware", "rtx-4090", "--price-kwh", "-1")
                .err().contains("--price-kwh: -1.0"));
        assertTrue(usage("estimate", "--model", "llama-3.1-8b", "--price-hour", "1").err()
                .contains("without --hardware"));
    }

    /** The README's split: Qwen3.5-397B-A17B at 32K on an RTX 5090 with 256 GiB of DDR5-5600 (89.6 GB/s). */
    @Test
    void offload() {
        CliRun run = answered("offload", "--model", "qwen3.5-397b-a17b", "-c", "32768", "--hardware", "rtx-5090",
                "--hardware", "ram:256GiB@89.6GB/s");
        assertTrue(run.out().contains("run with --n-cpu-moe 54"), run.out());
        Map<String, Object> json = answered("offload", "--model", "qwen3.5-397b-a17b", "-c", "32k", "--hardware",
                "rtx-5090", "--hardware", "ram:256GiB@89.6GB/s", "--json").json();
        assertEquals("--n-cpu-moe 54", json.get("flags"));
        assertEquals(2, list(json, "devices").size());
    }

    /**
     * Slots of 8192 tokens on an RTX 4090: 24 GiB less 4.58 GiB of weights, 1 GiB allowance and about 0.3 GiB of
     * buffers leaves 18.1 GiB, and each slot holds its 1 GiB KV cache and its row of logits (128,256 x 4 bytes):
     * 18 slots.
     */
    @Test
    void concurrency() {
        Map<String, Object> json = answered("concurrency", "--model", "llama-3.1-8b", "--hardware", "rtx-4090",
                "--json").json();
        assertEquals(18, ((Number) json.get("sequences")).intValue());
        assertEquals(GIB + 128_256 * 4, bytes(json, "bytesPerSequence"));
        assertEquals("llama.cpp-slots", json.get("accounting"));
        CliRun vllm = answered("concurrency", "--model", "llama-3.1-8b", "--hardware", "rtx-3090", "--vllm");
        assertTrue(vllm.out().contains("vLLM paged cache, maximum concurrency"), vllm.out());
    }

    /**
     * vLLM's pool as vllm#10517 started it (https://github.com/vllm-project/vllm/issues/10517: RTX 3090, Llama 3.1 8B,
     * utilization 0.9, 20,000 tokens profiled in one pass) printed "Maximum concurrency for 20000 tokens per request:
     * 1.56x"; within 5 %. An unknown runtime is bad usage, naming the runtimes there are.
     */
    @Test
    void concurrency_runtime() {
        Map<String, Object> json = answered("concurrency", "--model", "llama-3.1-8b", "--hardware", "rtx-3090",
                "--runtime", "vllm", "--gpu-memory-utilization", "0.9", "--tokens-per-sequence", "20000",
                "--max-num-batched-tokens", "20000", "--json").json();
        assertEquals("vllm-pool", json.get("accounting"));
        double concurrency = ((Number) json.get("maxConcurrency")).doubleValue();
        assertTrue(Math.abs(concurrency / 1.56 - 1) <= 0.05, "maxConcurrency " + concurrency);
        CliRun unknown = usage("concurrency", "--model", "llama-3.1-8b", "--hardware", "rtx-3090", "--runtime", "tgi");
        assertTrue(unknown.err().contains("expected one of llama.cpp, ollama, vllm, sglang, mlx"), unknown.err());
        usage("concurrency", "--model", "llama-3.1-8b", "--hardware", "rtx-3090", "--mem-fraction-static", "0.9");
    }

    /**
     * 39.6 GiB of Q4_K_M weights need two 24 GiB cards (48 GiB installed, less than one H100's 80 GiB); of the two
     * 48 GiB pairs the one with more bandwidth wins: RTX 4090 (1008 GB/s) over RTX 3090 (936 GB/s).
     */
    @Test
    void minHardware() {
        CliRun run = answered("min-hardware", "--model", "llama-3.1-70b", "--hardware", "rtx-3090", "--hardware",
                "rtx-4090", "--hardware", "h100-sxm");
        assertTrue(run.out().contains("the least memory that runs it is 2 x NVIDIA GeForce RTX 4090"), run.out());
        Map<String, Object> json = answered("min-hardware", "--model", "llama-3.1-70b", "--hardware", "rtx-3090",
                "--hardware", "rtx-4090", "--hardware", "h100-sxm", "--json").json();
        assertEquals(2, ((Number) json.get("deviceCount")).intValue());
        assertEquals(48 * GIB, bytes(json, "installedMemory"));
    }

    /**
     * 16 GB installed less the default 4 GiB reserve leaves 12 GiB: Q8_0 fits as in {@link #bestQuant()}; on an RTX
     * 4090, BF16 (14.96 GiB + 1 GiB KV + buffers + 1 GiB) fits, with its speed.
     */
    @Test
    void fit() {
        CliRun budget = answered("fit", "--models", "llama-3.1-8b", "--memory-gb", "16");
        assertTrue(budget.out().matches("(?s).*llama-3.1-8b +yes +Q8_0 .*"), budget.out());
        assertTrue(budget.out().contains("less 4 GiB for the system"), budget.out());
        Map<String, Object> gpu = answered("fit", "--models", "llama-3.1-8b", "--hardware", "rtx-4090", "--json")
                .json();
        Map<String, Object> row = list(gpu, "models").get(0);
        assertEquals("BF16", row.get("scheme"));
        assertNotNull(row.get("decode"));
        usage("fit", "--hardware", "rtx-4090", "--memory-gb", "16");
    }

    /** Beside the estimate, the published measurements of the model on that catalog device (llama.cpp's own). */
    @Test
    void measuredBesideTheEstimate() {
        CliRun run = answered("estimate", "--model", "gpt-oss-20b", "--quant", "MXFP4_MOE", "--hardware", "dgx-spark");
        assertTrue(run.out().contains("tg32: 84.1 tokens/s (CUDA"), run.out());
        Map<String, Object> json = answered("estimate", "--model", "gpt-oss-20b", "--quant", "MXFP4_MOE",
                "--hardware", "dgx-spark", "--json").json();
        assertEquals(84.10, ((Number) list(json, "measured").get(0).get("tokensPerSecond")).doubleValue());
    }

    /** The same model by id, Hugging Face repository and Ollama name. */
    @Test
    void aliases() {
        long byId = bytes(object(answered("estimate", "--model", "qwen3-8b", "--json").json(), "memory"), "total");
        for (String alias : List.of("Qwen/Qwen3-8B", "qwen3:8b", "https://huggingface.co/Qwen/Qwen3-8B")) {
            Map<String, Object> json = answered("estimate", "--model", alias, "--json").json();
            assertEquals(byId, bytes(object(json, "memory"), "total"), alias);
            assertEquals("qwen3-8b", object(json, "model").get("catalogId"), alias);
        }
    }

    /**
     * A device by the names people use, case and spaces ignored, counted or not; a name that fits several presets (the
     * M4 Pro with 24, 48 or 64 GB) is a usage error listing them, never a silent pick.
     */
    @Test
    void deviceNames() {
        Map<String, Object> byId = answered("estimate", "--model", "llama-3.1-8b", "--hardware", "rx-7900-xtx",
                "--json").json();
        for (String name : List.of("Radeon RX 7900 XTX", "7900xtx", "7900 XTX")) {
            Map<String, Object> json = answered("estimate", "--model", "llama-3.1-8b", "--hardware", name, "--json")
                    .json();
            assertEquals(byId.get("devices"), json.get("devices"), name);
            assertEquals(byId.get("memory"), json.get("memory"), name);
        }
        answered("estimate", "--model", "llama-3.1-70b", "--hardware", "2x 3090");
        answered("estimate", "--model", "llama-3.1-8b", "--hardware", "M4 Pro 24GB");
        CliRun ambiguous = usage("estimate", "--model", "llama-3.1-8b", "--hardware", "M4 Pro");
        assertTrue(ambiguous.err().contains("'M4 Pro' names 3 catalog devices"), ambiguous.err());
        assertTrue(ambiguous.err().contains("m4-pro-24gb = Apple M4 Pro (20-core GPU, 24 GB)"), ambiguous.err());
        CliRun unknown = usage("estimate", "--model", "llama-3.1-8b", "--hardware", "RTX 4900");
        assertTrue(unknown.err().contains("closest: ["), unknown.err());
    }

    /** A folder holding Llama-3.1-8B's config.json gives the catalog preset's exact weights. */
    @Test
    void configFolder() throws IOException {
        Files.writeString(folder.resolve("config.json"), "{\"model_type\": \"llama\", \"architectures\":"
                + " [\"LlamaForCausalLM\"], \"hidden_size\": 4096, \"intermediate_size\": 14336,"
                + " \"num_hidden_layers\": 32, \"num_attention_heads\": 32, \"num_key_value_heads\": 8,"
                + " \"vocab_size\": 128256, \"max_position_embeddings\": 131072, \"tie_word_embeddings\": false,"
                + " \"rms_norm_eps\": 1e-05, \"torch_dtype\": \"bfloat16\"}");
        Map<String, Object> json = answered("estimate", "--model", folder.toString(), "--json").json();
        assertEquals(LLAMA_8B_Q4_K_M_BYTES, bytes(object(json, "memory"), "weights"));
        usage("estimate", "--model", folder.resolve("missing").toString());
    }

    /** A .gguf file's header gives its own tensor types: the Q4_K_M file weighs what the published one does. */
    @Test
    void ggufFile() throws IOException {
        Path file = folder.resolve("llama-3.1-8b-Q4_K_M.gguf");
        Files.write(file, GgufFiles.header(Models.LLAMA_3_1_8B.spec(), QuantScheme.Q4_K_M));
        CliRun run = answered("estimate", "--model", file.toString(), "--context", "4096");
        assertTrue(run.out().contains("Chosen: the GGUF file's own tensor types"), run.out());
        assertTrue(run.out().contains("Weights              4.58 GiB (4.91 GB)"), run.out());
        Map<String, Object> json = answered("estimate", "--model", file.toString(), "--json").json();
        assertEquals(LLAMA_8B_Q4_K_M_BYTES, bytes(object(json, "memory"), "weights"));
        assertEquals("file", object(json, "settings").get("scheme"));

        Path broken = folder.resolve("broken.gguf");
        Files.write(broken, "GGUF\u0003\u0000\u0000\u0000not a header".getBytes(StandardCharsets.ISO_8859_1));
        assertTrue(usage("estimate", "--model", broken.toString()).err().contains("cannot read GGUF file"));
        assertTrue(usage("estimate", "--model", folder.resolve("nope.gguf").toString()).err()
                .contains("no such file"));
    }

    /**
     * GLM-4.5-Air's file holds its MTP layer, which llama.cpp does not load: 220,988,046,336 B of BF16 tensor data in the
     * published conversion's per-tensor map (205.81 GiB), of which blk.46 is 7,234,265,600 B; Qwen3.5 files without
     * it are estimated with --no-mtp, and a model without MTP layers refuses the flag.
     */
    @Test
    void mtpLayers_inTheFileAndWithout() {
        Map<String, Object> json = answered("estimate", "--model", "glm-4.5-air", "--quant", "BF16", "--json").json();
        Map<String, Object> memory = object(json, "memory");
        assertEquals(220_988_046_336L, bytes(memory, "weightsInFile"));
        assertEquals(220_988_046_336L - 7_234_265_600L, bytes(memory, "weights"));
        assertEquals(Boolean.TRUE, object(json, "model").get("publishedFilesKeepMtp"));
        assertTrue(answered("estimate", "--model", "glm-4.5-air", "--quant", "BF16").out()
                .contains("In the file          205.81 GiB (220.99 GB)"));
        // the published Qwen3.5-9B Q8_0 without its MTP layer: 9,516,533,760 B of tensor data (its byte map)
        Map<String, Object> without = answered("estimate", "--model", "qwen3.5-9b", "--quant", "Q8_0", "--no-mtp",
                "--json").json();
        assertEquals(9_516_533_760L, bytes(object(without, "memory"), "weightsInFile"));
        assertEquals(0, ((Number) object(without, "model").get("nextTokenPredictionLayers")).intValue());
        assertTrue(usage("estimate", "--model", "llama-3.1-8b", "--no-mtp").err()
                .contains("has no multi-token-prediction layers"));
    }

    /** Qwen3-8B is trained for 40,960 tokens: a million is estimated, with a warning. */
    @Test
    void contextAboveTrained() {
        CliRun run = answered("estimate", "--model", "qwen3-8b", "--context", "1M");
        assertTrue(run.out().contains("warning: context of 1,048,576 tokens per sequence exceeds the model's trained"
                + " context of 40,960 tokens"), run.out());
        Map<String, Object> json = answered("estimate", "--model", "qwen3-8b", "--context", "1M", "--json").json();
        assertEquals(1, ((List<?>) json.get("warnings")).size());
    }

    /** gpt-oss ships its experts in MXFP4: its "BF16" file keeps them so, and the report says it. */
    @Test
    void realWeightFormats() {
        CliRun run = answered("estimate", "--model", "gpt-oss-20b", "--quant", "BF16", "--hardware", "rtx-4090");
        assertTrue(run.out().matches("(?s).*weight formats: MXFP4 \\d+ %, BF16 \\d+ %.*"), run.out());
    }

    @ParameterizedTest
    @ValueSource(strings = {"estimate", "max-context", "best-quant", "offload", "concurrency", "min-hardware", "fit",
        "sweep", "models", "hardware", "quality"})
    void help(String command) {
        CliRun run = answered(command, "--help");
        assertTrue(run.out().startsWith("Usage: llm-estimator " + command), run.out());
        assertEquals("", run.err());
    }

    @Test
    void versionAndTopLevelHelp() {
        assertTrue(answered("--version").out().matches("llm-estimator \\d+\\.\\d+\\.\\d+\\S*\\R.*(?s).*"));
        CliRun help = answered("--help");
        for (String command : List.of("estimate", "max-context", "best-quant", "offload", "concurrency",
                "min-hardware", "fit", "sweep", "models", "hardware", "quality")) {
            assertTrue(help.out().contains("  " + command), command + " missing:\n" + help.out());
        }
        assertTrue(help.out().contains("Exit status:"), help.out());
    }

    @Test
    void badUsage() {
        assertTrue(usage("estimate", "--model", "qwen9").err().contains("closest catalog ids: "));
        assertTrue(usage("estimate", "--model", "llama-3.1-8b", "--context", "99999999999").err()
                .contains("expected: 1 to 2147483647 tokens"));
        assertTrue(usage("estimate", "--model", "llama-3.1-8b", "--quant", "Q4_K_Q").err().contains("Q4_K_M"));
        assertTrue(usage("estimate", "--model", "llama-3.1-8b", "--hardware", "rtx-9090").err()
                .contains("closest: "));
        assertTrue(usage("estimate", "--model", "llama-3.1-8b", "--hardware", "gpu:24@1008").err()
                .contains("gpu:24GiB@1008GB/s"));
        assertTrue(usage("estimate", "--model", "llama-3.1-8b", "--hardware", "2x ram:64GiB@89.6").err()
                .contains("system RAM and unified memory are one pool"));
        assertTrue(usage("estimate", "--model", "llama-3.1-8b", "-ngl", "10", "--hardware", "rtx-4090").err()
                .contains("need exactly one GPU and system RAM"));
        assertTrue(usage("estimate", "--model", "llama-3.1-8b", "-np", "300").err().contains("1 to 256"));
        assertTrue(usage("estimate").err().contains("--model"));
        assertTrue(usage("max-context", "--model", "llama-3.1-8b").err().contains("--hardware: not given"));
        assertTrue(usage("frobnicate").err().contains("Unmatched argument"));
    }

    /** The sweep writes CSV to stdout and, when stderr is not a terminal, no progress bar. */
    @Test
    void sweep() {
        CliRun run = answered("sweep", "--models", "llama-3.1-8b", "--quants", "Q4_K_M,Q8_0", "--contexts", "8192");
        String[] lines = run.out().split("\n");
        assertEquals(3, lines.length, run.out());
        assertTrue(lines[1].startsWith("llama-3.1-8b,Q4_K_M,8192," + LLAMA_8B_Q4_K_M_BYTES + ",1073741824,0,"),
                lines[1]);
        assertEquals("", run.err());
        Map<String, Object> json = answered("sweep", "--models", "llama-3.1-8b", "--quants", "Q4_K_M", "--contexts",
                "8192,32k", "--json").json();
        List<Map<String, Object>> rows = list(json, "rows");
        assertEquals(2, rows.size());
        // 32768 cells: four times the 1 GiB of 8192.
        assertEquals(4 * GIB, bytes(object(rows.get(1), "memory"), "kvCache"));
    }

    /** The models table: one column per field, every row aligned with the header; aliases listed. */
    @Test
    void models() {
        CliRun run = answered("models");
        String[] lines = run.out().split("\n");
        int end = lines[0].indexOf("params B") + "params B".length();
        for (int i = 1; i < lines.length - 1; i++) {
            assertTrue(Character.isDigit(lines[i].charAt(end - 1)) && lines[i].charAt(end) == ' ', lines[i]);
        }
        assertTrue(run.out().contains("Qwen/Qwen3-8B, qwen3:8b"), run.out());
        assertTrue(list(answered("models", "--json").json(), "models").size() >= 36);
    }

    @Test
    void hardware() {
        assertTrue(answered("hardware").out().contains("rtx-3090 "));
        assertFalse(list(answered("hardware", "--json").json(), "hardware").isEmpty());
    }

    @Test
    void completion() {
        assertTrue(answered("generate-completion").out().contains("complete -F"));
    }

    /** The published DGX Spark llama-bench runs, kept with catalog-data's tests (its README gives the link). */
    private static final Path DGX_SPARK_RUNS = Path.of("..", "catalog-data", "src", "test", "resources", "io",
            "github", "llmestimator", "catalog", "llama-bench", "dgx-spark.md");

    /**
     * This machine: every fact has a source; on Linux the memory is /proc/meminfo's MemTotal and the threads
     * /proc/cpuinfo's processors; with no GPU found, a "GPU: none found" fact says which tools were tried.
     */
    @Test
    void hardwareDetect() {
        CliRun text = answered("hardware", "--detect");
        assertTrue(text.out().contains("hardware threads"), text.out());
        Map<String, Object> json = answered("hardware", "--detect", "--json").json();
        List<Map<String, Object>> facts = list(json, "facts");
        for (Map<String, Object> fact : facts) {
            assertFalse(((String) fact.get("source")).isBlank(), fact.toString());
        }
        if (System.getProperty("os.name").startsWith("Linux")) {
            assertTrue(facts.stream().anyMatch(f -> f.get("name").equals("memory")
                    && f.get("source").equals("/proc/meminfo MemTotal")), facts.toString());
            assertTrue(facts.stream().anyMatch(f -> f.get("name").equals("hardware threads")
                    && f.get("value").equals(String.valueOf(Runtime.getRuntime().availableProcessors()))
                    && f.get("source").equals("/proc/cpuinfo processor entries")), facts.toString());
        }
        if (list(json, "gpus").isEmpty()) {
            assertTrue(facts.stream().anyMatch(f -> f.get("name").equals("GPU") && f.get("value").equals("none found")
                    && ((String) f.get("source")).contains("nvidia-smi")), facts.toString());
        }
        usage("hardware", "--measure");
    }

    /** The probe: copy and triad at 1 to N threads, each best at least its slowest; the best triad becomes --hardware. */
    @Test
    void hardwareDetectMeasure() {
        Map<String, Object> json = answered("hardware", "--detect", "--measure", "--probe-mib", "32", "--json").json();
        List<Map<String, Object>> measured = list(json, "measured");
        assertEquals(2 * (Runtime.getRuntime().availableProcessors() <= 4 ? Runtime.getRuntime().availableProcessors()
                : measured.size() / 2), measured.size(), measured.toString());
        for (Map<String, Object> m : measured) {
            double best = ((Number) m.get("bestGBps")).doubleValue();
            double slowest = ((Number) m.get("slowestGBps")).doubleValue();
            assertTrue(slowest > 0 && best >= slowest, m.toString());
        }
        @SuppressWarnings("unchecked")
        List<String> hardware = (List<String>) json.get("hardware");
        if (list(json, "gpus").isEmpty() && json.get("memory") != null) {
            assertTrue(hardware.stream().anyMatch(h -> h.startsWith("ram:")), hardware.toString());
        }
        usage("hardware", "--detect", "--measure", "--probe-mib", "0");
    }

    /**
     * Calibration on llama.cpp's published DGX Spark runs: 15 tg32 and 3 pp2048 runs of catalog models fitted, every
     * calibrated decode estimate within 5 % of its measurement; the profile it saves makes estimates say so and show
     * the runs (tg32 @ d4096 measured 77.36 tokens/s).
     */
    @Test
    void calibrate_publishedDgxSparkRuns() throws IOException {
        Path profile = folder.resolve("spark.json");
        Map<String, Object> json = answered("calibrate", "--llama-bench", DGX_SPARK_RUNS.toString(), "--hardware",
                "dgx-spark", "-o", profile.toString(), "--json").json();
        // 20 tg32 runs of 4 catalog models (Qwen2.5-Coder-7B has the catalog's qwen2.5-7b shapes) + 4 pp2048 runs
        assertEquals(24, ((Number) object(json, "calibration").get("runs")).intValue());
        int decode = 0;
        for (Map<String, Object> run : list(json, "runs")) {
            if (((String) run.get("test")).startsWith("tg")) {
                decode++;
                double ratio = ((Number) run.get("after")).doubleValue()
                        / ((Number) run.get("measuredTokensPerSecond")).doubleValue();
                assertTrue(ratio >= 0.95 && ratio <= 1.05, run.toString());
            }
        }
        assertEquals(20, decode);
        assertTrue(Files.readString(profile).contains("llm-estimator-calibration-1"));
        CliRun estimate = answered("estimate", "-m", "gpt-oss-20b", "-q", "MXFP4_MOE", "-c", "32768", "--hardware",
                "profile:" + profile);
        assertTrue(estimate.out().contains("calibrated on 24 runs of NVIDIA DGX Spark"), estimate.out());
        assertTrue(estimate.out().contains("tg32 @ d4096     measured 77.4 tokens/s"), estimate.out());
        usage("calibrate", "--llama-bench", folder.resolve("missing.md").toString(), "--hardware", "dgx-spark");
        Path notBench = folder.resolve("not-bench.md");
        Files.writeString(notBench, "| a | b |\n| - | - |\n| 1 | 2 |\n");
        usage("calibrate", "--llama-bench", notBench.toString(), "--hardware", "dgx-spark");
        usage("estimate", "-m", "qwen3-8b", "--hardware", "profile:" + folder.resolve("none.json"));
    }

    /** fit on this machine with --measure: system RAM at the measured bandwidth, so decode speeds are printed. */
    @Test
    void fit_thisMachineMeasured() {
        Map<String, Object> json = answered("fit", "--models", "qwen3-0.6b", "--measure", "--probe-mib", "32",
                "--json").json();
        assertTrue(((String) json.get("target")).contains("this machine"), json.toString());
        assertNotNull(list(json, "models").get(0).get("decode"), json.toString());
        usage("fit", "--measure", "--memory-gb", "16");
    }
}
