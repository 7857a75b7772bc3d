package io.github.llmestimator.model;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;

import io.github.llmestimator.testing.ModelGenerators;
import org.junit.jupiter.api.Test;

/** Laws of parameter counting. */
final class ModelSpecProperties {

    static void activeParametersNeverExceedTotal(ModelSpec model) {
        assertTrue(model.activeParameters() <= model.totalParameters(),
                () -> model.activeParameters() + " active > " + model.totalParameters() + " total");
        assertTrue(model.totalParameters() <= model.fileParameters());
        if (!model.isMixtureOfExperts()) {
            long expected = model.totalParameters() - model.parameters(TensorRole.TOKEN_EMBEDDING) + model.hiddenSize();
            assertTrue(model.activeParameters() == expected);
        }
    }

    @Test
    void activeParametersNeverExceedTotal() {
        qt().withFixedSeed(ModelGenerators.SEED).withExamples(500)
                .forAll(ModelGenerators.models())
                .checkAssert(ModelSpecProperties::activeParametersNeverExceedTotal);
    }
}
