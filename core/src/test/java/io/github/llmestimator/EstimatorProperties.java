package io.github.llmestimator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;

import io.github.llmestimator.memory.KvCacheType;
import io.github.llmestimator.model.ModelSpec;
import io.github.llmestimator.quant.QuantScheme;
import io.github.llmestimator.testing.ModelGenerators;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.quicktheories.generators.Generate;

/** Laws of the whole estimate, over generated models, schemes and contexts. */
final class EstimatorProperties {

    static void moreContextNeverNeedsLessMemory(ModelSpec model, QuantScheme scheme, int c1, int c2) {
        Estimator base = Estimator.of(model).quant(scheme);
        int small = Math.min(c1, c2);
        int large = Math.max(c1, c2);
        Estimate a = base.context(small).estimate();
        Estimate b = base.context(large).estimate();
        assertTrue(a.totalBytes() <= b.totalBytes(), () -> "context " + small + ": " + a + "; context " + large + ": " + b);
        assertTrue(a.kvCacheBytes() <= b.kvCacheBytes());
    }

    static void recurrentStateDoesNotChangeWithContext(ModelSpec model, int c1, int c2) {
        Estimator base = Estimator.of(model).quant(QuantScheme.Q8_0);
        assertEquals(base.context(c1).estimate().recurrentStateBytes(),
                base.context(c2).estimate().recurrentStateBytes());
    }

    static void estimateIsIndependentOfCallOrder(ModelSpec model, QuantScheme scheme, int context, KvCacheType cache,
            int sequences) {
        Estimate first = Estimator.of(model).quant(scheme).context(context).kvCacheType(cache)
                .parallelSequences(sequences).importanceMatrix(true).estimate();
        Estimate second = Estimator.of(model).parallelSequences(sequences).importanceMatrix(true).kvCacheType(cache)
                .context(context).quant(scheme).estimate();
        assertEquals(first, second);
    }

    /**
     * With one shared cache stream, more sequences add state, logits and sliding-window cells and never remove any.
     * (With one stream per sequence the law fails, as it does in llama.cpp: each stream is padded to 256 cells, so a
     * context of 1000 gives 3 sequences 3 x 512 cells but 4 sequences 4 x 256.)
     */
    static void moreSequencesNeverNeedLessMemory(ModelSpec model, int context, int s1, int s2) {
        Estimator base = Estimator.of(model).quant(QuantScheme.Q4_K_M).context(context).unifiedKvCache(true);
        long a = base.parallelSequences(Math.min(s1, s2)).estimate().totalBytes();
        long b = base.parallelSequences(Math.max(s1, s2)).estimate().totalBytes();
        assertTrue(a <= b, () -> a + " > " + b);
    }

    @Test
    void moreContextNeverNeedsLessMemory() {
        qt().withFixedSeed(ModelGenerators.SEED).withExamples(300)
                .forAll(ModelGenerators.models(), ModelGenerators.schemes(), ModelGenerators.contexts(),
                        ModelGenerators.contexts())
                .checkAssert(EstimatorProperties::moreContextNeverNeedsLessMemory);
    }

    @Test
    void recurrentStateDoesNotChangeWithContext() {
        qt().withFixedSeed(ModelGenerators.SEED).withExamples(200)
                .forAll(ModelGenerators.models(), ModelGenerators.contexts(), ModelGenerators.contexts())
                .checkAssert(EstimatorProperties::recurrentStateDoesNotChangeWithContext);
    }

    @Test
    void estimateIsIndependentOfCallOrder() {
        qt().withFixedSeed(ModelGenerators.SEED).withExamples(200)
                .forAll(ModelGenerators.models(), ModelGenerators.schemes(), ModelGenerators.contexts(),
                        Generate.enumValues(KvCacheType.class))
                // QuickTheories takes at most four generators; the sequence count varies with the context
                .checkAssert((model, scheme, context, cache) ->
                        estimateIsIndependentOfCallOrder(model, scheme, context, cache, 1 + context % 8));
    }

    @Test
    void moreSequencesNeverNeedLessMemory() {
        qt().withFixedSeed(ModelGenerators.SEED).withExamples(200)
                .forAll(ModelGenerators.models(), ModelGenerators.contexts(), Generate.range(1, 16),
                        Generate.range(1, 16))
                .checkAssert(EstimatorProperties::moreSequencesNeverNeedLessMemory);
    }

    /** One prepared estimator shared by threads gives every thread the answer it gives alone. */
    @Test
    void sharedEstimatorIsThreadSafe() throws Exception {
        Estimator base = Estimator.of(io.github.llmestimator.testing.ReferenceModels.qwen3Next_80b())
                .quant(QuantScheme.Q4_K_M);
        List<Long> expected = new ArrayList<>();
        for (int c = 1; c <= 64; c++) {
            expected.add(base.context(c * 4096).estimate().totalBytes());
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<List<Long>>> results = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                results.add(pool.submit(() -> {
                    List<Long> mine = new ArrayList<>();
                    for (int c = 1; c <= 64; c++) {
                        mine.add(base.context(c * 4096).estimate().totalBytes());
                    }
                    return mine;
                }));
            }
            for (Future<List<Long>> result : results) {
                assertEquals(expected, result.get());
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
