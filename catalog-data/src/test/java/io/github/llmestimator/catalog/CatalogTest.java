package io.github.llmestimator.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

final class CatalogTest {

    private static final Path MODELS_DIR = Path.of("src/main/resources/io/github/llmestimator/catalog/models");

    /**
     * Every preset's derived total is within 1% of the total its card states, and its derived active count (under the
     * card's counting convention) within 3% of the card's active count where the card states one. Entries whose card
     * only rounds loosely (a name such as "4B" that includes a vision tower) say why and are held to 10%. Prints the
     * table so a reviewer sees the derivations.
     */
    @Test
    void everyModel_matchesStatedParameters() {
        StringBuilder table = new StringBuilder(String.format(Locale.ROOT, "%-26s %14s %14s %7s %14s %14s %7s%n",
                "id", "stated total", "derived", "ratio", "stated active", "derived", "ratio"));
        StringBuilder failures = new StringBuilder();
        for (ModelPreset preset : Catalog.models()) {
            long total = preset.spec().totalParameters();
            boolean loose = !preset.looseCountsReason().isEmpty();
            double totalTolerance = loose ? 0.10 : 0.01;
            double activeTolerance = loose ? 0.10 : 0.03;
            double totalRatio = (double) total / preset.statedTotalParameters();
            String activeCell = "";
            if (preset.statedActiveParameters().isPresent()) {
                long stated = preset.statedActiveParameters().getAsLong();
                long derived = preset.activeConvention().activeParameters(preset.spec());
                double activeRatio = (double) derived / stated;
                activeCell = String.format(Locale.ROOT, "%14d %14d %7.3f %s", stated, derived, activeRatio,
                        preset.activeConvention());
                if (Math.abs(activeRatio - 1) > activeTolerance) {
                    failures.append(preset.id()).append(" active ratio ").append(activeRatio).append('\n');
                }
            }
            table.append(String.format(Locale.ROOT, "%-26s %14d %14d %7.3f %s%n", preset.id(),
                    preset.statedTotalParameters(), total, totalRatio, activeCell));
            if (Math.abs(totalRatio - 1) > totalTolerance) {
                failures.append(preset.id()).append(" total ratio ").append(totalRatio).append('\n');
            }
        }
        System.out.print(table);
        assertEquals("", failures.toString());
    }

    @Test
    void everyModel_hasSources() {
        for (ModelPreset preset : Catalog.models()) {
            assertTrue(preset.parameterSource().length() > 10, preset.id());
            assertTrue(preset.configSource().length() > 10, preset.id());
        }
    }

    /** The keys a model file may hold, each with the type its value must have. */
    private static final java.util.Map<String, Class<?>> REQUIRED_KEYS = java.util.Map.of("id", String.class,
            "displayName", String.class, "huggingFaceRepo", String.class, "statedTotalParameters", Number.class,
            "parameterSource", String.class, "configSource", String.class, "notes", String.class,
            "config", java.util.Map.class);
    private static final java.util.Map<String, Class<?>> OPTIONAL_KEYS = java.util.Map.of(
            "statedActiveParameters", Number.class, "looseStatedCounts", String.class,
            "activeParametersConvention", String.class, "derivation", String.class,
            "publishedFilesKeepMtp", Boolean.class, "publishedFilesMtpSource", String.class);

    /**
     * What is wrong with one model file's keys: a key missing, unknown or of the wrong type, a count that is not a
     * whole positive number, a blank text, a parameter or config source without an address, an id other than the file's
     * name, a repository that is not
     * {@code owner/name}. Empty when the file is well formed.
     */
    static List<String> schemaProblems(String fileId, java.util.Map<String, Object> file) {
        List<String> problems = new java.util.ArrayList<>();
        for (String key : REQUIRED_KEYS.keySet()) {
            if (!file.containsKey(key) || file.get(key) == null) {
                problems.add("missing " + key);
            }
        }
        file.forEach((key, value) -> {
            Class<?> type = REQUIRED_KEYS.containsKey(key) ? REQUIRED_KEYS.get(key) : OPTIONAL_KEYS.get(key);
            if (type == null) {
                problems.add("unknown key " + key);
            } else if (value != null && !type.isInstance(value)) {
                problems.add(key + " is " + value.getClass().getSimpleName() + ", not " + type.getSimpleName());
            } else if (value instanceof String && ((String) value).isBlank()) {
                problems.add(key + " is blank");
            } else if (value instanceof Number && (((Number) value).doubleValue() < 1
                    || ((Number) value).doubleValue() != Math.rint(((Number) value).doubleValue()))) {
                problems.add(key + " = " + value + " is not a whole number >= 1");
            }
        });
        for (String source : List.of("parameterSource", "configSource")) {
            if (file.get(source) instanceof String && !((String) file.get(source)).contains("https://")) {
                problems.add(source + " names no https:// address");
            }
        }
        if (!fileId.equals(file.get("id"))) {
            problems.add("id " + file.get("id") + " is not the file's name " + fileId);
        }
        if (file.get("huggingFaceRepo") instanceof String
                && !((String) file.get("huggingFaceRepo")).matches("[A-Za-z0-9][\\w.-]*/[\\w.-]+")) {
            problems.add("huggingFaceRepo " + file.get("huggingFaceRepo") + " is not owner/name");
        }
        return problems;
    }

    /** Every model file holds exactly the allowed keys, each of its type, with sources that name an address. */
    @Test
    void everyModelFile_matchesTheSchema() throws IOException {
        StringBuilder failures = new StringBuilder();
        for (String id : Catalog.index("models")) {
            java.util.Map<String, Object> file = com.fasterxml.jackson.jr.ob.JSON.std.mapFrom(
                    Files.readString(MODELS_DIR.resolve(id + ".json")));
            schemaProblems(id, file).forEach(p -> failures.append(id).append(": ").append(p).append('\n'));
        }
        assertEquals("", failures.toString());
    }

    /** The schema check finds each kind of fault in a hand-made file (so that the test above can fail). */
    @Test
    void schemaProblems_findEachFault() {
        java.util.Map<String, Object> file = new java.util.LinkedHashMap<>();
        file.put("id", "other");
        file.put("displayName", " ");
        file.put("huggingFaceRepo", "no-slash");
        file.put("statedTotalParameters", 1.5);
        file.put("parameterSource", "the card");
        file.put("configSource", "https://example.org/config.json");
        file.put("notes", "");
        file.put("colour", "blue");
        file.put("publishedFilesKeepMtp", "yes");
        assertEquals(List.of("missing config", "displayName is blank",
                "statedTotalParameters = 1.5 is not a whole number >= 1", "notes is blank", "unknown key colour",
                "publishedFilesKeepMtp is String, not Boolean", "parameterSource names no https:// address",
                "id other is not the file's name x", "huggingFaceRepo no-slash is not owner/name"),
                schemaProblems("x", file));
    }

    /** The index lists exactly the data files, so no file is silently left out. */
    @Test
    void index_listsEveryFile() throws IOException {
        Set<String> files;
        try (Stream<Path> stream = Files.list(MODELS_DIR)) {
            files = stream.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".json"))
                    .map(n -> n.substring(0, n.length() - 5)).collect(Collectors.toSet());
        }
        assertEquals(files, Set.copyOf(Catalog.index("models")));
        assertTrue(files.size() >= 60, "at least 60 models, found " + files.size());
    }

    @Test
    void model_unknownIdListsClosest() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Catalog.model("qwen3.5-397b-a1"));
        assertTrue(e.getMessage().startsWith("model id: 'qwen3.5-397b-a1' (expected a catalog id; closest: "
                + "[qwen3.5-397b-a17b"), e.getMessage());
        assertFalse(Catalog.findModel("nope").isPresent());
        assertEquals("qwen3.5-397b-a17b", Catalog.model("Qwen3.5-397B-A17B").id());
    }

    @Test
    void dataVersion_isADate() {
        assertTrue(Catalog.dataVersion().matches("\\d{4}-\\d{2}-\\d{2}"), Catalog.dataVersion());
    }

    @Test
    void distance_levenshtein() {
        assertEquals(3, Catalog.distance("kitten", "sitting"));
        assertEquals(List.of("b", "ab"), Catalog.closest("b", List.of("ab", "b")));
        // a shortened id: the full id that begins with it first, though llama-2-13b is fewer edits away (6 against 8);
        // then by edits (llama-4-maverick-17b-128e is 16 away)
        assertEquals(List.of("llama-4-scout-17b-16e", "llama-2-13b", "llama-4-maverick-17b-128e"),
                Catalog.closest("llama-4-scout", List.of("llama-2-13b", "llama-4-maverick-17b-128e",
                        "llama-4-scout-17b-16e")));
    }

    /** A model by the names people use: id, Hugging Face repository (any case, as an address too), Ollama tag. */
    @Test
    void findModelByAlias() {
        for (String name : List.of("qwen3-30b-a3b", "Qwen/Qwen3-30B-A3B", "qwen/qwen3-30b-a3b",
                "https://huggingface.co/Qwen/Qwen3-30B-A3B", "hf.co/Qwen/Qwen3-30B-A3B", "qwen3:30b", "QWEN3:30B-A3B",
                " qwen3:30b ")) {
            assertEquals("qwen3-30b-a3b", Catalog.findModelByAlias(name).map(ModelPreset::id).orElse(null), name);
        }
        for (String name : List.of("unsloth/Qwen3-30B-A3B-GGUF", "UNSLOTH/qwen3-30b-a3b-gguf",
                "https://huggingface.co/unsloth/Qwen3-30B-A3B-GGUF")) {
            assertEquals("qwen3-30b-a3b", Catalog.findModelByAlias(name).map(ModelPreset::id).orElse(null), name);
        }
        assertFalse(Catalog.findModelByAlias("qwen3:31b").isPresent());
        assertFalse(Catalog.findModelByAlias("Qwen/Qwen3-31B").isPresent());
        assertThrows(NullPointerException.class, () -> Catalog.findModelByAlias(null));
    }

    /** The repository first, then the other names in the order of the data file, spelled as it spells them. */
    @Test
    void aliases() {
        assertEquals(List.of("Qwen/Qwen3-30B-A3B", "qwen3:30b", "qwen3:30b-a3b", "unsloth/Qwen3-30B-A3B-GGUF"),
                Catalog.aliases(Catalog.model("qwen3-30b-a3b")));
        assertEquals(List.of("zai-org/GLM-4.6", "unsloth/GLM-4.6-GGUF", "zai-org/GLM-4.7"),
                Catalog.aliases(Catalog.model("glm-4.6")));
    }

    /** Every alias line names a catalog model and a source; no alias is claimed by two models. */
    @Test
    void aliasFile_everyLineHasModelAndSource() throws IOException {
        Set<String> seen = new java.util.HashSet<>();
        for (String line : Files.readAllLines(MODELS_DIR.resolve("aliases.tsv"))) {
            if (line.startsWith("#") || line.startsWith("alias\t") || line.isBlank()) {
                continue;
            }
            String[] fields = line.split("\t");
            assertEquals(3, fields.length, line);
            assertTrue(Catalog.findModel(fields[1]).isPresent(), line);
            assertTrue(fields[2].startsWith("https://"), line);
            assertTrue(seen.add(fields[0].toLowerCase(Locale.ROOT)), "duplicate alias: " + line);
        }
        assertTrue(seen.size() >= 120, "aliases: " + seen.size());
    }

    /** Every name of the data file, and every preset's repository, finds its own preset and no other. */
    @Test
    void everyAliasAndRepository_findsItsPreset() throws IOException {
        StringBuilder failures = new StringBuilder();
        for (String line : Files.readAllLines(MODELS_DIR.resolve("aliases.tsv"))) {
            if (line.startsWith("#") || line.startsWith("alias\t") || line.isBlank()) {
                continue;
            }
            String[] fields = line.split("\t");
            String found = Catalog.findModelByAlias(fields[0]).map(ModelPreset::id).orElse("nothing");
            if (!found.equals(fields[1])) {
                failures.append(fields[0]).append(" finds ").append(found).append('\n');
            }
        }
        for (ModelPreset preset : Catalog.models()) {
            String found = Catalog.findModelByAlias(preset.huggingFaceRepo()).map(ModelPreset::id).orElse("nothing");
            if (!found.equals(preset.id())) {
                failures.append(preset.huggingFaceRepo()).append(" finds ").append(found).append('\n');
            }
        }
        assertEquals("", failures.toString());
    }

    @Test
    void closestModelIds() {
        assertEquals("qwen3-8b", Catalog.closestModelIds("qwen3-8c").get(0));
        assertEquals(5, Catalog.closestModelIds("x").size());
    }

    /**
     * llama.cpp's own DGX Spark benchmarks (benches/dgx-spark.md) list gpt-oss-20b (the 11.27 GiB MXFP4 file) at five
     * depths, tg32 and pp2048 each: ten rows, decode first, the first 84.10 tokens/s at depth 0.
     */
    @Test
    void publishedSpeeds_ofAModelOnACatalogDevice() {
        List<PublishedSpeed> rows = Catalog.publishedSpeeds("gpt-oss-20b", "dgx-spark",
                io.github.llmestimator.quant.QuantScheme.MXFP4_MOE);
        assertEquals(10, rows.size());
        assertTrue(rows.get(0).isDecode() && rows.get(0).depth() == 0, rows.get(0).toString());
        assertEquals(84.10, rows.get(0).tokensPerSecond());
        assertTrue(rows.get(9).test().startsWith("pp"));
        assertTrue(Catalog.publishedSpeeds("gpt-oss-20b", "rtx-4090",
                io.github.llmestimator.quant.QuantScheme.Q8_0).isEmpty());
        assertTrue(Catalog.publishedSpeeds().size() >= 780);
        assertThrows(NullPointerException.class, () -> Catalog.publishedSpeeds(null, "dgx-spark",
                io.github.llmestimator.quant.QuantScheme.Q8_0));
    }
}
