package io.github.llmestimator.throughput;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.llmestimator.Estimator;
import io.github.llmestimator.hardware.Calibration;
import io.github.llmestimator.hardware.Device;
import io.github.llmestimator.hardware.DeviceKind;
import io.github.llmestimator.quant.QuantScheme;
import io.github.llmestimator.testing.ReferenceModels;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

/** A device's calibration replaces the backend's decode constants: the step time worked from the formula. */
final class CalibratedDeviceTest {

    private static final Device GPU = Device.builder("GPU", DeviceKind.DISCRETE_GPU).memoryBytes(24L << 30)
            .memoryBandwidthGBps(1000).build();

    /**
     * With efficiencies 0.5 / 0.6 / 0.8 and 100 us per layer, Llama-3.1-8B (32 layers) reads B bytes a step, so a step
     * takes B / (e x 10^12) + 32 x 10^-4 s; B is what the uncalibrated estimate reports (the bytes do not depend on
     * the constants).
     */
    @Test
    void decode_usesTheCalibratedEfficiencyAndTimePerLayer() {
        Calibration calibration = Calibration.ofDecode(0.5, 0.6, 0.8, 100e-6, 4);
        Estimator base = Estimator.of(ReferenceModels.llama31_8b()).quant(QuantScheme.Q4_K_M).context(8192);
        DecodeSpeed plain = base.on(GPU).estimate().decode(4096);
        DecodeSpeed calibrated = base.on(GPU.withCalibration(calibration)).estimate().decode(4096);
        double bytes = plain.bytesPerStep();
        assertEquals(plain.bytesPerStep(), calibrated.bytesPerStep());
        assertEquals(1 / (bytes / 0.6e12 + 32 * 100e-6), calibrated.tokensPerSecond(), 1e-9 * plain.tokensPerSecond());
        assertEquals(1 / (bytes / 0.5e12 + 32 * 100e-6), calibrated.lowTokensPerSecond(), 1e-9 * plain.tokensPerSecond());
        assertEquals(1 / (bytes / 0.8e12 + 32 * 100e-6), calibrated.highTokensPerSecond(),
                1e-9 * plain.tokensPerSecond());
    }

    /**
     * A compute factor of 2 halves the time of a compute-bound prefill: a 4096-token prompt on a GPU with 100 FP16
     * TFLOPS and 100,000 GB/s, so that the only memory-bound kernel (the embedding rows, 4096 x 8 KiB) is a few parts
     * per million of the time.
     */
    @Test
    void prefill_scalesComputeByTheFactor() {
        Device gpu = Device.builder("GPU", DeviceKind.DISCRETE_GPU).memoryBytes(24L << 30).memoryBandwidthGBps(100_000)
                .denseTflops(io.github.llmestimator.hardware.Precision.FP16, 100).build();
        Estimator base = Estimator.of(ReferenceModels.llama31_8b()).quant(QuantScheme.F16).context(8192);
        double plain = base.on(gpu).estimate().prefill(4096).orElseThrow().tokensPerSecond();
        double doubled = base.on(gpu.withCalibration(new Calibration(0.7, 0.7, 0.7, 0, OptionalDouble.of(2), 3)))
                .estimate().prefill(4096).orElseThrow().tokensPerSecond();
        assertEquals(2 * plain, doubled, 1e-4 * plain);
    }

    @Test
    void calibration_rejectsBadValues() {
        assertThrows(IllegalArgumentException.class, () -> Calibration.ofDecode(0.7, 0.6, 0.8, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> Calibration.ofDecode(0.5, 0.6, 0.8, -1e-6, 1));
        assertThrows(IllegalArgumentException.class, () -> Calibration.ofDecode(0.5, 0.6, 0.8, Double.NaN, 1));
        assertThrows(IllegalArgumentException.class, () -> Calibration.ofDecode(0.5, 0.6, 0.8, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> Calibration.ofDecode(0, 0.6, 0.8, 0, 1));
        assertThrows(IllegalArgumentException.class,
                () -> new Calibration(0.5, 0.6, 0.8, 0, OptionalDouble.of(Double.NaN), 1));
        assertThrows(NullPointerException.class, () -> GPU.withCalibration(null));
    }
}
