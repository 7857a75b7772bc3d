package io.github.llmestimator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.lang.module.ModuleDescriptor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The public API is exactly what module-info exports, and core requires nothing but java.base. */
final class ModuleDescriptorTest {

    @Test
    void moduleNameAndExports() throws IOException {
        ModuleDescriptor descriptor;
        try (InputStream in = Files.newInputStream(Path.of("target/classes/module-info.class"))) {
            descriptor = ModuleDescriptor.read(in);
        }
        assertEquals("io.github.llmestimator.core", descriptor.name());
        Set<String> exports = new TreeSet<>();
        descriptor.exports().forEach(e -> {
            assertTrue(e.targets().isEmpty(), "qualified export " + e);
            exports.add(e.source());
        });
        assertEquals(Set.of("io.github.llmestimator", "io.github.llmestimator.gguf", "io.github.llmestimator.hardware",
                "io.github.llmestimator.memory",
                "io.github.llmestimator.model", "io.github.llmestimator.planning", "io.github.llmestimator.quant",
                "io.github.llmestimator.runtime", "io.github.llmestimator.throughput", "io.github.llmestimator.vision"),
                exports);
        Set<String> requires = new TreeSet<>();
        descriptor.requires().forEach(r -> requires.add(r.name()));
        assertEquals(Set.of("java.base"), requires);
    }
}
