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
 *
 * <h2>Absent values</h2>
 * One rule, in every exported package:
 * <ul>
 *   <li>A result that may lack a value returns {@link java.util.Optional} (or {@code OptionalInt},
 *       {@code OptionalLong}, {@code OptionalDouble}): a plan's limiting device, a scheme's GGUF file type, a
 *       device's unknown throughput. No return value uses -1, 0 or NaN to mean "none". A zero that is a count is a
 *       count (0 routed experts, 0 tokens fit), never absence.</li>
 *   <li>A question the estimator was not set up to answer throws {@link java.lang.IllegalStateException} naming the
 *       call that sets it up, as {@code java.time} throws for a field a temporal does not support; one
 *       {@code Optional} accessor per setup says whether it was given. Without a deployment,
 *       {@link io.github.llmestimator.Estimate#deployment()} is empty and
 *       {@link io.github.llmestimator.Estimate#devices()}, {@code fits()}, {@code decode(int)} and
 *       {@code prefill(int)} throw: an empty {@code fits()} would read as "does not fit", and an empty
 *       {@code prefill} already means "a device's throughput is unknown".</li>
 * </ul>
 */
package io.github.llmestimator;
