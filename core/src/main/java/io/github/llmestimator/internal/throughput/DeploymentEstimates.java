package io.github.llmestimator.internal.throughput;

import io.github.llmestimator.memory.ContextMemory;
import io.github.llmestimator.throughput.DeploymentEstimate;
import java.lang.invoke.MethodHandles;

/**
 * How the estimator makes a {@link DeploymentEstimate} from its placement memo. A public factory of the exported
 * {@code DeploymentEstimate} cannot take a {@link PlacedWeights}, a type of this package, which the module does not
 * export; so {@code DeploymentEstimate} keeps its constructor private and hands its factory to this class from its
 * static initializer, and the estimator asks for an estimate here (as the JDK's {@code jdk.internal.access} reaches
 * the non-public parts of {@code java.lang}).
 */
public final class DeploymentEstimates {

    /**
     * Makes an estimate from checked parts; implemented by {@link DeploymentEstimate} alone.
     */
    @FunctionalInterface
    public interface Factory {

        /**
         * Returns the estimate of placed weights under a context, with adapters and a projector.
         *
         * @param placed the placed weights, not null
         * @param context the context memory of the same model, not null
         * @param runtimeOverheadBytes the runtime allowance per device that holds anything
         * @param adapterBytes the adapters' bytes per device, one entry per device; read, not kept
         * @param projectorBytes the projector's weights
         * @param encoderComputeBytes the encoder's compute buffer
         * @return the estimate
         */
        DeploymentEstimate estimate(PlacedWeights placed, ContextMemory context, long runtimeOverheadBytes,
                long[] adapterBytes, long projectorBytes, long encoderComputeBytes);
    }

    /** Set once, while {@link DeploymentEstimate} is initialized. */
    private static volatile Factory factory;

    private DeploymentEstimates() {
    }

    /**
     * Takes the factory of {@link DeploymentEstimate}; called by its static initializer.
     *
     * @param made the factory, not null
     * @throws IllegalStateException if a factory is already set
     */
    public static void register(Factory made) {
        if (factory != null) {
            throw new IllegalStateException("factory: already set (expected: one, set by DeploymentEstimate)");
        }
        factory = made;
    }

    /**
     * Returns the estimate of placed weights with LoRA adapters held beside them: each device's weights grow by its
     * adapter bytes; the speeds do not.
     *
     * @param placed the placed weights, not null
     * @param context the context memory of the same model, not null
     * @param runtimeOverheadBytes the runtime allowance per device that holds anything, 0 to 1 PiB
     * @param adapterBytes the adapters' bytes per device, one non-negative entry per device; read, not kept
     * @return the estimate
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if an argument is out of range
     * @throws IllegalStateException if llama.cpp refuses the settings on this placement
     * @throws ArithmeticException if a size overflows a {@code long}
     */
    public static DeploymentEstimate of(PlacedWeights placed, ContextMemory context, long runtimeOverheadBytes,
            long[] adapterBytes) {
        return of(placed, context, runtimeOverheadBytes, adapterBytes, 0, 0);
    }

    /**
     * Returns the estimate of placed weights with LoRA adapters beside them and a projector ({@code --mmproj}), whose
     * weights and encoder compute buffer go on {@link PlacedWeights#projectorDevice()}.
     *
     * @param placed the placed weights, not null
     * @param context the context memory of the same model, not null
     * @param runtimeOverheadBytes the runtime allowance per device that holds anything, 0 to 1 PiB
     * @param adapterBytes the adapters' bytes per device, one non-negative entry per device; read, not kept
     * @param projectorBytes the projector's weights, 0 to 1 PiB
     * @param encoderComputeBytes the encoder's compute buffer, 0 to 1 PiB
     * @return the estimate
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if an argument is out of range
     * @throws IllegalStateException if llama.cpp refuses the settings on this placement
     * @throws ArithmeticException if a size overflows a {@code long}
     */
    public static DeploymentEstimate of(PlacedWeights placed, ContextMemory context, long runtimeOverheadBytes,
            long[] adapterBytes, long projectorBytes, long encoderComputeBytes) {
        Factory made = factory;
        if (made == null) {
            // the first estimate of the process: DeploymentEstimate's initializer sets the factory
            try {
                MethodHandles.lookup().ensureInitialized(DeploymentEstimate.class);
            } catch (IllegalAccessException e) {
                throw new IllegalStateException("DeploymentEstimate: not accessible to initialize", e);
            }
            made = factory;
        }
        return made.estimate(placed, context, runtimeOverheadBytes, adapterBytes, projectorBytes, encoderComputeBytes);
    }
}
