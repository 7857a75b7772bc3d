package io.github.llmestimator.throughput;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.llmestimator.hardware.Deployment;
import io.github.llmestimator.hardware.Device;
import io.github.llmestimator.hardware.DeviceKind;
import io.github.llmestimator.hardware.Power;
import org.junit.jupiter.api.Test;

/** Energy per token and cost per million tokens, worked by hand. */
final class TokenEnergyTest {

    private static final Device CARD = Device.builder("450 W card", DeviceKind.DISCRETE_GPU).memoryBytes(24L << 30)
            .memoryBandwidthGBps(1008).power(new Power(450, Power.Scope.BOARD)).build();

    private static DecodeSpeed decode(double tokensPerSecond) {
        return new DecodeSpeed(512, 1, 1_000_000, tokensPerSecond, tokensPerSecond, tokensPerSecond,
                Bound.MEMORY_BANDWIDTH);
    }

    /**
     * Decode at 100 tokens/s on a 450 W card: 0.6 x 450 = 270 W, 2.7 J/token; at 0.30 per kWh a million tokens take
     * 2.7e6 J = 0.75 kWh, 0.225; rented at 0.69 per hour they take 10,000 s, 1.9167.
     */
    @Test
    void decode_onOneCard() {
        TokenEnergy energy = TokenEnergy.decode(Deployment.of(CARD), decode(100)).orElseThrow();
        assertEquals(270, energy.watts(), 1e-12);
        assertEquals(2.7, energy.joulesPerToken(), 1e-12);
        assertEquals(0.225, energy.electricityCostPerMillionTokens(0.30), 1e-12);
        assertEquals(0.69 * 10_000 / 3600, TokenEnergy.rentalCostPerMillionTokens(0.69, 100), 1e-12);
        assertEquals(0, energy.electricityCostPerMillionTokens(0));
    }

    /** Prefill at 5,000 tokens/s draws the full 450 W: 0.09 J/token. Two cards in tensor parallel draw twice. */
    @Test
    void prefill_andTwoCards() {
        PrefillSpeed prefill = new PrefillSpeed(4096, 5000, 5000, 5000, Bound.COMPUTE);
        assertEquals(0.09, TokenEnergy.prefill(Deployment.of(CARD), prefill).orElseThrow().joulesPerToken(), 1e-12);
        assertEquals(540, TokenEnergy.decode(Deployment.tensorParallel(CARD, 2), decode(100)).orElseThrow().watts(),
                1e-12);
    }

    /** A device without a published figure makes the energy unknown, not zero. */
    @Test
    void unknownPower_isEmpty() {
        Device bare = Device.builder("no figure", DeviceKind.DISCRETE_GPU).memoryBytes(8L << 30)
                .memoryBandwidthGBps(300).build();
        assertTrue(TokenEnergy.decode(Deployment.of(bare), decode(50)).isEmpty());
    }

    @Test
    void badInput_throws() {
        assertThrows(IllegalArgumentException.class, () -> new TokenEnergy(0, 10));
        assertThrows(IllegalArgumentException.class, () -> new TokenEnergy(10, Double.NaN));
        TokenEnergy energy = new TokenEnergy(100, 10);
        assertThrows(IllegalArgumentException.class, () -> energy.electricityCostPerMillionTokens(-0.1));
        assertThrows(IllegalArgumentException.class, () -> energy.electricityCostPerMillionTokens(Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> TokenEnergy.rentalCostPerMillionTokens(1, 0));
        assertThrows(IllegalArgumentException.class,
                () -> TokenEnergy.rentalCostPerMillionTokens(Double.POSITIVE_INFINITY, 1));
    }

    @Test
    void power_validatesAndTakesPartInEquality() {
        assertThrows(IllegalArgumentException.class, () -> new Power(0, Power.Scope.BOARD));
        assertThrows(IllegalArgumentException.class, () -> new Power(100, 101, Power.Scope.BOARD));
        assertThrows(IllegalArgumentException.class, () -> new Power(100, -1, Power.Scope.BOARD));
        assertThrows(IllegalArgumentException.class, () -> new Power(100, Double.NaN, Power.Scope.BOARD));
        assertThrows(NullPointerException.class, () -> new Power(100, 10, null));
        assertTrue(new Power(65, Power.Scope.SYSTEM).idle().isEmpty());
        assertEquals(4, new Power(65, 4, Power.Scope.SYSTEM).idle().getAsDouble());
        Device other = CARD.withPower(new Power(350, Power.Scope.BOARD));
        assertNotEquals(CARD, other);
        assertEquals(350, other.power().orElseThrow().maxWatts());
        assertEquals(CARD.power(), CARD.withMemoryBytes(1L << 30).power());
    }
}
