/**
 * The fluent entry point {@link io.github.llmestimator.Estimator} and its result {@link io.github.llmestimator.Estimate}.
 *
 * <h2>Vocabulary</h2>
 * <ul>
 *   <li>Sizes are bytes in a {@code long}, named {@code ...Bytes}. {@link io.github.llmestimator.memory.DataSize}
 *       converts them to GB (10^9 bytes, as Hugging Face and datasheets print) or GiB (2^30 bytes, as llama.cpp
 *       prints); nothing is shown to a person without one of these units.</li>
 *   <li>Tokens and cells are counted in {@code int} or {@code long} named {@code ...Tokens} or {@code ...Cells}; a
 *       context of {@code n} tokens is llama.cpp's {@code -c n}: the total of all parallel sequences.</li>
 *   <li>{@code ...PerToken} is per cached token; {@code ...PerSequence} per parallel sequence.</li>
 * </ul>
 *
 * <h2>Conventions</h2>
 * No method accepts or returns null: a null argument throws {@link java.lang.NullPointerException} naming the
 * parameter. Bad values throw {@link java.lang.IllegalArgumentException} with the parameter, the value and what is
 * allowed; nothing is clamped. Sums use exact arithmetic and throw {@link java.lang.ArithmeticException} on overflow.
 * Every public type is immutable and thread-safe unless its documentation says otherwise (builders).
 */
package io.github.llmestimator;
