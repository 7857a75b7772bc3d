/**
 * Planning: the inverse questions, answered exactly against the {@link io.github.llmestimator.Estimator}. Each solver
 * takes a prepared estimator and returns an immutable {@link io.github.llmestimator.planning.Plan}; this package
 * depends on the estimator, never the other way round. Each plan's {@code of(estimator, ...)} solves:
 * <ul>
 *   <li>{@link io.github.llmestimator.planning.ContextPlan}: the largest context that fits;</li>
 *   <li>{@link io.github.llmestimator.planning.SchemePlan}: the highest-quality scheme that fits, optionally at a decode
 *       speed;</li>
 *   <li>{@link io.github.llmestimator.planning.OffloadPlan}: how much of the model goes to system RAM beside one
 *       GPU;</li>
 *   <li>{@link io.github.llmestimator.planning.ConcurrencyPlan}: how many sequences of a given length a serving
 *       deployment holds at once, and their aggregate decode speed;</li>
 *   <li>{@link io.github.llmestimator.planning.HardwarePlan}: the configuration with the least installed memory, from
 *       a list of devices, that runs the model.</li>
 * </ul>
 * Beside the plans, {@link io.github.llmestimator.planning.QuantFrontier} weighs the schemes that fit against their
 * expected quality loss ({@link io.github.llmestimator.quant.QualityModel}): the size-quality frontier, and the scheme
 * a {@link io.github.llmestimator.planning.QuantObjective} picks from it.
 *
 * <h2>Exact against the estimator</h2>
 * A plan never approximates the estimate: "fits" means {@link io.github.llmestimator.Estimate#fits()} of the estimate
 * the plan carries (or, against a plain memory budget, {@code totalBytes() <= budget}), and the step beyond the answer
 * (one more context token after padding, the next better scheme, one more layer on the GPU, one more sequence, the next
 * cheaper configuration) does not fit. Where memory grows monotonically with the searched quantity the solvers search
 * it in {@code O(log n)} estimates (interpolation, guarded by bisection); they never step through contexts or
 * sequence counts.
 *
 * <h2>Results, not exceptions</h2>
 * "Does not fit" is a result: {@link io.github.llmestimator.planning.Plan#fits()} is false and
 * {@link io.github.llmestimator.planning.Plan#headroomBytes()} is negative by as much as the closest option misses (or,
 * for a speed target, the plan's decode speed says by how much it is too slow). Every plan states what bound the answer
 * ({@link io.github.llmestimator.planning.Binding}: the weights, the KV cache, a device's memory, the speed target, the
 * trained context) and which device. Exceptions are for invalid arguments only: {@link java.lang.NullPointerException}
 * naming the parameter, {@link java.lang.IllegalArgumentException} with the parameter, the value and what is allowed,
 * {@link java.lang.IllegalStateException} when the estimator lacks a setting the solver needs (a scheme, a
 * deployment).
 *
 * <h2>Vocabulary</h2>
 * As in the rest of the library: sizes are bytes in a {@code long} named {@code ...Bytes}; contexts are llama.cpp's
 * {@code -c} (the total of all parallel sequences) in tokens; speeds are {@code tokensPerSecond}. A
 * <em>headroom</em> is usable memory minus what is held: negative when it does not fit. Speed targets are per sequence
 * and hold for the last token of a full context, the slowest one.
 *
 * <p>No method accepts or returns null. Every public type is immutable and thread-safe.
 */
package io.github.llmestimator.planning;
