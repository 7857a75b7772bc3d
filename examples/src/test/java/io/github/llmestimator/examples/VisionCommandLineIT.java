package io.github.llmestimator.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The CLI's projector and image options, run as a user runs the jar. */
class VisionCommandLineIT {

    @Test
    void imagesAndProjectorInTheReport() {
        CliRun run = CliRun.of("estimate", "-m", "gemma-3-4b", "-c", "8192", "--images", "2", "--image-size",
                "1024x768", "--json");
        assertEquals(0, run.status(), run.err());
        @SuppressWarnings("unchecked")
        Map<String, Object> vision = (Map<String, Object>) ((Map<String, Object>) run.json().get("memory"))
                .get("vision");
        // Gemma 3 4B's F16 projector, worked out in VisionTowerTest: 851,226,048 bytes
        assertEquals(851_226_048L, ((Number) ((Map<?, ?>) vision.get("projector")).get("bytes")).longValue());
        // 256 embeddings and <start_of_image>, <end_of_image> per image
        assertEquals(258, ((Number) vision.get("tokensPerImage")).intValue());
        assertEquals(516, ((Number) vision.get("imageTokensPerSequence")).intValue());
    }

    @Test
    void aTextModelHasNoTowerToLoad() {
        CliRun run = CliRun.of("estimate", "-m", "qwen3-8b", "--mmproj", "q8_0");
        assertEquals(2, run.status(), run.out());
        assertTrue(run.err().contains("has no vision tower"), run.err());
        CliRun size = CliRun.of("estimate", "-m", "gemma-3-4b", "--images", "1", "--image-size", "1024");
        assertEquals(2, size.status(), size.out());
        assertTrue(size.err().contains("--image-size: '1024'"), size.err());
    }
}
