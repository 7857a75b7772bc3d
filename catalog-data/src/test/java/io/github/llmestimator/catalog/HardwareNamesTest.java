package io.github.llmestimator.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

final class HardwareNamesTest {

    /** The rows of hardware/aliases.tsv read here independently of the catalog: name to the ids listed for it. */
    private static Map<String, List<String>> rows() throws IOException {
        Map<String, List<String>> rows = new LinkedHashMap<>();
        try (InputStream in = Catalog.open("hardware/aliases.tsv")) {
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (line.startsWith("#") || line.startsWith("alias\t") || line.isBlank()) {
                    continue;
                }
                String[] fields = line.split("\t");
                rows.computeIfAbsent(fields[0], name -> new ArrayList<>()).add(fields[1]);
            }
        }
        return rows;
    }

    private static List<String> ids(String name) {
        return Catalog.findHardwareByName(name).stream().map(HardwarePreset::id).toList();
    }

    /** Every name of the file finds exactly the presets listed for it: its own one, or all of an ambiguous one. */
    @Test
    void everyAlias_resolvesToItsOwnPresets() throws IOException {
        Map<String, List<String>> rows = rows();
        assertTrue(rows.size() >= 300, "names: " + rows.size());
        rows.forEach((name, listed) -> {
            assertEquals(listed.stream().sorted().toList(), ids(name).stream().sorted().toList(), name);
            if (listed.size() == 1) {
                assertEquals(listed.get(0), Catalog.hardwareByName(name).id(), name);
                assertEquals(listed.get(0), Catalog.hardwareByName(name.toUpperCase(java.util.Locale.ROOT)).id(), name);
                assertTrue(Catalog.hardwareAliases(Catalog.hardware(listed.get(0))).contains(name), name);
            }
        });
    }

    /** Case, spaces, '-' and '_' do not matter; '+' does (a Xeon 8480 is not an 8480+). */
    @Test
    void lookup_ignoresCaseAndSpacing() {
        for (String name : List.of("RTX 4090", "GeForce RTX 4090", "4090", "rtx4090", "rtx_4090", "NVIDIA GeForce RTX 4090",
                " rtx-4090 ")) {
            assertEquals("rtx-4090", Catalog.hardwareByName(name).id(), name);
        }
        for (String name : List.of("Radeon RX 7900 XTX", "7900xtx", "7900 XTX", "RX-7900-XTX")) {
            assertEquals("rx-7900-xtx", Catalog.hardwareByName(name).id(), name);
        }
        assertEquals("rx-7900-xt", Catalog.hardwareByName("7900 XT").id());
        assertEquals("m4-pro-24gb", Catalog.hardwareByName("M4 Pro 24GB").id());
        assertEquals("m4-pro-24gb", Catalog.hardwareByName("apple m4 pro 24 gb").id());
        assertEquals("dgx-spark", Catalog.hardwareByName("DGX Spark").id());
        assertEquals("dgx-spark", Catalog.hardwareByName("gb10").id());
        assertEquals("ryzen-ai-max-395", Catalog.hardwareByName("Strix Halo").id());
        assertEquals("ryzen-ai-max-395", Catalog.hardwareByName("Ryzen AI Max+ 395").id());
        assertEquals("xeon-8480-plus", Catalog.hardwareByName("Xeon 8480+").id());
        assertEquals(List.of(), ids("Xeon 8480"));
        assertEquals("core-i9-14900k", Catalog.hardwareByName("i9-14900K").id());
    }

    /**
     * A name that fits several presets is never settled silently: the bare M4 Pro is sold with 24, 48 and 64 GB, and the
     * error lists each preset to choose from. The exact id still names its one preset.
     */
    @Test
    void ambiguousName_listsTheChoices() {
        assertEquals(List.of("m4-pro", "m4-pro-24gb", "m4-pro-48gb"), ids("M4 Pro").stream().sorted().toList());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Catalog.hardwareByName("M4 Pro"));
        assertTrue(e.getMessage().startsWith("hardware: 'M4 Pro' names 3 catalog devices (expected one of them, by id or"
                + " by a longer name: "), e.getMessage());
        assertTrue(e.getMessage().contains("m4-pro-24gb = Apple M4 Pro (20-core GPU, 24 GB)"), e.getMessage());
        assertTrue(e.getMessage().contains("m4-pro-48gb = Apple M4 Pro (20-core GPU, 48 GB)"), e.getMessage());
        assertTrue(e.getMessage().contains("m4-pro = Apple M4 Pro (20-core GPU, 64 GB)"), e.getMessage());
        assertEquals("m4-pro", Catalog.hardwareByName("m4-pro").id());
        assertEquals(3, ids("H100").size());
        assertEquals(List.of("rtx-4060-ti-16gb", "rtx-4060-ti-8gb"), ids("RTX 4060 Ti").stream().sorted().toList());
    }

    @Test
    void unknownName_listsTheClosest() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Catalog.hardwareByName("RTX 4900"));
        assertTrue(e.getMessage().startsWith("hardware: 'RTX 4900' (expected a catalog id or a device name such as"
                + " 'RTX 4090' or 'M4 Pro 24GB'; closest: ["), e.getMessage());
        assertTrue(Catalog.closestHardware("RTX 4900").contains("rtx-4090"), e.getMessage());
        assertEquals(List.of(), ids("no such device"));
        assertThrows(NullPointerException.class, () -> Catalog.findHardwareByName(null));
    }
}
