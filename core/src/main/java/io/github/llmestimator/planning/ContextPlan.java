package io.github.llmestimator.planning;

import io.github.llmestimator.Estimate;
import io.github.llmestimator.Estimator;
import io.github.llmestimator.internal.Checks;
import io.github.llmestimator.memory.ContextSettings;
import io.github.llmestimator.memory.DataSize;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.function.LongFunction;
import java.util.function.ToLongFunction;

/**
 * The largest context that fits: on each device of a deployment ({@link #of(Estimator)}) or under a memory
 * budget ({@link #of(Estimator, DataSize)}), for the estimator's model, scheme, cache types, parallel sequences and
 * every other setting, up to the model's trained context.
 *
 * <p>llama.cpp pads the context to a multiple of 256 ({@link ContextSettings#CONTEXT_PADDING}) before it sizes any
 * buffer, so memory is a step function of the context that only steps at multiples of 256, and never falls as the
 * context grows. The answer is therefore a multiple of 256 (or the trained context), and it is exact against the
 * estimator: the estimate at {@code contextTokens} fits, and the estimate at {@code contextTokens + 1} (padded to
 * the next 256) does not, unless {@code contextTokens} is the trained context. One exception: a context shorter than
 * the micro-batch reserves only as many tokens as it asks for (llama.cpp caps {@code n_batch} by the context before
 * padding), so there the compute buffer also grows within a block, and an answer below the micro-batch is the
 * largest multiple of 256 that fits, where a few tokens more might fit too. The solver searches the padded blocks
 * with {@link Search} in {@code O(log n)} estimates, usually four to six.
 *
 * @param contextTokens the largest context ({@code -c}, all sequences together) that fits, or 0 when not even the
 *     smallest does
 * @param binding {@link Binding#KV_CACHE} when one more padded block does not fit, {@link Binding#TRAINED_CONTEXT}
 *     when the trained context fits, and {@link Binding#WEIGHTS} or {@link Binding#KV_CACHE} when nothing fits
 * @param limitingDeviceIndex the device that does not hold the next block (or the smallest context), or empty
 * @param headroomBytes the memory left at {@code contextTokens} on the limiting (else the tightest) device or under
 *     the budget; negative by the shortfall of the smallest context when nothing fits
 * @param estimate the estimate at {@code contextTokens}, or at the smallest context when nothing fits
 */
public record ContextPlan(int contextTokens, Binding binding, OptionalInt limitingDeviceIndex, long headroomBytes,
        Estimate estimate) implements Plan {

    /**
     * Validates the components.
     *
     * @param contextTokens the largest context ({@code -c}, all sequences together) that fits, or 0 when not even the
     *     smallest does
     * @param binding {@link Binding#KV_CACHE} when one more padded block does not fit,
     *     {@link Binding#TRAINED_CONTEXT} when the trained context fits, and {@link Binding#WEIGHTS} or
     *     {@link Binding#KV_CACHE} when nothing fits
     * @param limitingDeviceIndex the device that does not hold the next block (or the smallest context), or empty
     * @param headroomBytes the memory left at {@code contextTokens} on the limiting (else the tightest) device or
     *     under the budget; negative by the shortfall of the smallest context when nothing fits
     * @param estimate the estimate at {@code contextTokens}, or at the smallest context when nothing fits
     * @throws NullPointerException if {@code binding} or {@code estimate} is null
     * @throws IllegalArgumentException if {@code contextTokens} is negative, or {@code limitingDeviceIndex} names no
     *     device of the estimate
     */
    public ContextPlan {
        Objects.requireNonNull(binding, "binding");
        Objects.requireNonNull(estimate, "estimate");
        if (contextTokens < 0) {
            throw new IllegalArgumentException("contextTokens: " + contextTokens + " (expected: >= 0)");
        }
        Fit.checkDeviceIndex(limitingDeviceIndex, estimate);
    }

    /**
     * Finds the largest context whose estimate fits every device of the estimator's deployment, up to the model's
     * trained context. Exact against {@link Estimator#estimate()}: the answer fits and one more token (padded to the
     * next 256) does not.
     *
     * @param estimator a scheme and a deployment chosen, not null
     * @return the plan
     * @throws NullPointerException if {@code estimator} is null
     * @throws IllegalStateException if the estimator has no scheme or no deployment, or its settings do not work
     *     together
     */
    public static ContextPlan of(Estimator estimator) {
        Objects.requireNonNull(estimator, "estimator");
        Fit.deployment(estimator.estimate(), "maxContext()");
        return solve(estimator, -1);
    }

    /**
     * Finds the largest context whose estimate's {@link Estimate#totalBytes()} is at most a budget, up to the
     * model's trained context. The estimator's deployment, if any, is not consulted.
     *
     * @param estimator a scheme chosen, not null
     * @param budget the budget, at least 1 byte, not null
     * @return the plan
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if {@code budget} is zero
     * @throws IllegalStateException if the estimator has no scheme, or its settings do not work together
     */
    public static ContextPlan of(Estimator estimator, DataSize budget) {
        Objects.requireNonNull(estimator, "estimator");
        long memoryBytes = Checks.positive("memoryBytes", Objects.requireNonNull(budget, "budget").bytes());
        return solve(estimator, memoryBytes);
    }

    /** A negative budget means: fit the deployment. */
    private static ContextPlan solve(Estimator estimator, long budgetBytes) {
        boolean budget = budgetBytes >= 0;
        int padding = ContextSettings.CONTEXT_PADDING;
        int cap = Math.min(estimator.model().maxContextTokens(), Fit.MAX_CONTEXT_TOKENS);
        long blocks = ((long) cap + padding - 1) / padding;
        LongFunction<Estimate> probe = block -> estimator.context((int) Math.min(block * padding, cap)).estimate();
        ToLongFunction<Estimate> headroom = budget ? e -> Fit.headroom(e, budgetBytes) : Fit::headroom;
        Search.Outcome<Estimate> found = Search.lastFitting(1, blocks, probe, headroom);
        if (!found.found(1)) {
            Estimate smallest = found.atNext;
            if (budget) {
                return new ContextPlan(0, Fit.binding(smallest, budgetBytes), -1, headroom.applyAsLong(smallest),
                        smallest);
            }
            int device = Fit.tightest(smallest);
            return new ContextPlan(0, Fit.binding(smallest, device), device, Fit.headroom(smallest, device), smallest);
        }
        Estimate answer = found.atLast;
        int context = (int) Math.min(found.last * padding, cap);
        if (found.atNext == null) {
            return new ContextPlan(context, Binding.TRAINED_CONTEXT, -1, headroom.applyAsLong(answer), answer);
        }
        if (budget) {
            return new ContextPlan(context, Binding.KV_CACHE, -1, headroom.applyAsLong(answer), answer);
        }
        int device = Fit.tightest(found.atNext);
        return new ContextPlan(context, Binding.KV_CACHE, device, Fit.headroom(answer, device), answer);
    }

    /**
     * Returns whether some context fits, defined as {@code contextTokens > 0}.
     *
     * @return true when a context fits
     */
    @Override
    public boolean fits() {
        return contextTokens > 0;
    }

    /**
     * Returns the context each parallel sequence gets, defined as {@code contextTokens / parallelSequences}.
     *
     * @return tokens per sequence, 0 when nothing fits
     */
    public int contextTokensPerSequence() {
        return contextTokens / estimate.context().settings().parallelSequences();
    }

    /** The plan with the limiting device as the solvers track it: its index, or -1 for none. */
    ContextPlan(int contextTokens, Binding binding, int device, long headroomBytes, Estimate estimate) {
        this(contextTokens, binding, Fit.index(device), headroomBytes, estimate);
    }

    @Override
    public String toString() {
        String model = estimate.weights().model().name();
        return "ContextPlan[" + model + ": " + (fits() ? contextTokens + " tokens" : "does not fit") + ", " + binding
                + Fit.deviceName(estimate, limitingDeviceIndex) + ", headroom "
                + Fit.bytes(headroomBytes) + "]";
    }
}
