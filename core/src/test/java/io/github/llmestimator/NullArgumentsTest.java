package io.github.llmestimator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.llmestimator.gguf.GgufModel;
import io.github.llmestimator.hardware.Deployment;
import io.github.llmestimator.hardware.Device;
import io.github.llmestimator.hardware.DeviceKind;
import io.github.llmestimator.memory.ContextMemory;
import io.github.llmestimator.memory.ContextSettings;
import io.github.llmestimator.memory.KvCacheType;
import io.github.llmestimator.memory.KvLayout;
import io.github.llmestimator.model.ModelSpec;
import io.github.llmestimator.quant.QuantScheme;
import io.github.llmestimator.quant.QuantizationPlan;
import io.github.llmestimator.quant.TensorType;
import io.github.llmestimator.testing.ReferenceModels;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Every public entry point rejects null with a NullPointerException that names the parameter. */
final class NullArgumentsTest {

    private static void assertNamesParameter(String parameter, Executable call) {
        assertEquals(parameter, assertThrows(NullPointerException.class, call).getMessage());
    }

    @Test
    void factoriesAndLookups() {
        ModelSpec model = ReferenceModels.llama31_8b();
        assertNamesParameter("name", () -> TensorType.ofName(null));
        assertNamesParameter("name", () -> QuantScheme.ofName(null));
        assertNamesParameter("name", () -> KvCacheType.ofName(null));
        assertNamesParameter("model", () -> QuantizationPlan.of(null));
        assertNamesParameter("scheme", () -> QuantizationPlan.of(model).assign(null, false));
        assertNamesParameter("model", () -> QuantScheme.Q4_K_M.assign(null));
        assertNamesParameter("model", () -> ContextMemory.of(null, ContextSettings.defaults(512)));
        assertNamesParameter("settings", () -> ContextMemory.of(model, null));
        assertNamesParameter("model", () -> KvLayout.of(null, KvCacheType.F16, KvCacheType.F16, true));
        assertNamesParameter("settings", () -> KvLayout.of(model, ContextSettings.defaults(512)).memory(null));
    }

    @Test
    void fluentSteps() {
        Estimator base = Estimator.of(ReferenceModels.llama31_8b());
        assertNamesParameter("model", () -> Estimator.of((ModelSpec) null));
        assertNamesParameter("file", () -> Estimator.of((GgufModel) null));
        assertNamesParameter("deployment", () -> base.on((Deployment) null));
        assertNamesParameter("device", () -> base.on((Device) null));
        assertNamesParameter("keyType", () -> base.kvCacheTypes(null, KvCacheType.F16));
    }

    @Test
    void hardwareAndFiles() {
        assertThrows(NullPointerException.class, () -> Device.builder(null, DeviceKind.DISCRETE_GPU));
        assertThrows(NullPointerException.class, () -> Device.builder("gpu", null));
        assertThrows(NullPointerException.class, () -> Deployment.of(null));
        assertThrows(NullPointerException.class, () -> GgufModel.read((Path) null));
    }
}
