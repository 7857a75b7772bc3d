package io.github.llmestimator.planning;

import io.github.llmestimator.Estimate;
import io.github.llmestimator.Estimator;
import io.github.llmestimator.internal.Checks;
import io.github.llmestimator.memory.DataSize;
import io.github.llmestimator.quant.QualityModel;
import io.github.llmestimator.quant.QuantQuality;
import io.github.llmestimator.quant.QuantScheme;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * The size-quality trade-off of quantization schemes on one setup, and the scheme an objective picks from it.
 *
 * <p>Every candidate that can store the model is estimated once (as {@link SchemePlan} does) and given the quality loss
 * a {@link QualityModel} expects. An option <i>fits</i> when its estimate fits the deployment (or the memory budget)
 * and, with a decode target, is fast enough. The <i>frontier</i> is the fitting options with a quality figure that no
 * other such option beats on both counts: no other has at most as many weight bytes and at most as much mean
 * KL-divergence, one of them strictly less. The choice ({@link QuantObjective}) is made among the fitting options with
 * a quality figure within the objective's limit; the best-quality choice is on the frontier. Where the quality model's
 * figures fall as weight bytes rise, the best-quality choice is {@link SchemePlan}'s, the largest scheme that fits.
 *
 * <p>This class is immutable and thread-safe.
 */
public final class QuantFrontier {

    /**
     * One candidate scheme on the setup.
     *
     * @param scheme the scheme, not null
     * @param estimate its estimate, not null
     * @param fits whether it fits the deployment or budget, and meets the decode target if one was given
     * @param quality the quality loss the quality model expects, or empty when it has none for the scheme
     * @param decodeTokensPerSecond decode per sequence at the end of the context, when there is a deployment and the
     *     option fits in memory; else empty
     * @param onFrontier whether no other fitting option has at most as many weight bytes and at most as much mean
     *     KL-divergence, one of them strictly less
     */
    public record Option(QuantScheme scheme, Estimate estimate, boolean fits, Optional<QuantQuality> quality,
            OptionalDouble decodeTokensPerSecond, boolean onFrontier) {

        /**
         * Validates the components.
         *
         * @param scheme the scheme, not null
         * @param estimate its estimate, not null
         * @param fits whether it fits
         * @param quality the expected quality loss, or empty, not null
         * @param decodeTokensPerSecond decode per sequence at the end of the context, or empty, not null
         * @param onFrontier whether it is on the frontier
         * @throws NullPointerException if a component is null
         * @throws IllegalArgumentException if an option on the frontier does not fit or has no quality figure
         */
        public Option {
            Objects.requireNonNull(scheme, "scheme");
            Objects.requireNonNull(estimate, "estimate");
            Objects.requireNonNull(quality, "quality");
            Objects.requireNonNull(decodeTokensPerSecond, "decodeTokensPerSecond");
            if (onFrontier && (!fits || quality.isEmpty())) {
                throw new IllegalArgumentException("onFrontier: true for " + scheme + " (expected: only an option"
                        + " that fits and has a quality figure)");
            }
        }

        /**
         * Returns the expected mean KL-divergence, or infinity without a quality figure.
         *
         * @return the mean KL-divergence
         */
        public double meanKld() {
            return quality.map(QuantQuality::meanKld).orElse(Double.POSITIVE_INFINITY);
        }
    }

    private final List<Option> options;
    private final QuantObjective objective;
    private final Option chosen;

    private QuantFrontier(List<Option> options, QuantObjective objective, Option chosen) {
        this.options = options;
        this.objective = objective;
        this.chosen = chosen;
    }

    /**
     * Evaluates the candidates on the estimator's deployment and picks one by an objective.
     *
     * @param estimator a deployment chosen, not null; its scheme, if any, is ignored
     * @param candidates the schemes to consider, at least one, not null
     * @param quality the quality model, not null
     * @param objective how to pick, not null
     * @return the frontier and the choice
     * @throws NullPointerException if an argument or a candidate is null
     * @throws IllegalArgumentException if there is no candidate, or none can store the model
     * @throws IllegalStateException if the estimator has no deployment, or its settings do not work together
     */
    public static QuantFrontier of(Estimator estimator, List<QuantScheme> candidates, QualityModel quality,
            QuantObjective objective) {
        return solve(estimator, candidates, quality, objective, -1, 0);
    }

    /**
     * Evaluates the candidates on the estimator's deployment, keeps those that decode at least as fast as a target at
     * the end of the context, and picks one by an objective.
     *
     * @param estimator a deployment chosen, not null; its scheme, if any, is ignored
     * @param candidates the schemes to consider, at least one, not null
     * @param quality the quality model, not null
     * @param objective how to pick, not null
     * @param target the minimum decode speed per sequence, not null
     * @return the frontier and the choice
     * @throws NullPointerException if an argument or a candidate is null
     * @throws IllegalArgumentException if there is no candidate, or none can store the model
     * @throws IllegalStateException if the estimator has no deployment, or its settings do not work together
     */
    public static QuantFrontier of(Estimator estimator, List<QuantScheme> candidates, QualityModel quality,
            QuantObjective objective, DecodeTarget target) {
        return solve(estimator, candidates, quality, objective, -1,
                Objects.requireNonNull(target, "target").tokensPerSecond());
    }

    /**
     * Evaluates the candidates under a memory budget ({@link Estimate#totalBytes()} at most the budget) and picks one
     * by an objective; the estimator's deployment, if any, is not consulted.
     *
     * @param estimator not null; its scheme, if any, is ignored
     * @param candidates the schemes to consider, at least one, not null
     * @param quality the quality model, not null
     * @param objective how to pick, not null; not {@link QuantObjective.Kind#FASTEST}, which needs a deployment
     * @param budget the budget, at least 1 byte, not null
     * @return the frontier and the choice
     * @throws NullPointerException if an argument or a candidate is null
     * @throws IllegalArgumentException if there is no candidate, none can store the model, the budget is zero, or
     *     the objective is {@link QuantObjective.Kind#FASTEST}
     * @throws IllegalStateException if the estimator's settings do not work together
     */
    public static QuantFrontier of(Estimator estimator, List<QuantScheme> candidates, QualityModel quality,
            QuantObjective objective, DataSize budget) {
        long memoryBytes = Checks.positive("memoryBytes", Objects.requireNonNull(budget, "budget").bytes());
        if (Objects.requireNonNull(objective, "objective").kind() == QuantObjective.Kind.FASTEST) {
            throw new IllegalArgumentException("objective: FASTEST with a memory budget (expected: a deployment,"
                    + " whose speed a budget does not have)");
        }
        return solve(estimator, candidates, quality, objective, memoryBytes, 0);
    }

    private static QuantFrontier solve(Estimator estimator, List<QuantScheme> candidates, QualityModel quality,
            QuantObjective objective, long budgetBytes, double target) {
        Objects.requireNonNull(quality, "quality");
        Objects.requireNonNull(objective, "objective");
        boolean budget = budgetBytes > 0;
        List<Option> evaluated = new ArrayList<>();
        for (Estimate estimate : Fit.storable(estimator, candidates)) {
            QuantScheme scheme = estimate.weights().scheme();
            boolean memoryFits;
            OptionalDouble speed = OptionalDouble.empty();
            if (budget) {
                memoryFits = Fit.headroom(estimate, budgetBytes) >= 0;
            } else {
                Fit.deployment(estimate, "QuantFrontier.of");
                memoryFits = Fit.headroom(estimate) >= 0;
                if (memoryFits) {
                    speed = OptionalDouble.of(Fit.speed(estimate));
                }
            }
            boolean fits = memoryFits && (target == 0 || speed.orElse(0) >= target);
            Optional<QuantQuality> expected = quality.quality(scheme, estimate.weights().bitsPerWeight());
            if (expected == null) {
                throw new NullPointerException("quality of " + scheme);
            }
            evaluated.add(new Option(scheme, estimate, fits, expected, speed, false));
        }
        evaluated.sort(Comparator.comparingLong((Option o) -> -o.estimate().weightBytes()));
        List<Option> options = new ArrayList<>(evaluated.size());
        for (Option option : evaluated) {
            options.add(new Option(option.scheme(), option.estimate(), option.fits(), option.quality(),
                    option.decodeTokensPerSecond(), onFrontier(option, evaluated)));
        }
        Option chosen = null;
        for (Option option : options) {
            if (option.fits() && option.quality().isPresent() && option.meanKld() <= objective.maxKld()
                    && (chosen == null || better(option, chosen, objective.kind()))) {
                chosen = option;
            }
        }
        return new QuantFrontier(List.copyOf(options), objective, chosen);
    }

    private static boolean onFrontier(Option option, List<Option> all) {
        if (!option.fits() || option.quality().isEmpty()) {
            return false;
        }
        for (Option other : all) {
            if (other != option && other.fits() && other.quality().isPresent()
                    && other.estimate().weightBytes() <= option.estimate().weightBytes()
                    && other.meanKld() <= option.meanKld()
                    && (other.estimate().weightBytes() < option.estimate().weightBytes()
                            || other.meanKld() < option.meanKld())) {
                return false;
            }
        }
        return true;
    }

    /** Whether {@code a} beats {@code b} under the objective; options come most weight bytes first. */
    private static boolean better(Option a, Option b, QuantObjective.Kind kind) {
        return switch (kind) {
            case BEST_QUALITY -> a.meanKld() < b.meanKld()
                    || a.meanKld() == b.meanKld() && a.estimate().weightBytes() < b.estimate().weightBytes();
            case FASTEST -> a.decodeTokensPerSecond().orElse(0) > b.decodeTokensPerSecond().orElse(0)
                    || a.decodeTokensPerSecond().orElse(0) == b.decodeTokensPerSecond().orElse(0)
                            && a.meanKld() < b.meanKld();
            case SMALLEST -> a.estimate().totalBytes() < b.estimate().totalBytes()
                    || a.estimate().totalBytes() == b.estimate().totalBytes() && a.meanKld() < b.meanKld();
        };
    }

    /**
     * Returns every candidate that can store the model, most weight bytes first.
     *
     * @return the options, not empty
     */
    public List<Option> options() {
        return options;
    }

    /**
     * Returns the options on the size-quality frontier, most weight bytes first.
     *
     * @return the frontier, empty when nothing that fits has a quality figure
     */
    public List<Option> frontier() {
        return options.stream().filter(Option::onFrontier).toList();
    }

    /**
     * Returns the option the objective picks.
     *
     * @return the choice, or empty when no option fits with a quality figure within the objective's limit
     */
    public Optional<Option> chosen() {
        return Optional.ofNullable(chosen);
    }

    /**
     * Returns the objective.
     *
     * @return the objective, not null
     */
    public QuantObjective objective() {
        return objective;
    }

    @Override
    public String toString() {
        return "QuantFrontier[" + objective.kind() + ": " + (chosen == null ? "nothing fits" : chosen.scheme())
                + ", frontier " + frontier().stream().map(o -> o.scheme().name()).toList() + "]";
    }
}
