package io.github.llmestimator.internal.throughput;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.llmestimator.hardware.Deployment;
import io.github.llmestimator.hardware.Device;
import io.github.llmestimator.hardware.DeviceKind;
import io.github.llmestimator.memory.ContextMemory;
import io.github.llmestimator.memory.ContextSettings;
import io.github.llmestimator.model.ModelSpec;
import io.github.llmestimator.quant.QuantScheme;
import io.github.llmestimator.testing.ReferenceModels;
import org.junit.jupiter.api.Test;

/**
 * The estimator's way to an estimate: the factory {@code DeploymentEstimate} registers checks its parts as the public
 * factories it replaced did (the argument sweep covers public API only).
 */
final class DeploymentEstimatesTest {

    private static final Device GPU = Device.builder("gpu", DeviceKind.DISCRETE_GPU).memoryBytes(24L << 30)
            .memoryBandwidthGBps(1000).build();
    private static final ModelSpec MODEL = ReferenceModels.llama31_8b();
    private static final PlacedWeights PLACED = PlacedWeights.of(QuantScheme.Q4_K_M.assign(MODEL), Deployment.of(GPU));
    private static final ContextMemory CONTEXT = ContextMemory.of(MODEL, ContextSettings.defaults(4096));

    private static String refused(Runnable call) {
        return assertThrows(IllegalArgumentException.class, call::run).getMessage();
    }

    @Test
    void estimate_refusesBadParts() {
        assertEquals("adapterBytes: 2 entries (expected: 1, one per device)",
                refused(() -> DeploymentEstimates.of(PLACED, CONTEXT, 0, new long[2])));
        assertEquals("adapterBytes[0]: -1 (expected: >= 0)",
                refused(() -> DeploymentEstimates.of(PLACED, CONTEXT, 0, new long[] {-1})));
        // 1 PiB = 2^50 bytes = 1125899906842624
        assertEquals("runtimeOverheadBytes: -1 (expected: 0 to 1125899906842624 bytes, 1 PiB)",
                refused(() -> DeploymentEstimates.of(PLACED, CONTEXT, -1, new long[1])));
        assertEquals("projectorBytes: 1125899906842625 (expected: 0 to 1125899906842624 bytes, 1 PiB)",
                refused(() -> DeploymentEstimates.of(PLACED, CONTEXT, 0, new long[1], (1L << 50) + 1, 0)));
        assertEquals("encoderComputeBytes: -1 (expected: 0 to 1125899906842624 bytes, 1 PiB)",
                refused(() -> DeploymentEstimates.of(PLACED, CONTEXT, 0, new long[1], 0, -1)));
        assertEquals("placed", assertThrows(NullPointerException.class,
                () -> DeploymentEstimates.of(null, CONTEXT, 0, new long[1])).getMessage());
        assertEquals("context", assertThrows(NullPointerException.class,
                () -> DeploymentEstimates.of(PLACED, null, 0, new long[1])).getMessage());
    }

    @Test
    void estimate_holdsTheAdaptersOnTheirDevice() {
        long without = DeploymentEstimates.of(PLACED, CONTEXT, 0, new long[1]).devices().get(0).weightBytes();
        long with = DeploymentEstimates.of(PLACED, CONTEXT, 0, new long[] {1000}).devices().get(0).weightBytes();
        assertEquals(PLACED.weightBytes(0), without);
        assertEquals(without + 1000, with);
    }
}
