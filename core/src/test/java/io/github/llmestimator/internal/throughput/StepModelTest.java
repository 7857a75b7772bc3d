package io.github.llmestimator.internal.throughput;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The closed forms of the step model, worked out by hand. */
final class StepModelTest {

    @Test
    void causalCells_closedForm() {
        // 1 + 2 + ... + 10 = 55; with a window of 4: 1 + 2 + 3 + 4 + 6 x 4 = 34; cells 6..10 with window 4: 5 x 4
        assertEquals(55, StepModel.causalCells(1, 10, Integer.MAX_VALUE));
        assertEquals(34, StepModel.causalCells(1, 10, 4));
        assertEquals(20, StepModel.causalCells(6, 10, 4));
        assertEquals(3 + 4 + 4, StepModel.causalCells(3, 5, 4));
    }
}
