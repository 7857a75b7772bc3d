package io.github.llmestimator.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.llmestimator.hardware.DeviceKind;
import io.github.llmestimator.hardware.Precision;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

final class HardwareCatalogTest {

    private static final Path HARDWARE_DIR = Path.of("src/main/resources/io/github/llmestimator/catalog/hardware");

    /** Every entry loads and names the source of every figure it has. */
    @Test
    void everyDevice_hasSources() {
        for (HardwarePreset preset : Catalog.hardware()) {
            assertTrue(preset.sources().containsKey("memory"), preset.id());
            assertTrue(preset.sources().containsKey("bandwidth"), preset.id());
            boolean hasCompute = false;
            for (Precision p : Precision.values()) {
                hasCompute |= preset.device().denseTflops(p).isPresent();
            }
            if (hasCompute) {
                assertTrue(preset.sources().containsKey("compute"), preset.id() + ": compute figures without a source");
            }
            if (preset.device().hostLink().isPresent()) {
                assertTrue(preset.sources().containsKey("hostLink"), preset.id());
            }
        }
    }

    @Test
    void index_listsEveryFile() throws IOException {
        Set<String> files;
        try (Stream<Path> stream = Files.list(HARDWARE_DIR)) {
            files = stream.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".json"))
                    .map(n -> n.substring(0, n.length() - 5)).collect(Collectors.toSet());
        }
        assertEquals(files, Set.copyOf(Catalog.index("hardware")));
        assertTrue(files.size() >= 35, "at least 35 devices, found " + files.size());
    }

    /**
     * Datasheet figures, spot-checked by hand: RTX 4090 24 GiB at 1008 GB/s (Ada whitepaper); dual-channel DDR5-5600 =
     * 2 x 5600 MT/s x 8 B = 89.6 GB/s; H100 SXM 3350 GB/s, 80 GiB.
     */
    @Test
    void datasheetFigures() {
        assertEquals(24L << 30, Hardware.RTX_4090.memoryBytes());
        assertEquals(1008.0, Hardware.RTX_4090.memoryBandwidthGBps(), 0.0);
        assertEquals(DeviceKind.DISCRETE_GPU, Hardware.RTX_4090.kind());
        assertEquals(89.6, Hardware.DDR5_5600_DUAL_CHANNEL.memoryBandwidthGBps(), 1e-9);
        assertEquals(DeviceKind.SYSTEM_RAM, Hardware.DDR5_5600_DUAL_CHANNEL.kind());
        assertEquals(3350.0, Catalog.hardware("h100-sxm").device().memoryBandwidthGBps(), 0.0);
        assertEquals(80L << 30, Catalog.hardware("h100-sxm").device().memoryBytes());
        assertEquals(DeviceKind.UNIFIED_MEMORY, Catalog.hardware("m3-ultra").device().kind());
    }

    /**
     * Published power figures: NVIDIA's 450 W total board power of the RTX 4090, Apple's 10 W idle and 295 W maximum
     * at the wall for the M2 Ultra Mac Studio (https://support.apple.com/en-us/102027), the GB10's 140 W package
     * power; every device with a figure names its source, and devices whose figure was not verified have none.
     */
    @Test
    void powerFigures() {
        io.github.llmestimator.hardware.Power rtx = Hardware.RTX_4090.power().orElseThrow();
        assertEquals(450, rtx.maxWatts());
        assertEquals(io.github.llmestimator.hardware.Power.Scope.BOARD, rtx.scope());
        assertTrue(rtx.idle().isEmpty());
        io.github.llmestimator.hardware.Power mac = Catalog.hardware("m2-ultra").device().power().orElseThrow();
        assertEquals(295, mac.maxWatts());
        assertEquals(10, mac.idle().getAsDouble());
        assertEquals(io.github.llmestimator.hardware.Power.Scope.SYSTEM, mac.scope());
        assertEquals(140, Catalog.hardware("dgx-spark").device().power().orElseThrow().maxWatts());
        assertTrue(Catalog.hardware("a100-80gb").device().power().isEmpty());
        long withPower = 0;
        for (HardwarePreset preset : Catalog.hardware()) {
            if (preset.device().power().isPresent()) {
                withPower++;
                assertTrue(preset.sources().get("power").startsWith("https://"), preset.id());
            }
        }
        assertEquals(13, withPower);
    }

    @Test
    void hardware_unknownIdListsClosest() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Catalog.hardware("rtx-4900"));
        assertTrue(e.getMessage().startsWith("hardware id: 'rtx-4900' (expected a catalog id; closest: [rtx-40"),
                e.getMessage());
        assertTrue(e.getMessage().contains("rtx-4090"), e.getMessage());
    }
}
