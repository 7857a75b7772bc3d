package io.github.llmestimator.internal;

/**
 * The argument checks of every package of core, in one wording: {@code <name>: <value> (expected: <rule>)}, the form
 * of every other message of the library, so that a message names the parameter, the value and what is allowed.
 *
 * <p>Not exported: the module does not export this package; its types may change without notice.
 */
public final class Checks {

    private Checks() {
    }

    /**
     * Requires a count or size of at least 1.
     *
     * @param name the parameter's name
     * @param value the value
     * @return the value
     * @throws IllegalArgumentException if {@code value} is below 1
     */
    public static int positive(String name, int value) {
        return (int) atLeast(name, value, 1);
    }

    /**
     * Requires a count or size of at least 1.
     *
     * @param name the parameter's name
     * @param value the value
     * @return the value
     * @throws IllegalArgumentException if {@code value} is below 1
     */
    public static long positive(String name, long value) {
        return atLeast(name, value, 1);
    }

    /**
     * Requires a count or size of at least 0.
     *
     * @param name the parameter's name
     * @param value the value
     * @return the value
     * @throws IllegalArgumentException if {@code value} is negative
     */
    public static int nonNegative(String name, int value) {
        return (int) atLeast(name, value, 0);
    }

    /**
     * Requires a value of at least a minimum.
     *
     * @param name the parameter's name
     * @param value the value
     * @param minimum the least allowed value
     * @return the value
     * @throws IllegalArgumentException if {@code value} is below {@code minimum}
     */
    public static long atLeast(String name, long value, long minimum) {
        if (value < minimum) {
            throw refused(name, value, ">= " + minimum);
        }
        return value;
    }

    /**
     * Requires a value in a closed range.
     *
     * @param name the parameter's name
     * @param value the value
     * @param low the least allowed value
     * @param high the largest allowed value
     * @param why appended to the rule, e.g. {@code " GPUs"} or {@code " for <model>: 32 layers"}; may be empty
     * @return the value
     * @throws IllegalArgumentException if {@code value} is outside {@code low} to {@code high}
     */
    public static int between(String name, int value, int low, int high, String why) {
        if (value < low || value > high) {
            throw refused(name, value, low + " to " + high + why);
        }
        return value;
    }

    /**
     * Requires a finite number above 0.
     *
     * @param name the parameter's name
     * @param value the value
     * @param unit appended to the rule, e.g. {@code " GB/s"}; may be empty
     * @return the value
     * @throws IllegalArgumentException if {@code value} is not finite and above 0
     */
    public static double positiveFinite(String name, double value, String unit) {
        if (!(value > 0) || Double.isInfinite(value)) {
            throw refused(name, value, "a finite number > 0" + unit);
        }
        return value;
    }

    /**
     * Returns the exception for a refused argument, for checks too particular for the methods above.
     *
     * @param name the parameter's name
     * @param value the value
     * @param rule what is allowed
     * @return the exception, to throw
     */
    public static IllegalArgumentException refused(String name, Object value, String rule) {
        return new IllegalArgumentException(name + ": " + value + " (expected: " + rule + ")");
    }
}
