package io.github.llmestimator.examples.cli;

import io.github.llmestimator.Estimator;
import io.github.llmestimator.examples.Views;
import io.github.llmestimator.planning.ConcurrencyPlan;
import io.github.llmestimator.quant.QuantScheme;
import io.github.llmestimator.runtime.Ollama;
import io.github.llmestimator.runtime.PagedPool;
import io.github.llmestimator.runtime.Runtime;
import io.github.llmestimator.runtime.SgLang;
import io.github.llmestimator.runtime.Vllm;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/** {@code concurrency}: how many sequences of a length the hardware serves at once. */
@Command(name = "concurrency", mixinStandardHelpOptions = true, versionProvider = LlmEstimatorCommand.Version.class,
        description = {"How many sequences of --tokens-per-sequence fit at once on --hardware: llama.cpp slots"
                + " (-np N -c N*tokens) with their aggregate decode speed, or the KV cache pool vLLM or SGLang"
                + " allocates at start-up (--runtime vllm, --runtime sglang)."},
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {"0:answered", "1:not even one sequence fits", "2:bad usage or unreadable input"})
final class ConcurrencyCommand extends ModelCommand {

    @Option(names = "--tokens-per-sequence", paramLabel = "TOKENS", converter = ModelOptions.TokenCount.class,
            description = "Length of each sequence, prompt and output (default: the --context value); vLLM's"
                    + " --max-model-len.")
    Integer tokensPerSequence;

    @Option(names = "--runtime", paramLabel = "NAME", converter = RuntimeName.class,
            description = "Whose accounting: llama.cpp (default) or ollama (slots), vllm or sglang (the start-up"
                    + " pool; weights default to the publisher's checkpoint, --quant NATIVE).")
    Runtime runtime;

    @Option(names = "--vllm", description = "The same as --runtime vllm.")
    boolean vllm;

    @Option(names = "--gpu-memory-utilization", paramLabel = "SHARE",
            description = "vLLM's share of each GPU's memory (default: 0.92).")
    Double utilization;

    @Option(names = "--max-num-batched-tokens", paramLabel = "TOKENS", converter = ModelOptions.TokenCount.class,
            description = "vLLM's profiling run (default: 2048, or 8192 on GPUs of 70 GiB or more but the A100).")
    Integer batchedTokens;

    @Option(names = "--max-num-seqs", paramLabel = "N", converter = ModelOptions.TokenCount.class,
            description = "vLLM's sampler profiling rows (default: 256, or 1024 on GPUs of 70 GiB or more but the"
                    + " A100).")
    Integer maxNumSeqs;

    @Option(names = "--mem-fraction-static", paramLabel = "SHARE",
            description = "SGLang's share of each GPU for weights and pool (default: 0.9).")
    Double memFraction;

    @Option(names = "--kv-cache-dtype", paramLabel = "auto|fp8",
            description = "vLLM's and SGLang's cache type: auto (the model's 16 bits, default) or fp8.")
    String kvCacheDtype;

    /** Converts {@code --runtime}, listing the names when one is unknown. */
    static final class RuntimeName implements ITypeConverter<Runtime> {
        @Override
        public Runtime convert(String value) {
            try {
                return Runtime.ofName(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }

    @Override
    public Integer call() {
        requireHardware("the devices that serve the sequences");
        Runtime chosen = runtime();
        Estimator estimator = estimatorOnHardware();
        int tokens = tokensPerSequence != null ? tokensPerSequence : model.context;
        if (chosen instanceof Vllm || chosen instanceof SgLang) {
            return pool(estimator, chosen, tokens);
        }
        if (chosen instanceof Ollama) {
            estimator = estimator.runtime(chosen);
        }
        ConcurrencyPlan plan = ConcurrencyPlan.of(estimator, tokens);
        if (json) {
            Map<String, Object> root = PlanViews.json(model.source(), plan);
            root.put("accounting", "llama.cpp-slots");
            root.put("runtime", chosen.id());
            root.put("tokensPerSequence", plan.tokensPerSequence());
            root.put("sequences", plan.sequences());
            root.put("maxConcurrency", Views.round(plan.maxConcurrency()));
            root.put("bytesPerSequence", Views.size(plan.bytesPerSequence()));
            root.put("decode", plan.fits() ? Views.decode(plan.decode()) : null);
            printJson(root);
            return status(plan.fits());
        }
        StringBuilder out = new StringBuilder();
        DeploymentReport.line(out, "%s: %,d sequences of %,d tokens fit at once (%s -np %d -c %d)",
                model.source().displayName(), plan.sequences(), plan.tokensPerSequence(), chosen.name(),
                plan.sequences(), (long) plan.sequences() * tokens);
        DeploymentReport.line(out, "  each sequence holds %s", Views.gib(plan.bytesPerSequence()));
        if (plan.fits()) {
            DeploymentReport.line(out, "  decode, all sequences together: %s", Views.text(plan.decode()));
        }
        DeploymentReport.line(out, "  %s", PlanViews.bindingLine(plan));
        out.append('\n');
        PlanViews.memory(out, plan);
        print(out.toString());
        return status(plan.fits());
    }

    /** The runtime the options choose, checking that each runtime's options come with their runtime. */
    private Runtime runtime() {
        if (vllm && runtime != null && !(runtime instanceof Vllm)) {
            throw new IllegalArgumentException("--vllm with --runtime " + runtime.id() + ": give one");
        }
        Runtime chosen = vllm ? Runtime.vllm() : runtime != null ? runtime : Runtime.llamaCpp();
        if (chosen instanceof io.github.llmestimator.runtime.Mlx) {
            throw new IllegalArgumentException("--runtime mlx: concurrency counts llama.cpp slots or vLLM and SGLang"
                    + " pools (expected: llama.cpp, ollama, vllm or sglang; `estimate --runtime` is not there yet"
                    + " for MLX)");
        }
        if (!(chosen instanceof Vllm) && (utilization != null || batchedTokens != null || maxNumSeqs != null)) {
            throw new IllegalArgumentException("--gpu-memory-utilization, --max-num-batched-tokens, --max-num-seqs:"
                    + " only with --runtime vllm");
        }
        if (!(chosen instanceof SgLang) && memFraction != null) {
            throw new IllegalArgumentException("--mem-fraction-static: only with --runtime sglang");
        }
        if (!(chosen instanceof Vllm || chosen instanceof SgLang) && kvCacheDtype != null) {
            throw new IllegalArgumentException("--kv-cache-dtype: only with --runtime vllm or sglang (llama.cpp:"
                    + " -ctk/-ctv)");
        }
        int kvBytes = kvBytes();
        if (chosen instanceof Vllm) {
            Vllm v = ((Vllm) chosen).withKvCacheBytesPerElement(kvBytes);
            if (utilization != null) {
                v = v.withGpuMemoryUtilization(utilization);
            }
            return v.withProfileSizes(batchedTokens == null ? v.maxNumBatchedTokens() : batchedTokens,
                    maxNumSeqs == null ? v.maxNumSeqs() : maxNumSeqs);
        }
        if (chosen instanceof SgLang) {
            SgLang s = new SgLang(((SgLang) chosen).memFractionStatic(), kvBytes, ((SgLang) chosen).contextBytes());
            return memFraction == null ? s : s.withMemFractionStatic(memFraction);
        }
        return chosen;
    }

    private int kvBytes() {
        if (kvCacheDtype == null || kvCacheDtype.equalsIgnoreCase("auto")) {
            return 2;
        }
        if (kvCacheDtype.toLowerCase(Locale.ROOT).startsWith("fp8")) {
            return 1;
        }
        throw new IllegalArgumentException("--kv-cache-dtype: '" + kvCacheDtype + "' (expected: auto or fp8)");
    }

    private Integer pool(Estimator base, Runtime chosen, int tokens) {
        Estimator estimator = base.runtime(chosen);
        if (model.scheme == null) {
            estimator = estimator.quant(QuantScheme.NATIVE);
        } else if (!chosen.loads(model.scheme)) {
            throw new IllegalArgumentException("--quant " + model.scheme + ": " + chosen.name() + " loads checkpoint"
                    + " formats (expected: NATIVE, FP8, AWQ_INT4, GPTQ_INT4 or NVFP4)");
        }
        PagedPool pool = estimator.runtimePool(tokens);
        boolean vllmPool = chosen instanceof Vllm;
        long blocks = vllmPool ? (tokens + ((Vllm) chosen).blockSize() - 1) / ((Vllm) chosen).blockSize() : tokens;
        long perRequest = vllmPool ? blocks * ((Vllm) chosen).blockSize() : tokens;
        long requests = pool.tokens() / perRequest;
        if (json) {
            Map<String, Object> root = new LinkedHashMap<>();
            root.put("model", model.source().displayName());
            root.put("accounting", vllmPool ? "vllm-pool" : "sglang-pool");
            root.put("runtime", chosen.id());
            root.put("tokensPerSequence", tokens);
            root.put("sequences", requests);
            root.put("maxConcurrency", Views.round(pool.maxConcurrency()));
            root.put("poolTokens", pool.tokens());
            root.put("deviceMemory", Views.size(pool.deviceMemoryBytes()));
            root.put("budget", Views.size(pool.budgetBytes()));
            root.put("weights", Views.size(pool.weightBytes()));
            root.put("activationPeak", Views.size(pool.activationBytes()));
            root.put("otherMemory", Views.size(pool.otherBytes()));
            root.put("kvCache", Views.size(Math.max(0, pool.kvCacheBytes())));
            root.put("bytesPerToken", pool.bytesPerToken());
            printJson(root);
            return status(pool.fits());
        }
        StringBuilder out = new StringBuilder();
        DeploymentReport.line(out, "%s: %s paged cache, maximum concurrency %s for %,d-token requests (%,d fit at"
                + " once)", model.source().displayName(), chosen.name(),
                String.format(Locale.ROOT, "%.2fx", pool.maxConcurrency()), tokens, requests);
        DeploymentReport.line(out, "  %-26s %s per GPU", "GPU memory as CUDA sees it",
                Views.gib(pool.deviceMemoryBytes()));
        DeploymentReport.line(out, "  %-26s %s (%s)", chosen.name() + "'s share", Views.gib(pool.budgetBytes()),
                vllmPool ? "--gpu-memory-utilization " + ((Vllm) chosen).gpuMemoryUtilization()
                        : "--mem-fraction-static " + ((SgLang) chosen).memFractionStatic());
        DeploymentReport.line(out, "  %-26s %s", "weights", Views.gib(pool.weightBytes()));
        if (vllmPool) {
            DeploymentReport.line(out, "  %-26s %s", "activation peak", Views.gib(pool.activationBytes()));
        }
        DeploymentReport.line(out, "  %-26s %s", vllmPool ? "non-torch memory" : "CUDA context's share",
                Views.gib(pool.otherBytes()));
        DeploymentReport.line(out, "  %-26s %s: %,d tokens at %,d bytes each", "KV cache",
                Views.gib(Math.max(0, pool.kvCacheBytes())), pool.tokens(), pool.bytesPerToken());
        print(out.toString());
        return status(pool.fits());
    }
}
