package io.github.llmestimator.benchmarks;

import io.github.llmestimator.Estimate;
import io.github.llmestimator.Estimator;
import io.github.llmestimator.catalog.Catalog;
import io.github.llmestimator.catalog.Hardware;
import io.github.llmestimator.hardware.Deployment;
import io.github.llmestimator.hardware.DeviceUsage;
import io.github.llmestimator.quant.QuantScheme;
import java.util.Collections;
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
 * The hot path: {@code base.context(c).estimate()} on a prepared base (model and scheme chosen once), as a slider or
 * a sweep calls it: each operation takes the next of 16 contexts, {@code context} and the 15 cache sizes above it in
 * llama.cpp's steps of 256 cells, so that what an estimate remembers of the last one (its compute-buffer curve) is
 * exercised as a slider would, not a single context asked again. Each context's first compute buffer (a replay of
 * llama.cpp's graph, milliseconds) is worked out in the setup, outside the measurement. Goal: at most 30 ns per
 * operation, flat in the context and the model. With a deployment ({@code estimateOnDeployment}: every tensor placed
 * once when the base is prepared), every device's memory, whether it fits and the speed model's coefficients come
 * with each estimate; the per-device usage objects are made when asked ({@code estimateOnDeploymentDevices}). Goal:
 * at most 100 ns per operation. The deployments: Qwen3.5-397B-A17B over 4 H200 with tensor parallelism, Llama-3.1-8B
 * on an RTX 4090, DeepSeek-V3 split by layers over 8 H200.
 *
 * <p>Run: {@code java -jar benchmarks/target/benchmarks.jar EstimateBenchmark -prof gc}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class EstimateBenchmark {

    /** Catalog ids: the flagship hybrid MoE, a dense 8B and a 61-layer MLA MoE. */
    @Param({"qwen3.5-397b-a17b", "llama-3.1-8b", "deepseek-v3"})
    public String model;

    /** Context lengths from 1K to 256K, the first of each operation's 16: the cost must not depend on them. */
    @Param({"1024", "32768", "262144"})
    public int context;

    private static final int SLIDER_POSITIONS = 16;

    private final int[] contexts = new int[SLIDER_POSITIONS];
    private int next;

    private Estimator base;
    private Estimator onDeployment;

    /** Prepares the base estimator: the scheme's per-tensor assignment happens here, once. */
    @Setup
    public void setUp() {
        base = Estimator.of(Catalog.model(model).spec()).quant(QuantScheme.Q4_K_M);
        Deployment deployment = model.startsWith("qwen") ? Deployment.tensorParallel(Hardware.H200, 4)
                : model.startsWith("llama") ? Deployment.of(Hardware.RTX_4090)
                : Deployment.layerSplit(Collections.nCopies(8, Hardware.H200));
        onDeployment = base.on(deployment);
        for (int i = 0; i < SLIDER_POSITIONS; i++) {
            contexts[i] = context + 256 * i;
            onDeployment.context(contexts[i]).estimate();
        }
    }

    private int nextContext() {
        int c = contexts[next];
        next = (next + 1) % SLIDER_POSITIONS;
        return c;
    }

    /**
     * One estimate through the fluent API.
     *
     * @return the estimate, consumed by JMH
     */
    @Benchmark
    public Estimate estimate() {
        return base.context(nextContext()).estimate();
    }

    /**
     * One estimate on a deployment through the fluent API: per-device memory and the speed model.
     *
     * @return the estimate, consumed by JMH
     */
    @Benchmark
    public Estimate estimateOnDeployment() {
        return onDeployment.context(nextContext()).estimate();
    }

    /**
     * The same, then each device's usage as an object ({@link Estimate#devices()}), which an estimate makes only when
     * asked: what a report that prints every device pays.
     *
     * @return the usages, consumed by JMH
     */
    @Benchmark
    public List<DeviceUsage> estimateOnDeploymentDevices() {
        return onDeployment.context(nextContext()).estimate().devices();
    }
}
