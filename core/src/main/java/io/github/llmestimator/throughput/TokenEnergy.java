package io.github.llmestimator.throughput;

import io.github.llmestimator.hardware.Deployment;
import io.github.llmestimator.hardware.Device;
import io.github.llmestimator.hardware.Power;
import io.github.llmestimator.internal.Checks;
import java.util.Objects;
import java.util.Optional;

/**
 * The energy of producing tokens at an estimated speed: a deployment's power under load over its tokens per second.
 *
 * <p><b>The utilisation rule.</b> A device's published maximum ({@link Power#maxWatts()}) is what a compute-bound
 * load draws; decode, which waits on memory, draws less. Power under load is the sum over the deployment's devices of
 * {@code share * maxWatts}, every device drawing it for the whole step (an upper bound for split placements, whose
 * devices take turns): {@link #PREFILL_LOAD_SHARE} for prompt processing and {@link #DECODE_LOAD_SHARE} for decode.
 * Published draws during decode, as shares of the rated power: an RTX 4090 (450 W) decoding one stream at 246.6 W
 * (0.55, https://github.com/noonghunna/club-3090/issues/697), an RTX 5090 (575 W) peaking near 350 W during Ollama
 * inference (0.61, https://github.com/geerlingguy/ai-benchmarks/pull/18), V100 SXM2 cards (300 W) at 180-200 W during
 * decode and 270-300 W during prefill (0.60-0.67 and 0.90-1.0, https://github.com/1CatAI/1Cat-vLLM/issues/535).
 *
 * @param watts the power drawn while producing the tokens, finite and positive
 * @param tokensPerSecond the tokens produced per second, all sequences together, finite and positive
 */
public record TokenEnergy(double watts, double tokensPerSecond) {

    /** The share of the published maximum power drawn during decode (memory-bound), from the measurements above. */
    public static final double DECODE_LOAD_SHARE = 0.6;

    /** The share of the published maximum power drawn during prompt processing (compute-bound). */
    public static final double PREFILL_LOAD_SHARE = 1.0;

    private static final double JOULES_PER_KWH = 3.6e6;

    /**
     * Validates the components.
     *
     * @param watts the power drawn while producing the tokens, finite and positive
     * @param tokensPerSecond the tokens produced per second, all sequences together, finite and positive
     * @throws IllegalArgumentException if a value is not finite and positive
     */
    public TokenEnergy {
        Checks.positiveFinite("watts", watts, "");
        Checks.positiveFinite("tokensPerSecond", tokensPerSecond, "");
    }

    /**
     * Returns the energy of decoding at a speed on a deployment, by the utilisation rule.
     *
     * @param deployment the deployment, not null
     * @param speed the decode speed on it, not null
     * @return the energy, or empty when a device of the deployment has no power figure
     * @throws NullPointerException if an argument is null
     */
    public static Optional<TokenEnergy> decode(Deployment deployment, DecodeSpeed speed) {
        Objects.requireNonNull(speed, "speed");
        return loadWatts(deployment, DECODE_LOAD_SHARE).map(w -> new TokenEnergy(w, speed.tokensPerSecond()));
    }

    /**
     * Returns the energy of processing a prompt at a speed on a deployment, by the utilisation rule.
     *
     * @param deployment the deployment, not null
     * @param speed the prefill speed on it, not null
     * @return the energy, or empty when a device of the deployment has no power figure
     * @throws NullPointerException if an argument is null
     */
    public static Optional<TokenEnergy> prefill(Deployment deployment, PrefillSpeed speed) {
        Objects.requireNonNull(speed, "speed");
        return loadWatts(deployment, PREFILL_LOAD_SHARE).map(w -> new TokenEnergy(w, speed.tokensPerSecond()));
    }

    private static Optional<Double> loadWatts(Deployment deployment, double share) {
        double watts = 0;
        for (Device device : Objects.requireNonNull(deployment, "deployment").devices()) {
            Optional<Power> power = device.power();
            if (power.isEmpty()) {
                return Optional.empty();
            }
            watts += share * power.get().maxWatts();
        }
        return Optional.of(watts);
    }

    /**
     * Returns the energy per token, defined as {@code watts / tokensPerSecond}.
     *
     * @return joules per token
     */
    public double joulesPerToken() {
        return watts / tokensPerSecond;
    }

    /**
     * Returns the electricity cost of a million tokens, defined as
     * {@code joulesPerToken * 10^6 / 3.6 * 10^6 * pricePerKwh}.
     *
     * @param pricePerKwh the price of one kilowatt-hour, in any currency, finite and at least 0
     * @return the cost in the same currency
     * @throws IllegalArgumentException if the price is negative or not finite
     */
    public double electricityCostPerMillionTokens(double pricePerKwh) {
        return joulesPerToken() * 1e6 / JOULES_PER_KWH * price("pricePerKwh", pricePerKwh);
    }

    /**
     * Returns the rental cost of a million tokens at a speed, defined as
     * {@code pricePerHour / (tokensPerSecond * 3600) * 10^6}: the machine is paid by the hour whatever it draws.
     *
     * @param pricePerHour the rental price of the whole deployment per hour, finite and at least 0
     * @param tokensPerSecond the tokens produced per second, all sequences together, finite and positive
     * @return the cost in the price's currency
     * @throws IllegalArgumentException if the price is negative or not finite, or the speed not finite and positive
     */
    public static double rentalCostPerMillionTokens(double pricePerHour, double tokensPerSecond) {
        price("pricePerHour", pricePerHour);
        Checks.positiveFinite("tokensPerSecond", tokensPerSecond, "");
        return pricePerHour / (tokensPerSecond * 3600) * 1e6;
    }

    private static double price(String name, double value) {
        if (!(value >= 0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException(name + ": " + value + " (expected: a finite number >= 0)");
        }
        return value;
    }
}
