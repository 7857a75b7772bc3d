package io.github.llmestimator.hardware;

/** Argument checks whose messages name the parameter, the value and what is allowed (the one place for them). */
final class Checks {

    private Checks() {
    }

    static double positiveFinite(String name, double value, String unit) {
        if (!(value > 0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException(name + ": " + value + " (expected: a finite number > 0" + unit + ")");
        }
        return value;
    }

    static long positive(String name, long value) {
        if (value < 1) {
            throw new IllegalArgumentException(name + ": " + value + " (expected: > 0)");
        }
        return value;
    }

    static int atLeast(String name, int value, int minimum) {
        if (value < minimum) {
            throw new IllegalArgumentException(name + ": " + value + " (expected: >= " + minimum + ")");
        }
        return value;
    }

    static int between(String name, int value, int low, int high, String what) {
        if (value < low || value > high) {
            throw new IllegalArgumentException(name + ": " + value + " (expected: " + low + " to " + high + what + ")");
        }
        return value;
    }

    static IllegalArgumentException devices(java.util.List<Device> devices, String expected) {
        StringBuilder kinds = new StringBuilder("[");
        for (int i = 0; i < devices.size(); i++) {
            kinds.append(i == 0 ? "" : ", ").append(devices.get(i).name()).append(' ').append(devices.get(i).kind());
        }
        return new IllegalArgumentException("devices: " + kinds.append(']') + " (expected: " + expected + ")");
    }
}
