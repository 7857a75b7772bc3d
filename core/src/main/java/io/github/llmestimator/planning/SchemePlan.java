package io.github.llmestimator.planning;

import static io.github.llmestimator.quant.QuantScheme.AWQ_INT4;
import static io.github.llmestimator.quant.QuantScheme.BF16;
import static io.github.llmestimator.quant.QuantScheme.F16;
import static io.github.llmestimator.quant.QuantScheme.F32;
import static io.github.llmestimator.quant.QuantScheme.FP8;
import static io.github.llmestimator.quant.QuantScheme.GPTQ_INT4;
import static io.github.llmestimator.quant.QuantScheme.IQ1_M;
import static io.github.llmestimator.quant.QuantScheme.IQ1_S;
import static io.github.llmestimator.quant.QuantScheme.IQ2_M;
import static io.github.llmestimator.quant.QuantScheme.IQ2_S;
import static io.github.llmestimator.quant.QuantScheme.IQ2_XS;
import static io.github.llmestimator.quant.QuantScheme.IQ2_XXS;
import static io.github.llmestimator.quant.QuantScheme.IQ3_M;
import static io.github.llmestimator.quant.QuantScheme.IQ3_S;
import static io.github.llmestimator.quant.QuantScheme.IQ3_XS;
import static io.github.llmestimator.quant.QuantScheme.IQ3_XXS;
import static io.github.llmestimator.quant.QuantScheme.IQ4_NL;
import static io.github.llmestimator.quant.QuantScheme.IQ4_XS;
import static io.github.llmestimator.quant.QuantScheme.MXFP4_MOE;
import static io.github.llmestimator.quant.QuantScheme.NATIVE;
import static io.github.llmestimator.quant.QuantScheme.NVFP4;
import static io.github.llmestimator.quant.QuantScheme.Q2_K;
import static io.github.llmestimator.quant.QuantScheme.Q2_K_S;
import static io.github.llmestimator.quant.QuantScheme.Q3_K_L;
import static io.github.llmestimator.quant.QuantScheme.Q3_K_M;
import static io.github.llmestimator.quant.QuantScheme.Q3_K_S;
import static io.github.llmestimator.quant.QuantScheme.Q4_0;
import static io.github.llmestimator.quant.QuantScheme.Q4_1;
import static io.github.llmestimator.quant.QuantScheme.Q4_K_M;
import static io.github.llmestimator.quant.QuantScheme.Q4_K_S;
import static io.github.llmestimator.quant.QuantScheme.Q5_0;
import static io.github.llmestimator.quant.QuantScheme.Q5_1;
import static io.github.llmestimator.quant.QuantScheme.Q5_K_M;
import static io.github.llmestimator.quant.QuantScheme.Q5_K_S;
import static io.github.llmestimator.quant.QuantScheme.Q6_K;
import static io.github.llmestimator.quant.QuantScheme.Q8_0;
import static io.github.llmestimator.quant.QuantScheme.TQ1_0;
import static io.github.llmestimator.quant.QuantScheme.TQ2_0;

import io.github.llmestimator.Estimate;
import io.github.llmestimator.Estimator;
import io.github.llmestimator.hardware.DeviceUsage;
import io.github.llmestimator.internal.Checks;
import io.github.llmestimator.memory.DataSize;
import io.github.llmestimator.quant.QuantScheme;
import io.github.llmestimator.throughput.DecodeSpeed;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * The highest-quality quantization scheme whose estimate fits: on the estimator's deployment, optionally at a minimum
 * decode speed ({@link #of(Estimator)}, {@link #of(Estimator, DecodeTarget)}), or under a memory budget
 * ({@link #of(Estimator, DataSize)}), at the estimator's context and other settings.
 *
 * <p>Candidates are ranked by their bits per weight on this model
 * ({@link io.github.llmestimator.quant.QuantizedWeights#bitsPerWeight()}, i.e. by their exact weight bytes, most
 * first), ties broken by {@link #QUALITY_ORDER}. The answer is the first candidate in that ranking that fits (and
 * meets the speed target); every better-ranked candidate does not, and the binding says why the next better one fails:
 * its weights ({@link Binding#WEIGHTS}), its weights plus the cache ({@link Binding#KV_CACHE}), or its speed
 * ({@link Binding#SPEED_TARGET}). Each candidate costs one assignment of types and one estimate. Candidates that cannot
 * store some tensor of the model (a row no fallback type divides) are left out.
 *
 * @param fits whether a candidate fits (and meets the target)
 * @param binding why the next better candidate fails, {@link Binding#NONE} when the answer is the best-ranked
 *     candidate; when nothing fits, why the closest candidate fails
 * @param limitingDeviceIndex the device whose memory the next better (or, when nothing fits, the closest) candidate
 *     exceeds, or empty
 * @param headroomBytes the memory left with the answer on the limiting (else the tightest) device or under the budget;
 *     negative when nothing fits in memory
 * @param target the decode target per sequence, or empty without a target
 * @param estimate the estimate of the answer; when nothing fits, of the candidate that misses memory by the least or,
 *     if some fit memory but none is fast enough, of the fastest of those
 */
public record SchemePlan(boolean fits, Binding binding, OptionalInt limitingDeviceIndex, long headroomBytes,
        Optional<DecodeTarget> target, Estimate estimate) implements Plan {

    /**
     * Every scheme, best first: the tie-break of the ranking, for candidates with the same weight bytes. Schemes with a
     * perplexity figure in llama.cpp's {@code llama-quantize --help} ({@code tools/quantize/quantize.cpp}: increase
     * over F16 on Llama-3-8B, and for F16 and BF16 on Mistral-7B) follow it: BF16 -0.0050, F16 +0.0020, Q8_0 +0.0026,
     * Q6_K +0.0217, Q5_K_M +0.0569, Q5_K_S +0.1049, Q5_1 +0.1062, Q5_0 +0.1316, Q4_K_M +0.1754, Q4_K_S +0.2689, Q4_1
     * +0.4511, Q4_0 +0.4685, Q3_K_L +0.5562, Q3_K_M +0.6569, Q3_K_S +1.6321, Q2_K_S +3.1836, Q2_K +3.5199. F32 stores a
     * 16-bit checkpoint losslessly and leads. The others, which it lists with bits per weight only (the i-quants,
     * ternary and MXFP4 types) or not at all (checkpoint formats), stand by those bits among the documented schemes.
     */
    public static final List<QuantScheme> QUALITY_ORDER = List.of(F32, BF16, F16, NATIVE, Q8_0, FP8, Q6_K, Q5_K_M,
            Q5_K_S, Q5_1, Q5_0, Q4_K_M, IQ4_NL, NVFP4, AWQ_INT4, GPTQ_INT4, Q4_K_S, IQ4_XS, Q4_1, Q4_0, MXFP4_MOE, Q3_K_L,
            IQ3_M, Q3_K_M, IQ3_S, Q3_K_S, IQ3_XS, IQ3_XXS, Q2_K_S, Q2_K, IQ2_M, IQ2_S, IQ2_XS, IQ2_XXS, TQ2_0, IQ1_M,
            TQ1_0, IQ1_S);

    /**
     * The candidates of {@link #of(Estimator)}: every llama.cpp GGUF file type, in {@link #QUALITY_ORDER},
     * except F32 (twice BF16's memory for no gain on a 16-bit checkpoint), TQ1_0 and TQ2_0 (ternary types for models
     * trained ternary), MXFP4_MOE (a format for models published in MXFP4, whose experts every GGUF type keeps in
     * MXFP4 anyway), and the legacy types that llama-quantize's own table shows both larger and worse than a K-quant,
     * which ranking by bits would otherwise prefer: Q5_1 (5.65G, +0.1062 ppl) against Q5_K_M (5.33G, +0.0569), Q5_0
     * (5.21G, +0.1316) against Q5_K_S (5.21G, +0.1049), and Q4_1 (4.78G, +0.4511) against Q4_K_M (4.58G, +0.1754). Pass
     * them explicitly to {@link #of(Estimator, List)} to consider them.
     */
    public static final List<QuantScheme> DEFAULT_CANDIDATES = defaultCandidates();

    /**
     * Validates the components.
     *
     * @param fits whether a candidate fits (and meets the target)
     * @param binding why the next better candidate fails, {@link Binding#NONE} when the answer is the best-ranked
     *     candidate; when nothing fits, why the closest candidate fails
     * @param limitingDeviceIndex the device whose memory the next better (or, when nothing fits, the closest)
     *     candidate exceeds, or empty
     * @param headroomBytes the memory left with the answer on the limiting (else the tightest) device or under the
     *     budget; negative when nothing fits in memory
     * @param target the decode target per sequence, or empty without a target
     * @param estimate the estimate of the answer; when nothing fits, of the candidate that misses memory by the least
     *     or, if some fit memory but none is fast enough, of the fastest of those
     * @throws NullPointerException if {@code binding}, {@code target} or {@code estimate} is null
     * @throws IllegalArgumentException if {@code limitingDeviceIndex} names no device of the estimate
     */
    public SchemePlan {
        Objects.requireNonNull(binding, "binding");
        Objects.requireNonNull(estimate, "estimate");
        Objects.requireNonNull(target, "target");
        Fit.checkDeviceIndex(limitingDeviceIndex, estimate);
    }

    private static List<QuantScheme> defaultCandidates() {
        List<QuantScheme> list = new ArrayList<>();
        Set<QuantScheme> left = EnumSet.of(F32, TQ1_0, TQ2_0, MXFP4_MOE, Q5_1, Q5_0, Q4_1);
        for (QuantScheme scheme : QUALITY_ORDER) {
            if (scheme.isGguf() && !left.contains(scheme)) {
                list.add(scheme);
            }
        }
        return List.copyOf(list);
    }

    /**
     * Finds the best candidate whose estimate fits the estimator's deployment: the highest-quality scheme among the
     * candidates, at the estimator's context and settings; the estimator's scheme, if any, is ignored.
     *
     * @param estimator a deployment chosen, not null; its scheme, if any, is ignored
     * @param candidates the schemes to consider, at least one, not null
     * @return the plan
     * @throws NullPointerException if an argument or a candidate is null
     * @throws IllegalArgumentException if there is no candidate, or none can store the model
     * @throws IllegalStateException if the estimator has no deployment, or its settings do not work together
     */
    public static SchemePlan of(Estimator estimator, List<QuantScheme> candidates) {
        return solve(estimator, candidates, -1, 0);
    }

    /**
     * Finds the best candidate whose estimate fits the estimator's deployment and decodes at least as fast as a target
     * at the end of the context.
     *
     * @param estimator a deployment chosen, not null; its scheme, if any, is ignored
     * @param candidates the schemes to consider, at least one, not null
     * @param target the minimum decode speed per sequence at the end of the context, not null
     * @return the plan
     * @throws NullPointerException if an argument or a candidate is null
     * @throws IllegalArgumentException if there is no candidate, or none can store the model
     * @throws IllegalStateException if the estimator has no deployment, or its settings do not work together
     */
    public static SchemePlan of(Estimator estimator, List<QuantScheme> candidates, DecodeTarget target) {
        return solve(estimator, candidates, -1, Objects.requireNonNull(target, "target").tokensPerSecond());
    }

    /**
     * Finds the best candidate whose estimate's {@link Estimate#totalBytes()} is at most a budget. The estimator's
     * deployment, if any, is not consulted.
     *
     * @param estimator not null; its scheme, if any, is ignored
     * @param candidates the schemes to consider, at least one, not null
     * @param budget the budget, at least 1 byte, not null
     * @return the plan
     * @throws NullPointerException if an argument or a candidate is null
     * @throws IllegalArgumentException if there is no candidate, none can store the model, or the budget is zero
     * @throws IllegalStateException if the estimator's settings do not work together
     */
    public static SchemePlan of(Estimator estimator, List<QuantScheme> candidates, DataSize budget) {
        return solve(estimator, candidates,
                Checks.positive("memoryBytes", Objects.requireNonNull(budget, "budget").bytes()), 0);
    }

    /**
     * Finds the highest-quality scheme of {@link #DEFAULT_CANDIDATES} that fits the estimator's deployment; the same
     * as {@code of(estimator, DEFAULT_CANDIDATES)}.
     *
     * @param estimator a deployment chosen, not null; its scheme, if any, is ignored
     * @return the plan
     * @throws NullPointerException if {@code estimator} is null
     * @throws IllegalStateException if the estimator has no deployment, or its settings do not work together
     */
    public static SchemePlan of(Estimator estimator) {
        return of(estimator, DEFAULT_CANDIDATES);
    }

    /**
     * Finds the highest-quality scheme of {@link #DEFAULT_CANDIDATES} that fits the estimator's deployment and decodes
     * at least as fast as a target at the end of the context; an unreachable target gives a plan that does not fit,
     * with the closest speed.
     *
     * @param estimator a deployment chosen, not null; its scheme, if any, is ignored
     * @param target the minimum decode speed per sequence, not null
     * @return the plan
     * @throws NullPointerException if an argument is null
     * @throws IllegalStateException if the estimator has no deployment, or its settings do not work together
     */
    public static SchemePlan of(Estimator estimator, DecodeTarget target) {
        return of(estimator, DEFAULT_CANDIDATES, target);
    }

    /**
     * Finds the highest-quality scheme of {@link #DEFAULT_CANDIDATES} whose estimate's {@link Estimate#totalBytes()}
     * is at most a budget; the estimator's deployment, if any, is not consulted.
     *
     * @param estimator not null; its scheme, if any, is ignored
     * @param budget the budget, at least 1 byte, not null
     * @return the plan
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if the budget is zero
     * @throws IllegalStateException if the estimator's settings do not work together
     */
    public static SchemePlan of(Estimator estimator, DataSize budget) {
        return of(estimator, DEFAULT_CANDIDATES, budget);
    }

    /** One ranked candidate, estimated only when the solver needs more than its weights. */
    private static final class Candidate {
        final Estimator estimator;
        final long weightBytes;
        final int rank;
        Estimate estimate;
        long headroom;
        int device = -1;
        boolean memoryFits;
        double speed;

        Candidate(QuantScheme scheme, Estimator estimator) {
            this.estimator = estimator;
            this.weightBytes = estimator.weightBytes();
            this.rank = QUALITY_ORDER.indexOf(scheme);
        }

        /** Estimates the candidate and records how it fits, once. */
        Candidate evaluate(long budgetBytes, double target) {
            if (estimate != null) {
                return this;
            }
            estimate = estimator.estimate();
            if (budgetBytes > 0) {
                headroom = Fit.headroom(estimate, budgetBytes);
            } else {
                device = Fit.tightest(estimate);
                headroom = Fit.headroom(estimate, device);
            }
            memoryFits = headroom >= 0;
            if (memoryFits && target > 0) {
                speed = Fit.speed(estimate);
            }
            return this;
        }
    }

    /**
     * Walks the ranking from the best candidate. A candidate whose weights alone exceed the budget, or the memory of
     * all the devices together (each device holds its share of every tensor, rounded up, so the devices' weights sum to
     * at least the model's), cannot fit and is passed over without an estimate; the candidates the plan reports (the
     * answer, the next better one, and when nothing fits every one) are estimated.
     */
    private static SchemePlan solve(Estimator estimator, List<QuantScheme> candidates, long budgetBytes,
            double target) {
        boolean budget = budgetBytes > 0;
        List<Candidate> ranked = new ArrayList<>();
        Fit.storableEstimators(estimator, candidates).forEach((scheme, quantized) -> ranked.add(new Candidate(scheme,
                quantized)));
        // what every candidate's estimate would refuse (settings, a missing deployment), the first one reports
        Estimate first = ranked.get(0).evaluate(budgetBytes, target).estimate;
        long capacity = budgetBytes;
        if (!budget) {
            Fit.deployment(first, "bestQuant()");
            capacity = 0;
            for (DeviceUsage usage : Fit.devices(first)) {
                capacity = Math.addExact(capacity, usage.usableBytes());
            }
        }
        ranked.sort(Comparator.comparingLong((Candidate c) -> -c.weightBytes).thenComparingInt(c -> c.rank));
        Candidate previous = null;
        for (Candidate c : ranked) {
            if (c.estimate == null && c.weightBytes > capacity) {
                previous = c;
                continue;
            }
            c.evaluate(budgetBytes, target);
            if (c.memoryFits && (target == 0 || c.speed >= target)) {
                return answer(c, previous == null ? null : previous.evaluate(budgetBytes, target), budgetBytes,
                        target);
            }
            previous = c;
        }
        for (Candidate c : ranked) {
            c.evaluate(budgetBytes, target);
        }
        return closest(ranked, budgetBytes, target);
    }

    private static SchemePlan answer(Candidate answer, Candidate previous, long budgetBytes, double target) {
        if (previous == null) {
            return new SchemePlan(true, Binding.NONE, -1, answer.headroom, target, answer.estimate);
        }
        if (previous.memoryFits) {
            return new SchemePlan(true, Binding.SPEED_TARGET, -1, answer.headroom, target, answer.estimate);
        }
        if (budgetBytes > 0) {
            return new SchemePlan(true, Fit.binding(previous.estimate, budgetBytes), -1, answer.headroom, target,
                    answer.estimate);
        }
        int device = previous.device;
        return new SchemePlan(true, Fit.binding(previous.estimate, device), device,
                Fit.headroom(answer.estimate, device), target, answer.estimate);
    }

    private static SchemePlan closest(List<Candidate> ranked, long budgetBytes, double target) {
        Candidate fastest = null;
        Candidate leastShort = null;
        for (Candidate c : ranked) {
            if (c.memoryFits && (fastest == null || c.speed > fastest.speed)) {
                fastest = c;
            }
            if (leastShort == null || c.headroom > leastShort.headroom) {
                leastShort = c;
            }
        }
        if (fastest != null) {
            return new SchemePlan(false, Binding.SPEED_TARGET, -1, fastest.headroom, target, fastest.estimate);
        }
        Binding binding = budgetBytes > 0 ? Fit.binding(leastShort.estimate, budgetBytes)
                : Fit.binding(leastShort.estimate, leastShort.device);
        return new SchemePlan(false, binding, leastShort.device, leastShort.headroom, target, leastShort.estimate);
    }

    /**
     * Returns the chosen scheme (when nothing fits, the closest candidate's).
     *
     * @return the scheme, not null
     */
    public QuantScheme scheme() {
        return estimate.weights().scheme();
    }

    /**
     * Returns the bits per weight of the chosen scheme on this model.
     *
     * @return bits per loaded weight
     */
    public double bitsPerWeight() {
        return estimate.weights().bitsPerWeight();
    }

    /**
     * Returns the decode speed of the chosen scheme at the end of the context, where it is slowest, when the estimate
     * has a deployment.
     *
     * @return the speed, or empty without a deployment
     */
    public Optional<DecodeSpeed> decode() {
        return estimate.deployment().map(d -> Fit.decodeAtEnd(estimate));
    }

    /** The plan with the limiting device as the solvers track it: its index, or -1 for none. A target of 0 is none. */
    SchemePlan(boolean fits, Binding binding, int device, long headroomBytes, double targetTokensPerSecond,
            Estimate estimate) {
        this(fits, binding, Fit.index(device), headroomBytes, Fit.target(targetTokensPerSecond), estimate);
    }

    @Override
    public String toString() {
        return "SchemePlan[" + estimate.weights().model().name() + ": " + (fits ? scheme() : "does not fit, closest "
                + scheme()) + String.format(java.util.Locale.ROOT, " (%.3f bpw)", bitsPerWeight()) + ", " + binding
                + Fit.deviceName(estimate, limitingDeviceIndex) + ", headroom " + Fit.bytes(headroomBytes) + "]";
    }
}
