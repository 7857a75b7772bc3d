package io.github.llmestimator.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InputStream;
import java.lang.module.ModuleDescriptor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The catalog module's name, exports and requirements. */
final class ModuleDescriptorTest {

    @Test
    void moduleNameExportsAndRequires() throws IOException {
        ModuleDescriptor descriptor;
        try (InputStream in = Files.newInputStream(Path.of("target/classes/module-info.class"))) {
            descriptor = ModuleDescriptor.read(in);
        }
        assertEquals("io.github.llmestimator.catalog", descriptor.name());
        Set<String> exports = new TreeSet<>();
        descriptor.exports().forEach(e -> exports.add(e.source()));
        assertEquals(Set.of("io.github.llmestimator.catalog"), exports);
        Set<String> requires = new TreeSet<>();
        descriptor.requires().forEach(r -> requires.add(r.name()));
        assertEquals(Set.of("java.base", "io.github.llmestimator.core", "com.fasterxml.jackson.jr.ob", "org.slf4j"),
                requires);
    }
}
