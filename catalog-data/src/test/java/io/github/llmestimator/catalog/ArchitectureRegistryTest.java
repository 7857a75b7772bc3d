package io.github.llmestimator.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.llmestimator.model.Architecture;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Every architecture is known to both importers or to neither. Both consult {@link Architecture}; this test checks
 * that the config.json importer has a family for every model type of the table and no family outside it. The GGUF
 * side is checked in core: {@code GgufModelTest.roundTrip_everyArchitectureIsCovered} requires a written and re-read
 * GGUF file of every architecture of the same table, so an entry the GGUF mapper cannot map fails there.
 */
final class ArchitectureRegistryTest {

    @Test
    void everyArchitectureHasAConfigFamily() {
        List<String> missing = new ArrayList<>();
        for (Architecture a : Architecture.values()) {
            for (String type : a.modelTypes()) {
                if (!HuggingFaceConfigImporter.familyModelTypes().contains(type)) {
                    missing.add(a + ": " + type);
                }
            }
        }
        assertEquals(List.of(), missing, "model types of the table the config.json importer cannot read");
    }

    @Test
    void everyConfigFamilyIsInTheTable() {
        Set<String> outside = new TreeSet<>();
        for (String type : HuggingFaceConfigImporter.familyModelTypes()) {
            if (Architecture.ofModelType(type).isEmpty()) {
                outside.add(type);
            }
        }
        assertEquals(Set.of(), outside, "config.json families the GGUF side does not know");
    }

    @Test
    void namesAreUnique() {
        Set<String> ggufNames = new TreeSet<>();
        Set<String> modelTypes = new TreeSet<>();
        int types = 0;
        for (Architecture a : Architecture.values()) {
            assertTrue(ggufNames.add(a.ggufName()), "GGUF name twice: " + a.ggufName());
            modelTypes.addAll(a.modelTypes());
            types += a.modelTypes().size();
        }
        assertEquals(types, modelTypes.size(), "a model type under two architectures");
    }

    /** The spec a config.json gives is named by the table: its architecture is the GGUF name of its model type. */
    @Test
    void importedSpecsCarryTheTablesGgufName() {
        for (ModelPreset preset : Catalog.models()) {
            String architecture = preset.spec().architecture();
            assertTrue(Architecture.ofGgufName(architecture).isPresent(), preset.id() + ": " + architecture);
        }
    }
}
