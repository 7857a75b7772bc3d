package io.github.llmestimator.quant;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;

import io.github.llmestimator.model.ModelSpec;
import io.github.llmestimator.testing.ModelGenerators;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.quicktheories.generators.Generate;

/** Laws of storage types and schemes. */
final class QuantSchemeProperties {

    static void moreBitsPerWeightNeverWeighLess(TensorType a, TensorType b, long rowBlocks, long rows) {
        long rowLength = rowBlocks * 256;
        if (!a.acceptsRowLength(rowLength) || !b.acceptsRowLength(rowLength) || a.bitsPerWeight() > b.bitsPerWeight()) {
            return;
        }
        assertTrue(a.tensorBytes(rowLength, rows) <= b.tensorBytes(rowLength, rows),
                () -> a + " (" + a.bitsPerWeight() + " bpw) weighs more than " + b + " (" + b.bitsPerWeight() + ")");
    }

    static void everyTensorIsAssignedAndSized(ModelSpec model, QuantScheme scheme) {
        QuantizedWeights weights = scheme.assign(model);
        long sum = 0;
        for (TensorAssignment assignment : weights.assignments()) {
            assertTrue(assignment.bytes() > 0);
            sum += assignment.bytes();
        }
        assertTrue(sum == weights.fileTensorBytes());
        assertTrue(weights.loadedBytes() <= weights.fileTensorBytes());
    }

    static void uniformSchemesOrderByWidth(ModelSpec model) {
        long f32 = QuantScheme.F32.assign(model).loadedBytes();
        long f16 = QuantScheme.F16.assign(model).loadedBytes();
        long q8 = QuantScheme.Q8_0.assign(model).loadedBytes();
        long q4 = QuantScheme.Q4_0.assign(model).loadedBytes();
        assertTrue(q4 <= q8 && q8 <= f16 && f16 <= f32, () -> q4 + " <= " + q8 + " <= " + f16 + " <= " + f32);
    }

    @Test
    void moreBitsPerWeightNeverWeighLess() {
        qt().withFixedSeed(ModelGenerators.SEED).withExamples(2000)
                .forAll(Generate.enumValues(TensorType.class), Generate.enumValues(TensorType.class),
                        Generate.longRange(1, 64), Generate.longRange(1, 4096))
                .checkAssert(QuantSchemeProperties::moreBitsPerWeightNeverWeighLess);
    }

    @Test
    void everyTensorIsAssignedAndSized() {
        Set<QuantScheme> seen = EnumSet.noneOf(QuantScheme.class);
        qt().withFixedSeed(ModelGenerators.SEED).withExamples(500)
                .forAll(ModelGenerators.models(), ModelGenerators.schemes())
                .checkAssert((model, scheme) -> {
                    seen.add(scheme);
                    everyTensorIsAssignedAndSized(model, scheme);
                });
        assertTrue(seen.equals(EnumSet.allOf(QuantScheme.class)), () -> "schemes never generated: "
                + EnumSet.complementOf(EnumSet.copyOf(seen)));
    }

    @Test
    void uniformSchemesOrderByWidth() {
        qt().withFixedSeed(ModelGenerators.SEED).withExamples(200)
                .forAll(ModelGenerators.models())
                .checkAssert(QuantSchemeProperties::uniformSchemesOrderByWidth);
    }
}
