package io.github.llmestimator.runtime;

import io.github.llmestimator.hardware.TensorParallel;

/** Argument checks whose messages name the parameter, the value and what is allowed. */
final class Checks {

    private Checks() {
    }

    static void positive(String name, long value) {
        if (value < 1) {
            throw new IllegalArgumentException(name + ": " + value + " (expected: >= 1)");
        }
    }

    static void tensorParallel(int gpus) {
        if (gpus < 1 || gpus > TensorParallel.MAX_DEVICES) {
            throw new IllegalArgumentException("tensorParallel: " + gpus + " (expected: 1 to "
                    + TensorParallel.MAX_DEVICES + ")");
        }
    }

    static void nonNegative(String name, long value) {
        if (value < 0) {
            throw new IllegalArgumentException(name + ": " + value + " (expected: >= 0)");
        }
    }
}
