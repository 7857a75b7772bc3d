package io.github.llmestimator.quant;

import java.util.Objects;

/**
 * The expected quality loss of a quantization scheme: the mean Kullback-Leibler divergence of its next-token
 * distribution from the unquantized model's, as llama.cpp's {@code llama-perplexity --kl-divergence} measures it, with
 * the range it is known to within. 0 means the distributions are the same.
 *
 * @param meanKld the expected mean KL-divergence, finite and at least 0
 * @param lowKld the low end of its range, at most {@code meanKld}
 * @param highKld the high end of its range, at least {@code meanKld}, finite
 * @param basis where the figure comes from (a measurement and its source, or the rule that gave it), not blank
 */
public record QuantQuality(double meanKld, double lowKld, double highKld, String basis) {

    /**
     * Validates the components.
     *
     * @param meanKld the expected mean KL-divergence, finite and at least 0
     * @param lowKld the low end of its range, at least 0 and at most {@code meanKld}
     * @param highKld the high end of its range, at least {@code meanKld}, finite
     * @param basis where the figure comes from, not blank
     * @throws NullPointerException if {@code basis} is null
     * @throws IllegalArgumentException if a value is negative or not finite, the values are not ordered
     *     {@code low <= mean <= high}, or {@code basis} is blank
     */
    public QuantQuality {
        Objects.requireNonNull(basis, "basis");
        if (basis.isBlank()) {
            throw new IllegalArgumentException("basis: blank (expected: the source or rule of the figure)");
        }
        check("meanKld", meanKld);
        check("lowKld", lowKld);
        check("highKld", highKld);
        if (lowKld > meanKld || meanKld > highKld) {
            throw new IllegalArgumentException("meanKld: " + meanKld + " (expected: between lowKld = " + lowKld
                    + " and highKld = " + highKld + ")");
        }
    }

    private static void check(String name, double value) {
        if (!(value >= 0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException(name + ": " + value + " (expected: a finite number >= 0)");
        }
    }
}
