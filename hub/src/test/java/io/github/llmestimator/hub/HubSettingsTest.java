package io.github.llmestimator.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The Hub's environment conventions, the schemes uploaders' file names state, and Ollama names. */
final class HubSettingsTest {

    @Test
    void environment() {
        HubSettings settings = HubSettings.fromEnvironment(Map.of("HF_ENDPOINT", "https://hf-mirror.com/",
                "HF_TOKEN", "hf_abc", "XDG_CACHE_HOME", "/x/cache", "HOME", "/home/u",
                HubSettings.OLLAMA_REGISTRY_VARIABLE, "http://127.0.0.1:5000"));
        assertEquals(URI.create("https://hf-mirror.com"), settings.endpoint());
        assertTrue(settings.hasToken());
        assertEquals(Optional.of(Path.of("/x/cache", "llm-estimator")), settings.cacheDirectory());
        assertEquals(URI.create("http://127.0.0.1:5000"), settings.ollamaRegistry());
        assertFalse(settings.toString().contains("hf_abc"), settings.toString());

        HubSettings home = HubSettings.fromEnvironment(Map.of("HOME", "/home/u", "HF_TOKEN", " "));
        assertEquals(HubSettings.DEFAULT_ENDPOINT, home.endpoint());
        assertFalse(home.hasToken(), "a blank token counts as unset");
        assertEquals(Optional.of(Path.of("/home/u", ".cache", "llm-estimator")), home.cacheDirectory());
        assertEquals(Optional.empty(), HubSettings.fromEnvironment(Map.of()).cacheDirectory());
    }

    @Test
    void badValues() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> HubSettings.fromEnvironment(Map.of(
                "HF_ENDPOINT", "ftp://mirror"))).getMessage().startsWith("HF_ENDPOINT: 'ftp://mirror' (expected:"));
        assertThrows(IllegalArgumentException.class, () -> HubSettings.defaults().withToken("a\nb"));
        assertThrows(IllegalArgumentException.class, () -> HubSettings.defaults().withTimeouts(Duration.ZERO,
                Duration.ofSeconds(1), Duration.ofSeconds(1)));
        assertThrows(IllegalArgumentException.class, () -> HubSettings.defaults().withLimits(21, 0,
                Duration.ofMillis(1)));
        assertThrows(IllegalArgumentException.class, () -> new Hub(HubSettings.defaults()).listRepository(
                "not a repo", "main"));
        assertThrows(IllegalArgumentException.class, () -> new Hub(HubSettings.defaults()).fileUrl("a/b", "main",
                "../secret"));
    }

    /** File names as uploaders publish them, and the scheme each states. */
    @ParameterizedTest
    @CsvSource({
        "Qwen3-8B-Q4_K_M, Q4_K_M",
        "Qwen3-8B-UD-Q4_K_XL, UD-Q4_K_XL",
        "Qwen_Qwen3-8B-Q6_K_L, Q6_K_L",
        "Meta-Llama-3.1-8B-Instruct-IQ4_XS, IQ4_XS",
        "Qwen3-0.6B-Q8_0, Q8_0",
        "gpt-oss-120b-MXFP4_MOE, MXFP4_MOE",
        "BF16/Qwen3-235B-A22B-bf16, BF16",
        "mmproj-F16, F16",
        "DeepSeek-R1-UD-IQ1_S, UD-IQ1_S",
        "Llama-2-7b-chat.Q4_0, Q4_0"
    })
    void schemeFromName(String base, String scheme) {
        assertEquals(scheme, GgufGroup.schemeOf(base));
    }

    @Test
    void noSchemeInName() {
        assertNull(GgufGroup.schemeOf("model"));
        assertNull(GgufGroup.schemeOf("ggml-model-imatrix"));
    }

    @Test
    void ollamaNames() {
        assertEquals("qwen3:8b", OllamaName.parse("library/qwen3:8b").toString());
        assertEquals("user/m:latest", OllamaName.parse("user/m").toString());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> OllamaName.parse("registry.example/u/m:1"))
                .getMessage().contains(HubSettings.OLLAMA_REGISTRY_VARIABLE));
        assertThrows(IllegalArgumentException.class, () -> OllamaName.parse("qwen3:"));
        assertThrows(IllegalArgumentException.class, () -> OllamaName.parse("bad name"));
    }
}
