package io.github.llmestimator.benchmarks;

import io.github.llmestimator.Estimator;
import io.github.llmestimator.catalog.Catalog;
import io.github.llmestimator.catalog.CatalogPlanning;
import io.github.llmestimator.catalog.Hardware;
import io.github.llmestimator.hardware.Deployment;
import io.github.llmestimator.hardware.Device;
import io.github.llmestimator.model.ModelSpec;
import io.github.llmestimator.planning.ConcurrencyPlan;
import io.github.llmestimator.planning.ContextPlan;
import io.github.llmestimator.planning.HardwarePlan;
import io.github.llmestimator.planning.OffloadPlan;
import io.github.llmestimator.planning.PagedKvCache;
import io.github.llmestimator.planning.SchemePlan;
import io.github.llmestimator.quant.QuantScheme;
import java.util.List;
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
 * The planning solvers of issue 6, each on a prepared estimator (model, scheme and devices chosen once, outside the
 * measurement), at a context of 32,768:
 * <ul>
 *   <li>{@code maxContext}: Llama-3.1-8B Q4_K_M on an RTX 3060 12GB (the KV cache binds); Qwen3.5-397B-A17B Q4_K_M on
 *       an M3 Ultra.</li>
 *   <li>{@code bestQuant}: the 26 default schemes on the same devices; those whose weights exceed the device are
 *       passed over without an estimate.</li>
 *   <li>{@code offloadSplit}: on an RTX 3060 12GB + 64 GiB DDR5 (Llama), an RTX 5090 + 256 GiB DDR5 (Qwen, the issue's
 *       example).</li>
 *   <li>{@code concurrency} (llama.cpp slots) and {@code concurrencyPaged} (vLLM's view): Llama BF16 on one H100 SXM,
 *       Qwen FP8 over 4 H200 with tensor parallelism.</li>
 *   <li>{@code minimumHardware}: every catalog device, up to 8 of each GPU, at Q4_K_M.</li>
 * </ul>
 *
 * <p>An estimator chain keeps the schemes' weights and the placements it has worked out, so these figures are of a
 * solver asked again (an interactive grid, a service): the first call on a new model also assigns the types and places
 * the tensors of each candidate it estimates. Goal: at most 5 µs per solver, 50 µs for {@code minimumHardware}.
 *
 * <p>Run: {@code java -jar benchmarks/target/benchmarks.jar PlanningBenchmark -prof gc}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class PlanningBenchmark {

    private static final int CONTEXT = 32_768;

    /** Catalog ids: a dense 8B and the flagship hybrid MoE. */
    @Param({"llama-3.1-8b", "qwen3.5-397b-a17b"})
    public String model;

    private Estimator onDevice;
    private Estimator unquantizedOnDevice;
    private Estimator quantized;
    private Device gpu;
    private Device systemRam;
    private Estimator serving;
    private List<Device> catalogDevices;

    /** Prepares the estimators: schemes assigned, tensors placed, the catalog loaded. */
    @Setup
    public void setUp() {
        ModelSpec spec = Catalog.model(model).spec();
        boolean dense = model.startsWith("llama");
        Device device = dense ? Hardware.RTX_3060_12GB : Hardware.M3_ULTRA;
        quantized = Estimator.of(spec).quant(QuantScheme.Q4_K_M).context(CONTEXT);
        onDevice = quantized.on(device);
        unquantizedOnDevice = Estimator.of(spec).context(CONTEXT).on(device);
        gpu = dense ? Hardware.RTX_3060_12GB : Hardware.RTX_5090;
        systemRam = Hardware.DDR5_5600_DUAL_CHANNEL.withMemoryBytes((dense ? 64L : 256L) << 30);
        serving = dense ? Estimator.of(spec).quant(QuantScheme.BF16).on(Hardware.H100_SXM)
                : Estimator.of(spec).quant(QuantScheme.FP8).on(Deployment.tensorParallel(Hardware.H200, 4));
        catalogDevices = CatalogPlanning.devices();
    }

    /**
     * The largest context on the device.
     *
     * @return the plan, consumed by JMH
     */
    @Benchmark
    public ContextPlan maxContext() {
        return ContextPlan.of(onDevice);
    }

    /**
     * The best of the default schemes on the device.
     *
     * @return the plan, consumed by JMH
     */
    @Benchmark
    public SchemePlan bestQuant() {
        return SchemePlan.of(unquantizedOnDevice);
    }

    /**
     * The GPU + system RAM split.
     *
     * @return the plan, consumed by JMH
     */
    @Benchmark
    public OffloadPlan offloadSplit() {
        return OffloadPlan.of(quantized, gpu, systemRam);
    }

    /**
     * llama.cpp slots of 32,768 tokens on the serving deployment.
     *
     * @return the plan, consumed by JMH
     */
    @Benchmark
    public ConcurrencyPlan concurrency() {
        return ConcurrencyPlan.of(serving, CONTEXT);
    }

    /**
     * vLLM's paged view of requests of 32,768 tokens on the serving deployment.
     *
     * @return the plan, consumed by JMH
     */
    @Benchmark
    public ConcurrencyPlan concurrencyPaged() {
        return ConcurrencyPlan.of(serving, CONTEXT, PagedKvCache.VLLM_DEFAULTS);
    }

    /**
     * The catalog configuration with the least memory.
     *
     * @return the plan, consumed by JMH
     */
    @Benchmark
    public HardwarePlan minimumHardware() {
        return HardwarePlan.of(quantized, catalogDevices);
    }
}
