package io.github.llmestimator.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;

import io.github.llmestimator.model.MixerBlock;
import io.github.llmestimator.model.Layer;
import io.github.llmestimator.model.ModelSpec;
import io.github.llmestimator.testing.ModelGenerators;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.quicktheories.generators.Generate;

/** Laws of the KV cache and recurrent state. */
final class KvCacheProperties {

    /**
     * Full-context KV is a step function of the context: constant within one padding step of 256, and linear across
     * steps (n steps cost n times one step).
     */
    static void fullContextKvIsLinearBetweenPaddingSteps(ModelSpec model, int steps, int offset) {
        ContextMemory one = ContextMemory.of(model, ContextSettings.defaults(256));
        ContextMemory many = ContextMemory.of(model, ContextSettings.defaults(256 * steps));
        ContextMemory within = ContextMemory.of(model, ContextSettings.defaults(256 * (steps - 1) + offset));
        assertEquals(Math.multiplyExact(one.fullAttentionKvBytes(), (long) steps), many.fullAttentionKvBytes());
        assertEquals(many.fullAttentionKvBytes(), within.fullAttentionKvBytes());
    }

    static void slidingWindowKvIsBoundedByTheWindow(ModelSpec model, int context) {
        ContextSettings settings = ContextSettings.defaults(context);
        ContextMemory memory = ContextMemory.of(model, settings);
        long sum = 0;
        for (Layer layer : model.layers()) {
            MixerBlock a = layer.mixer();
            if (a.slidingWindowTokens() > 0) {
                long cells = ContextSettings.pad(a.slidingWindowTokens() + 512L);
                sum += cells * (2 * a.keyCacheElementsPerToken() + 2 * a.valueCacheElementsPerToken());
            }
        }
        long bound = sum;
        assertTrue(memory.slidingWindowKvBytes() <= bound, () -> memory.slidingWindowKvBytes() + " > " + bound);
    }

    static void smallerCacheTypesNeverWeighMore(ModelSpec model, int context) {
        ContextSettings settings = ContextSettings.defaults(context);
        long f32 = ContextMemory.of(model, settings.withCacheTypes(KvCacheType.F32, KvCacheType.F32)).kvCacheBytes();
        long f16 = ContextMemory.of(model, settings).kvCacheBytes();
        long q8 = ContextMemory.of(model, settings.withCacheTypes(KvCacheType.Q8_0, KvCacheType.Q8_0)).kvCacheBytes();
        long q4 = ContextMemory.of(model, settings.withCacheTypes(KvCacheType.Q4_0, KvCacheType.Q4_0)).kvCacheBytes();
        assertTrue(q4 <= q8 && q8 <= f16 && f16 <= f32);
    }

    @Test
    void fullContextKvIsLinearBetweenPaddingSteps() {
        Set<Class<?>> kinds = new HashSet<>();
        qt().withFixedSeed(ModelGenerators.SEED).withExamples(300)
                .forAll(ModelGenerators.models(), Generate.range(1, 4096), Generate.range(1, 256))
                .checkAssert((model, steps, offset) -> {
                    model.layers().forEach(l -> kinds.add(l.mixer().getClass()));
                    fullContextKvIsLinearBetweenPaddingSteps(model, steps, offset);
                });
        assertEquals(6, kinds.size(), () -> "attention kinds generated: " + kinds);
    }

    @Test
    void slidingWindowKvIsBoundedByTheWindow() {
        qt().withFixedSeed(ModelGenerators.SEED).withExamples(300)
                .forAll(ModelGenerators.models(), ModelGenerators.contexts())
                .checkAssert(KvCacheProperties::slidingWindowKvIsBoundedByTheWindow);
    }

    @Test
    void smallerCacheTypesNeverWeighMore() {
        qt().withFixedSeed(ModelGenerators.SEED).withExamples(300)
                .forAll(ModelGenerators.models(), ModelGenerators.contexts())
                .checkAssert(KvCacheProperties::smallerCacheTypesNeverWeighMore);
    }
}
