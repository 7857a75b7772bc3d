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

    /** Checks the arguments of a block's {@code tensors(layer, hiddenSize)}. */
    static void tensorArguments(int layer, int hiddenSize) {
        if (layer < 0 || layer >= ModelSpec.MAX_LAYERS) {
            throw new IllegalArgumentException("layer: " + layer + " (expected: 0 to " + (ModelSpec.MAX_LAYERS - 1)
                    + ", a layer of a spec)");
        }
        positive("hiddenSize", hiddenSize);
    }
}
