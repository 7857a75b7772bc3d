package io.github.llmestimator.site;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.llmestimator.Estimate;
import io.github.llmestimator.Estimator;
import io.github.llmestimator.catalog.Catalog;
import io.github.llmestimator.catalog.ModelPreset;
import io.github.llmestimator.examples.SpeedMatrix;
import io.github.llmestimator.examples.SpeedRow;
import io.github.llmestimator.examples.Views;
import io.github.llmestimator.hardware.DeviceKind;
import io.github.llmestimator.memory.ContextSettings;
import io.github.llmestimator.memory.DataSize;
import io.github.llmestimator.memory.KvCacheType;
import io.github.llmestimator.model.ModelSpec;
import io.github.llmestimator.quant.QuantScheme;
import io.github.llmestimator.throughput.DecodeSpeed;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Loads the generated pages from {@code file://} in headless Chromium (Debian's {@code chromium} and
 * {@code chromium-driver}), changes the quantization, context, cache type and hardware as a person does, and checks
 * every figure the page shows against the library, computed here through its API. Skipped, with a message, where
 * Chromium or its driver is absent; {@code .ci/run} installs both. Screenshots go to {@code target/screenshots}.
 */
class SiteBrowserIT {

    private static final Path CHROMEDRIVER = Path.of(System.getProperty("chromedriver", "/usr/bin/chromedriver"));
    private static final Path CHROMIUM = Path.of(System.getProperty("chromium", "/usr/bin/chromium"));
    private static final Path SITE = Path.of(System.getProperty("site.dir", "target/site")).toAbsolutePath();
    private static final Path SCREENSHOTS = Path.of(System.getProperty("screenshots.dir", "target/screenshots"));

    /** Dense, mixture of experts, and two hybrids (gated DeltaNet; Mamba-2). */
    private static final List<String> MODELS = List.of("llama-3.1-8b", "qwen3.5-397b-a17b", "qwen3-next-80b-a3b",
            "granite-4.0-h-small");

    private static final int RANDOM_SETTINGS_PER_MODEL = 20;

    private static WebDriver driver;
    private static long started;

    @BeforeAll
    static void startBrowser() throws IOException {
        assumeTrue(Files.isExecutable(CHROMEDRIVER) && Files.isExecutable(CHROMIUM), "skipped: the browser test needs"
                + " Chromium and its driver (" + CHROMIUM + ", " + CHROMEDRIVER + "); on Debian: apt-get install"
                + " chromium chromium-driver (.ci/run installs them)");
        started = System.nanoTime();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--allow-file-access-from-files", "--window-size=1200,2400");
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
                .build();
        driver = new ChromeDriver(service, options);
        Files.createDirectories(SCREENSHOTS);
    }

    @AfterAll
    static void stopBrowser() {
        if (driver != null) {
            driver.quit();
            System.out.printf(Locale.ROOT, "browser test: %.1f s in headless Chromium%n",
                    (System.nanoTime() - started) / 1e9);
        }
    }

    /** The figures the issue names, at the default setting, against the values worked out in the README. */
    @Test
    void flagshipAtQ4KMAnd8K() throws IOException {
        open("qwen3.5-397b-a17b");
        waitFor("memory", "Q4_K_M|f16|8192");
        waitFor("speeds", "Q4_K_M|f16|8192");
        // README: "total 225.46 GiB (242.09 GB), kit 256 GB" for Qwen3.5-397B-A17B at Q4_K_M and 8192 tokens
        assertEquals("225.46 GiB (242.09 GB)", text("total"));
        assertEquals("256 GB kit", text("kit"));
        checkMemory(Catalog.model("qwen3.5-397b-a17b"), QuantScheme.Q4_K_M, 8192, KvCacheType.F16);
        checkSpeeds(Catalog.model("qwen3.5-397b-a17b"), QuantScheme.Q4_K_M, 8192, KvCacheType.F16);
        screenshot("qwen3.5-397b-a17b-Q4_K_M-8K");
        // a person types the trained maximum
        WebElement context = driver.findElement(By.id("context"));
        context.sendKeys(Keys.chord(Keys.CONTROL, "a"), "262144");
        waitFor("memory", "Q4_K_M|f16|262144");
        waitFor("speeds", "Q4_K_M|f16|262144");
        checkMemory(Catalog.model("qwen3.5-397b-a17b"), QuantScheme.Q4_K_M, 262144, KvCacheType.F16);
        checkSpeeds(Catalog.model("qwen3.5-397b-a17b"), QuantScheme.Q4_K_M, 262144, KvCacheType.F16);
        screenshot("qwen3.5-397b-a17b-Q4_K_M-256K");
    }

    /** Quantization, context and cache type changed through the controls, then many random settings. */
    @Test
    void everyFigureEqualsTheLibrary() throws IOException {
        Random random = new Random(18);
        int checked = 0;
        for (String id : MODELS) {
            ModelPreset preset = Catalog.model(id);
            open(id);
            waitFor("speeds", state(defaultScheme(preset), "f16", Math.min(8192, preset.spec().maxContextTokens())));
            new Select(driver.findElement(By.id("scheme"))).selectByValue("Q8_0");
            new Select(driver.findElement(By.id("cache"))).selectByValue("q8_0");
            driver.findElement(By.cssSelector("button[data-context='32768']")).click();
            waitFor("memory", "Q8_0|q8_0|32768");
            waitFor("speeds", "Q8_0|q8_0|32768");
            checkMemory(preset, QuantScheme.Q8_0, 32768, KvCacheType.Q8_0);
            checkSpeeds(preset, QuantScheme.Q8_0, 32768, KvCacheType.Q8_0);
            screenshot(id + "-Q8_0-32K-q8_0");
            List<String> schemes = options("scheme");
            List<String> caches = options("cache");
            int max = preset.spec().maxContextTokens();
            for (int i = 0; i < RANDOM_SETTINGS_PER_MODEL; i++) {
                String scheme = schemes.get(random.nextInt(schemes.size()));
                String cache = caches.get(random.nextInt(caches.size()));
                // half the contexts short, where the steps of 256 matter; the rest anywhere up to the maximum
                int context = 1 + random.nextInt(i % 2 == 0 ? Math.min(max, 20000) : max);
                set(scheme, cache, context);
                waitFor("memory", state(scheme, cache, context));
                waitFor("speeds", state(scheme, cache, context));
                KvCacheType type = KvCacheType.ofName(cache);
                checkMemory(preset, QuantScheme.ofName(scheme), context, type);
                if (ModelPage.SPEED_CACHE_TYPES.contains(type)) {
                    checkSpeeds(preset, QuantScheme.ofName(scheme), context, type);
                }
                checked++;
            }
        }
        System.out.printf(Locale.ROOT, "browser test: %d random settings on %d model pages equal the library%n",
                checked, MODELS.size());
    }

    /** A context the page does not accept is refused with a message, never clamped. */
    @Test
    void badContextIsRefused() {
        open("llama-3.1-8b");
        waitFor("memory", "Q4_K_M|f16|8192");
        WebElement context = driver.findElement(By.id("context"));
        context.sendKeys(Keys.chord(Keys.CONTROL, "a"), "999999");
        WebElement error = driver.findElement(By.id("context-error"));
        new WebDriverWait(driver, Duration.ofSeconds(10)).until(d -> error.isDisplayed());
        assertEquals("Context: '999999' (expected: a whole number of tokens from 1 to 131,072)", error.getText());
        // typed one key at a time: 99,999 was the last context accepted, and the figures stay at it
        assertEquals("Q4_K_M|f16|99999", driver.findElement(By.id("memory")).getDomAttribute("data-state"));
        assertEquals("true", context.getDomAttribute("aria-invalid"));
    }

    /** The own-hardware page: random kinds, memories, bandwidths and contexts, every model's row. */
    @Test
    void ownHardwareEqualsTheLibrary() throws IOException {
        driver.get(SITE.resolve("hardware.html").toUri().toString());
        Random random = new Random(7);
        DeviceKind[] kinds = DeviceKind.values();
        for (int i = 0; i < 8; i++) {
            DeviceKind kind = i == 0 ? DeviceKind.DISCRETE_GPU : kinds[random.nextInt(kinds.length)];
            int gib = i == 0 ? 24 : 1 + random.nextInt(i % 3 == 0 ? 2048 : 256);
            String bandwidth = i == 0 ? "1008" : String.format(Locale.ROOT, "%.1f", 20 + random.nextDouble() * 3000);
            int context = OwnHardwarePage.CONTEXTS.get(i == 0 ? 1 : random.nextInt(OwnHardwarePage.CONTEXTS.size()));
            new Select(driver.findElement(By.id("kind"))).selectByValue(kind.name());
            new Select(driver.findElement(By.id("hw-context"))).selectByValue(Integer.toString(context));
            driver.findElement(By.id("memory")).sendKeys(Keys.chord(Keys.CONTROL, "a"), Integer.toString(gib));
            driver.findElement(By.id("bandwidth")).sendKeys(Keys.chord(Keys.CONTROL, "a"), bandwidth);
            waitFor("hw-table", kind.name() + "|" + gib + "|" + bandwidth + "|" + context);
            for (ModelPreset preset : Catalog.models()) {
                checkOwnHardware(preset, kind, gib, Double.parseDouble(bandwidth), context);
            }
            if (i == 0) {
                screenshot("hardware-24GiB-1008GBps");
            }
        }
    }

    /** The flagship page at a phone's width, for a person to look at. */
    @Test
    void phoneScreenshot() throws IOException {
        driver.manage().window().setSize(new Dimension(390, 2400));
        try {
            open("qwen3-next-80b-a3b");
            waitFor("speeds", "Q4_K_M|f16|8192");
            screenshot("qwen3-next-80b-a3b-phone");
        } finally {
            driver.manage().window().setSize(new Dimension(1200, 2400));
        }
    }

    private static void checkOwnHardware(ModelPreset preset, DeviceKind kind, int gib, double bandwidth,
            int context) {
        List<String> cells = shownRow(preset.id());
        String scheme = cells.get(0);
        String total = cells.get(1);
        String decode = cells.get(2);
        String where = preset.id() + " on " + kind + " " + gib + " GiB " + bandwidth + " GB/s at " + context;
        ModelSpec spec = preset.spec();
        if (context > spec.maxContextTokens()) {
            assertEquals("-", scheme, where);
            return;
        }
        List<QuantScheme> supported = ModelPage.supportedSchemes(spec);
        var device = OwnHardwarePage.device(kind, (long) gib << 30, bandwidth);
        for (QuantScheme candidate : OwnHardwarePage.SCHEMES) {
            if (!supported.contains(candidate)) {
                continue;
            }
            Estimate estimate = Estimator.of(spec).quant(candidate).context(context).on(device).estimate();
            if (estimate.fits()) {
                DecodeSpeed speed = estimate.decode(context);
                assertEquals(candidate.name(), scheme, where);
                assertEquals(DataSize.ofBytes(estimate.totalBytes()).toString(), total, where);
                assertEquals(Views.speed(speed.tokensPerSecond()) + " (" + Views.speed(speed.lowTokensPerSecond()) + "-"
                        + Views.speed(speed.highTokensPerSecond()) + ")", decode, where);
                return;
            }
        }
        assertEquals("none fits", scheme, where);
    }

    @SuppressWarnings("unchecked")
    private static List<String> shownRow(String id) {
        return (List<String>) ((JavascriptExecutor) driver).executeScript("var tr = document.querySelector("
                + "\"#hw-table tr[data-model='\" + arguments[0] + \"']\"); return ['scheme', 'total', 'decode']"
                + ".map(function (c) { return tr.querySelector('.' + c).textContent; });", id);
    }

    private static void checkMemory(ModelPreset preset, QuantScheme scheme, int context, KvCacheType cache) {
        // the page tabulates each 256-token block at its last token: the same padded context, and below the
        // micro-batch the largest compute buffer of the block (llama.cpp reserves min(context, n_ubatch) tokens)
        int tabulated = (int) Math.min(ContextSettings.pad(context), preset.spec().maxContextTokens());
        Estimate e = Estimator.of(preset.spec()).quant(scheme).context(tabulated).kvCacheType(cache).estimate();
        String where = preset.id() + " " + scheme + " " + context + " " + cache;
        List<String> expected = List.of(DataSize.ofBytes(e.weightBytes()).toString(),
                DataSize.ofBytes(e.kvCacheBytes()).toString(), DataSize.ofBytes(e.recurrentStateBytes()).toString(),
                DataSize.ofBytes(e.kvCacheBytes() + e.recurrentStateBytes()).toString(),
                DataSize.ofBytes(e.outputBufferBytes() + e.computeBufferBytes()).toString(),
                DataSize.ofBytes(e.runtimeOverheadBytes()).toString(), e.total().toString(),
                e.recommendedKit() + " kit");
        // one round trip for the eight cells
        Object shown = ((JavascriptExecutor) driver).executeScript("return ['weights', 'kv', 'state', 'kv-state',"
                + " 'buffers', 'runtime', 'total', 'kit'].map(function (id) {"
                + " return document.getElementById(id).textContent; });");
        assertEquals(expected, shown, where);
    }

    /** The speed matrix shown is the report's at the precomputed context at or above the chosen one. */
    private static void checkSpeeds(ModelPreset preset, QuantScheme scheme, int context, KvCacheType cache) {
        int grid = ModelPage.speedContexts(preset.spec().maxContextTokens()).stream().filter(c -> c >= context)
                .findFirst().orElseThrow();
        Estimator chosen = Estimator.of(preset.spec()).quant(scheme).context(grid).kvCacheType(cache);
        List<SpeedRow> expected = SpeedMatrix.rows(chosen, chosen.estimate());
        List<List<String>> rows = new ArrayList<>();
        for (SpeedRow row : expected) {
            rows.add(List.of(row.label(), row.fitText(), row.decodeText(), row.prefillText()));
        }
        Object shown = ((JavascriptExecutor) driver).executeScript("return Array.from(document.querySelectorAll("
                + "'#speeds tbody tr')).map(function (tr) { return Array.from(tr.cells).map(function (c) {"
                + " return c.textContent; }); });");
        String where = preset.id() + " " + scheme + " " + context + " " + cache;
        assertEquals(rows, shown, where);
        assertEquals(true, text("speed-context").contains("decode at position " + String.format(Locale.ROOT, "%,d",
                grid)), where);
    }

    private static String defaultScheme(ModelPreset preset) {
        List<QuantScheme> schemes = ModelPage.supportedSchemes(preset.spec());
        return (schemes.contains(QuantScheme.Q4_K_M) ? QuantScheme.Q4_K_M : schemes.get(schemes.size() / 2)).name();
    }

    private static void open(String id) {
        driver.get(SITE.resolve("models").resolve(id + ".html").toUri().toString());
    }

    /** Sets the three controls at once, as the page's own handlers would after a person's changes. */
    private static void set(String scheme, String cache, int context) {
        ((JavascriptExecutor) driver).executeScript("document.getElementById('scheme').value = arguments[0];"
                + "document.getElementById('cache').value = arguments[1];"
                + "var c = document.getElementById('context'); c.value = arguments[2];"
                + "c.dispatchEvent(new Event('input'));", scheme, cache, Integer.toString(context));
    }

    private static List<String> options(String select) {
        List<String> values = new ArrayList<>();
        for (WebElement option : new Select(driver.findElement(By.id(select))).getOptions()) {
            values.add(option.getDomAttribute("value"));
        }
        return values;
    }

    private static String state(String scheme, String cache, int context) {
        return scheme + "|" + cache + "|" + context;
    }

    private static void waitFor(String id, String state) {
        new WebDriverWait(driver, Duration.ofSeconds(20)).until(d -> state.equals(
                d.findElement(By.id(id)).getDomAttribute("data-state")));
    }

    private static String text(String id) {
        return driver.findElement(By.id(id)).getText();
    }

    private static void screenshot(String name) throws IOException {
        Files.write(SCREENSHOTS.resolve(name + ".png"),
                ((org.openqa.selenium.TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES));
    }
}
