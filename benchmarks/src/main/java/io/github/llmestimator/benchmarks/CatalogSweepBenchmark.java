package io.github.llmestimator.benchmarks;

import io.github.llmestimator.Estimator;
import io.github.llmestimator.catalog.Catalog;
import io.github.llmestimator.catalog.ModelPreset;
import io.github.llmestimator.model.ModelSpec;
import io.github.llmestimator.quant.QuantScheme;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A full sweep: every catalog model x every scheme x 16 contexts from 1K to 1M tokens: one estimator per model (its
 * tensors classified once), each scheme assigned once per model, every context estimated. Goal: at most 2 ms per
 * sweep on a 2-core machine.
 *
 * <p>Run: {@code java -jar benchmarks/target/benchmarks.jar CatalogSweepBenchmark -prof gc}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 8, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class CatalogSweepBenchmark {

    private static final int[] CONTEXTS = {1024, 2048, 4096, 8192, 12288, 16384, 24576, 32768, 49152, 65536, 98304,
        131072, 196608, 262144, 524288, 1048576};

    private List<ModelSpec> models;

    /** Loads the catalog (outside the measurement). */
    @Setup
    public void setUp() {
        models = Catalog.models().stream().map(ModelPreset::spec).collect(Collectors.toList());
    }

    /**
     * Sums the total bytes over the whole sweep, so that no estimate can be skipped.
     *
     * @return the sum of every estimate's total bytes
     */
    @Benchmark
    public long sweep() {
        long sum = 0;
        for (ModelSpec model : models) {
            Estimator byModel = Estimator.of(model);
            for (QuantScheme scheme : QuantScheme.values()) {
                Estimator base = byModel.quant(scheme);
                for (int context : CONTEXTS) {
                    sum += base.context(context).estimate().totalBytes();
                }
            }
        }
        return sum;
    }
}
