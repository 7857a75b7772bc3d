package io.github.llmestimator.model;

/** Argument checks whose messages name the parameter, the value and what is allowed. */
final class Checks {

    private Checks() {
    }

    static int positive(String name, int value) {
        if (value < 1) {
            throw new IllegalArgumentException(name + ": " + value + " (expected: >= 1)");
        }
        return value;
    }

    static int nonNegative(String name, int value) {
        if (value < 0) {
            throw new IllegalArgumentException(name + ": " + value + " (expected: >= 0)");
        }
        return value;
    }

    static String blk(int layer, String tensor) {
        return "blk." + layer + "." + tensor;
    }
}
