package io.github.llmestimator.catalog;

import com.fasterxml.jackson.jr.ob.JSON;
import io.github.llmestimator.hardware.DeviceKind;
import io.github.llmestimator.quant.QuantScheme;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;

/**
 * The catalog of model and hardware presets, each loaded from its data file on first use.
 *
 * <p>Each model is a JSON file under {@code io/github/llmestimator/catalog/models/} holding the model's
 * {@code config.json} as published plus its display name, the parameter counts its card states and the source of each
 * fact; {@code models/index.txt} lists the ids. The data version is {@link #dataVersion()}, also written to the jar
 * manifest as {@code Catalog-Data-Version}.
 *
 * <p>This class is thread-safe; the presets it returns are immutable.
 */
public final class Catalog {

    private static final String ROOT = "/io/github/llmestimator/catalog/";

    private Catalog() {
    }

    private static final class ModelsHolder {
        static final Map<String, ModelPreset> MODELS = loadModels();
    }

    private static final class AliasHolder {
        /** Each alias as the data file spells it (Hugging Face ids keep their case for display), to its catalog id. */
        static final Map<String, String> SPELLED = loadAliases();
        /** The same, keyed in lower case for lookups that ignore case. */
        static final Map<String, String> ALIASES = lowerCaseKeys(SPELLED);
    }

    private static final class SpeedsHolder {
        static final List<PublishedSpeed> SPEEDS = loadSpeeds();
    }

    private static final class HardwareHolder {
        static final Map<String, HardwarePreset> HARDWARE = loadHardware();
    }

    private static final class HardwareNamesHolder {
        /** Each name of {@code hardware/aliases.tsv} as the file spells it, to the ids it stands for, in file order. */
        static final Map<String, List<String>> SPELLED = loadHardwareAliases();
        /** Every name a lookup accepts, as {@link #nameKey}: the aliases, the ids and the display names. */
        static final Map<String, List<String>> KEYS = hardwareKeys();
    }

    /**
     * Returns every model preset, in the order of the index.
     *
     * @return the presets, an immutable list
     * @throws IllegalStateException if a data file is missing or malformed (a packaging error)
     */
    public static List<ModelPreset> models() {
        return List.copyOf(ModelsHolder.MODELS.values());
    }

    /**
     * Returns the model preset with the given id, if there is one.
     *
     * @param id the id, such as {@code qwen3.5-397b-a17b}, not null; case is ignored
     * @return the preset, or empty
     * @throws NullPointerException if {@code id} is null
     */
    public static Optional<ModelPreset> findModel(String id) {
        Objects.requireNonNull(id, "id");
        return Optional.ofNullable(ModelsHolder.MODELS.get(id.trim().toLowerCase(Locale.ROOT)));
    }

    /**
     * Returns the model preset with the given id.
     *
     * @param id the id, not null; case is ignored
     * @return the preset
     * @throws NullPointerException if {@code id} is null
     * @throws IllegalArgumentException if no preset has that id; the message lists the closest ids
     */
    public static ModelPreset model(String id) {
        return findModel(id).orElseThrow(() -> new IllegalArgumentException("model id: '" + id
                + "' (expected a catalog id; closest: " + closest(id, ModelsHolder.MODELS.keySet()) + ")"));
    }

    /**
     * Returns the model preset that a name people use stands for: its catalog id, its Hugging Face repository
     * ({@code Qwen/Qwen3-8B}, also as a {@code https://huggingface.co/...} address), or its name in Ollama's library
     * ({@code qwen3:8b}) or a Hugging Face repository of its GGUF files ({@code unsloth/Qwen3-8B-GGUF}), as listed with
     * sources in {@code models/aliases.tsv}. Case is ignored.
     *
     * @param name the id or alias, not null
     * @return the preset, or empty
     * @throws NullPointerException if {@code name} is null
     */
    public static Optional<ModelPreset> findModelByAlias(String name) {
        Objects.requireNonNull(name, "name");
        Optional<ModelPreset> byId = findModel(name);
        if (byId.isPresent()) {
            return byId;
        }
        String key = name.trim().toLowerCase(Locale.ROOT);
        for (String prefix : List.of("https://huggingface.co/", "huggingface.co/", "hf.co/")) {
            if (key.startsWith(prefix)) {
                key = key.substring(prefix.length());
            }
        }
        for (ModelPreset preset : ModelsHolder.MODELS.values()) {
            if (preset.huggingFaceRepo().toLowerCase(Locale.ROOT).equals(key)) {
                return Optional.of(preset);
            }
        }
        return Optional.ofNullable(AliasHolder.ALIASES.get(key)).flatMap(Catalog::findModel);
    }

    /**
     * Returns the aliases of a model preset besides its id: its Hugging Face repository, then the other names of
     * {@code models/aliases.tsv} (Ollama tags, GGUF repositories) in the order of that file, spelled as it spells them.
     *
     * @param preset the preset, not null
     * @return the aliases, an immutable list
     * @throws NullPointerException if {@code preset} is null
     */
    public static List<String> aliases(ModelPreset preset) {
        Objects.requireNonNull(preset, "preset");
        List<String> aliases = new ArrayList<>();
        aliases.add(preset.huggingFaceRepo());
        AliasHolder.SPELLED.forEach((alias, id) -> {
            if (id.equals(preset.id())) {
                aliases.add(alias);
            }
        });
        return List.copyOf(aliases);
    }

    /**
     * Returns the catalog model ids closest to a mistyped one, nearest first, at most five.
     *
     * @param id the mistyped id, not null
     * @return the ids, an immutable list
     * @throws NullPointerException if {@code id} is null
     */
    public static List<String> closestModelIds(String id) {
        Objects.requireNonNull(id, "id");
        return List.copyOf(closest(id, ModelsHolder.MODELS.keySet()));
    }

    /**
     * Returns every hardware preset, in the order of the index.
     *
     * @return the presets, an immutable list
     * @throws IllegalStateException if a data file is missing or malformed (a packaging error)
     */
    public static List<HardwarePreset> hardware() {
        return List.copyOf(HardwareHolder.HARDWARE.values());
    }

    /**
     * Returns the hardware preset with the given id, if there is one.
     *
     * @param id the id, such as {@code rtx-4090}, not null; case is ignored
     * @return the preset, or empty
     * @throws NullPointerException if {@code id} is null
     */
    public static Optional<HardwarePreset> findHardware(String id) {
        Objects.requireNonNull(id, "id");
        return Optional.ofNullable(HardwareHolder.HARDWARE.get(id.trim().toLowerCase(Locale.ROOT)));
    }

    /**
     * Returns the hardware preset with the given id.
     *
     * @param id the id, not null; case is ignored
     * @return the preset
     * @throws NullPointerException if {@code id} is null
     * @throws IllegalArgumentException if no preset has that id; the message lists the closest ids
     */
    public static HardwarePreset hardware(String id) {
        return findHardware(id).orElseThrow(() -> new IllegalArgumentException("hardware id: '" + id
                + "' (expected a catalog id; closest: " + closest(id, HardwareHolder.HARDWARE.keySet()) + ")"));
    }

    /**
     * Returns the hardware presets a name people use stands for: a catalog id, a marketing name ({@code RTX 4090},
     * {@code GeForce RTX 4090}, {@code 4090}, {@code Radeon RX 7900 XTX}), an Apple chip with its memory
     * ({@code M4 Pro 24GB}), a code name ({@code Strix Halo}, {@code GB10}) as listed with sources in
     * {@code hardware/aliases.tsv}, or a preset's display name. Case, spaces, {@code -} and {@code _} are ignored, so
     * {@code 7900xtx} finds the RX 7900 XTX. An exact id wins: {@code m4-pro} is that preset, while {@code M4 Pro}
     * stands for every M4 Pro preset.
     *
     * @param name the id or name, not null
     * @return the presets: one, several when the name fits more than one (a chip sold with several memory sizes), or
     *     none; an immutable list in the order of the index
     * @throws NullPointerException if {@code name} is null
     */
    public static List<HardwarePreset> findHardwareByName(String name) {
        Objects.requireNonNull(name, "name");
        Optional<HardwarePreset> byId = findHardware(name);
        if (byId.isPresent()) {
            return List.of(byId.get());
        }
        List<String> ids = HardwareNamesHolder.KEYS.getOrDefault(nameKey(name), List.of());
        return ids.stream().map(HardwareHolder.HARDWARE::get).toList();
    }

    /**
     * Returns the one hardware preset a name stands for (see {@link #findHardwareByName(String)}).
     *
     * @param name the id or name, not null
     * @return the preset
     * @throws NullPointerException if {@code name} is null
     * @throws IllegalArgumentException if the name fits no preset (the message lists the closest ids) or several (the
     *     message lists them, to choose from)
     */
    public static HardwarePreset hardwareByName(String name) {
        List<HardwarePreset> found = findHardwareByName(name);
        if (found.size() == 1) {
            return found.get(0);
        }
        if (found.isEmpty()) {
            throw new IllegalArgumentException("hardware: '" + name + "' (expected a catalog id or a device name such as"
                    + " 'RTX 4090' or 'M4 Pro 24GB'; closest: " + closestHardware(name) + ")");
        }
        StringBuilder choices = new StringBuilder();
        for (HardwarePreset preset : found) {
            choices.append(choices.length() == 0 ? "" : ", ").append(preset.id()).append(" = ")
                    .append(preset.displayName());
        }
        throw new IllegalArgumentException("hardware: '" + name + "' names " + found.size() + " catalog devices"
                + " (expected one of them, by id or by a longer name: " + choices + ")");
    }

    /**
     * Returns the names of {@code hardware/aliases.tsv} that stand for this preset alone, spelled as the file spells
     * them, in its order; names shared with other presets (the bare {@code M4 Pro}) are left out.
     *
     * @param preset the preset, not null
     * @return the names, an immutable list
     * @throws NullPointerException if {@code preset} is null
     */
    public static List<String> hardwareAliases(HardwarePreset preset) {
        Objects.requireNonNull(preset, "preset");
        List<String> names = new ArrayList<>();
        HardwareNamesHolder.SPELLED.forEach((name, ids) -> {
            if (ids.equals(List.of(preset.id()))) {
                names.add(name);
            }
        });
        return List.copyOf(names);
    }

    /**
     * Returns the catalog hardware ids whose names are closest to a mistyped one, nearest first, at most five.
     *
     * @param name the mistyped id or name, not null
     * @return the ids, an immutable list
     * @throws NullPointerException if {@code name} is null
     */
    public static List<String> closestHardware(String name) {
        String key = nameKey(Objects.requireNonNull(name, "name"));
        List<String> keys = new ArrayList<>(HardwareNamesHolder.KEYS.keySet());
        keys.sort(Comparator.comparingInt((String candidate) -> distance(key, candidate)).thenComparing(c -> c));
        java.util.Set<String> ids = new java.util.LinkedHashSet<>();
        for (String candidate : keys) {
            ids.addAll(HardwareNamesHolder.KEYS.get(candidate));
            if (ids.size() >= 5) {
                break;
            }
        }
        return List.copyOf(ids).subList(0, Math.min(5, ids.size()));
    }

    /**
     * The form in which names are compared: lower case, letters, digits and {@code +} only ({@code Max+ 395} and
     * {@code 8480+} are other chips than their plus-less namesakes).
     */
    static String nameKey(String name) {
        return name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9+]", "");
    }

    /**
     * Returns every published speed measurement of {@code speeds/published-speeds.tsv}, in the order of the file.
     *
     * @return the measurements, an immutable list
     * @throws IllegalStateException if the data file is missing or malformed (a packaging error)
     */
    public static List<PublishedSpeed> publishedSpeeds() {
        return SpeedsHolder.SPEEDS;
    }

    /**
     * Returns the published measurements of one catalog model in one scheme on one catalog device holding it all
     * (no split, no offload), to show beside an estimate.
     *
     * @param modelId the catalog model id, not null
     * @param hardwareId the catalog hardware id, not null
     * @param scheme the scheme, not null
     * @return the measurements, decode rows first; an immutable list, empty when there are none
     * @throws NullPointerException if an argument is null
     */
    public static List<PublishedSpeed> publishedSpeeds(String modelId, String hardwareId, QuantScheme scheme) {
        Objects.requireNonNull(modelId, "modelId");
        Objects.requireNonNull(hardwareId, "hardwareId");
        Objects.requireNonNull(scheme, "scheme");
        List<PublishedSpeed> found = new ArrayList<>();
        for (PublishedSpeed speed : SpeedsHolder.SPEEDS) {
            if (speed.placement().equals("full") && speed.modelId().equals(modelId) && speed.scheme() == scheme
                    && speed.hardwareId().filter(hardwareId::equals).isPresent()) {
                found.add(speed);
            }
        }
        found.sort(Comparator.comparing((PublishedSpeed s) -> !s.isDecode()));
        return List.copyOf(found);
    }

    /**
     * Returns the version of the catalog data, a date such as {@code 2026-11-27}.
     *
     * @return the version, not null
     */
    public static String dataVersion() {
        Properties properties = new Properties();
        try (InputStream in = open("catalog.properties")) {
            properties.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("catalog.properties", e);
        }
        return Objects.requireNonNull(properties.getProperty("data.version"), "data.version");
    }

    static List<String> closest(String id, Iterable<String> ids) {
        String key = id.trim().toLowerCase(Locale.ROOT);
        List<String> all = new ArrayList<>();
        ids.forEach(all::add);
        // an id the typed text begins, then one that holds it ("llama-4-scout" for llama-4-scout-17b-16e), before the
        // nearest by edits: a shortened id is far from the full one by edits alone
        all.sort(Comparator.comparingInt((String candidate) -> candidate.startsWith(key) ? 0
                : candidate.contains(key) ? 1 : 2)
                .thenComparingInt(candidate -> distance(key, candidate)).thenComparing(c -> c));
        return all.subList(0, Math.min(5, all.size()));
    }

    /** Levenshtein distance, to suggest the ids nearest to a mistyped one. */
    static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }

    static InputStream open(String relative) {
        InputStream in = Catalog.class.getResourceAsStream(ROOT + relative);
        if (in == null) {
            throw new IllegalStateException("catalog data: missing resource " + ROOT + relative);
        }
        return in;
    }

    static List<String> index(String folder) {
        List<String> ids = new ArrayList<>();
        try (InputStream in = open(folder + "/index.txt")) {
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                String id = line.trim();
                if (!id.isEmpty() && !id.startsWith("#")) {
                    ids.add(id);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(folder + "/index.txt", e);
        }
        return ids;
    }

    static Map<String, Object> readJson(String relative) {
        try (InputStream in = open(relative)) {
            return ConfigReader.readObject(JSON.std.getStreamingFactory().createParser(in));
        } catch (IOException e) {
            throw new IllegalStateException("catalog data: cannot parse " + relative + ": " + e.getMessage(), e);
        }
    }

    /** Reads {@code models/aliases.tsv}: alias, catalog id and source per line, '#' lines and the header line skipped. */
    private static Map<String, String> loadAliases() {
        Map<String, String> aliases = new LinkedHashMap<>();
        try (InputStream in = open("models/aliases.tsv")) {
            String[] lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n");
            for (int i = 0; i < lines.length; i++) {
                String line = lines[i].strip();
                if (line.isEmpty() || line.startsWith("#") || line.startsWith("alias\t")) {
                    continue;
                }
                String[] fields = line.split("\t");
                if (fields.length != 3 || fields[2].isBlank() || !ModelsHolder.MODELS.containsKey(fields[1])) {
                    throw new IllegalStateException("catalog data: models/aliases.tsv line " + (i + 1) + ": '" + line
                            + "' (expected: alias, a catalog id and a source, separated by tabs)");
                }
                aliases.put(fields[0], fields[1]);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("models/aliases.tsv", e);
        }
        return java.util.Collections.unmodifiableMap(aliases);
    }

    /**
     * Reads {@code hardware/aliases.tsv}: name, catalog id and source per line; a name on several lines stands for
     * several presets. '#' lines and the header line are skipped.
     */
    private static Map<String, List<String>> loadHardwareAliases() {
        Map<String, List<String>> names = new LinkedHashMap<>();
        int line = 0;
        for (String[] fields : tsv("hardware/aliases.tsv")) {
            line++;
            if (fields.length != 3 || fields[0].isBlank() || !HardwareHolder.HARDWARE.containsKey(fields[1])
                    || !fields[2].startsWith("http")) {
                throw new IllegalStateException("catalog data: hardware/aliases.tsv row " + line + ": '"
                        + String.join("\t", fields) + "' (expected: a name, a catalog hardware id and a source URL,"
                        + " separated by tabs)");
            }
            List<String> ids = names.computeIfAbsent(fields[0], name -> new ArrayList<>());
            if (ids.contains(fields[1])) {
                throw new IllegalStateException("catalog data: hardware/aliases.tsv row " + line + ": '" + fields[0]
                        + "' for " + fields[1] + " twice (expected: each name once per id)");
            }
            ids.add(fields[1]);
        }
        names.replaceAll((name, ids) -> List.copyOf(ids));
        return java.util.Collections.unmodifiableMap(names);
    }

    /** The lookup keys: each alias, id and display name as {@link #nameKey}, to the ids in index order. */
    private static Map<String, List<String>> hardwareKeys() {
        Map<String, java.util.Set<String>> keys = new LinkedHashMap<>();
        HardwareNamesHolder.SPELLED.forEach((name, ids) ->
                keys.computeIfAbsent(nameKey(name), key -> new java.util.HashSet<>()).addAll(ids));
        for (HardwarePreset preset : HardwareHolder.HARDWARE.values()) {
            keys.computeIfAbsent(nameKey(preset.id()), key -> new java.util.HashSet<>()).add(preset.id());
            keys.computeIfAbsent(nameKey(preset.displayName()), key -> new java.util.HashSet<>()).add(preset.id());
        }
        List<String> order = new ArrayList<>(HardwareHolder.HARDWARE.keySet());
        Map<String, List<String>> sorted = new LinkedHashMap<>();
        keys.forEach((key, ids) -> sorted.put(key,
                ids.stream().sorted(Comparator.comparingInt(order::indexOf)).toList()));
        return java.util.Collections.unmodifiableMap(sorted);
    }

    private static Map<String, String> lowerCaseKeys(Map<String, String> map) {
        Map<String, String> lower = new LinkedHashMap<>();
        map.forEach((key, value) -> lower.put(key.toLowerCase(Locale.ROOT), value));
        return java.util.Collections.unmodifiableMap(lower);
    }

    /** Reads the tab-separated lines of a data file, '#' lines and the header skipped. */
    private static List<String[]> tsv(String relative) {
        List<String[]> rows = new ArrayList<>();
        try (InputStream in = open(relative)) {
            boolean header = true;
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (line.startsWith("#") || line.isBlank()) {
                    continue;
                }
                if (header) {
                    header = false;
                    continue;
                }
                rows.add(line.split("\t", -1));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(relative, e);
        }
        return rows;
    }

    private static List<PublishedSpeed> loadSpeeds() {
        Map<String, String> ids = new LinkedHashMap<>();
        for (String[] row : tsv("speeds/hardware-ids.tsv")) {
            ids.put(row[0], row[1]);
        }
        List<PublishedSpeed> speeds = new ArrayList<>();
        int line = 0;
        for (String[] f : tsv("speeds/published-speeds.tsv")) {
            line++;
            try {
                speeds.add(new PublishedSpeed(f[0], f[1], f[2], Optional.ofNullable(ids.get(f[2])),
                        DeviceKind.valueOf(f[3]), f[4], Integer.parseInt(f[5]),
                        Double.parseDouble(f[6]), f[7], f[8], QuantScheme.ofName(f[9]), f[10], Integer.parseInt(f[11]),
                        Double.parseDouble(f[12]), f[13], f[14], f[15], f[16]));
            } catch (RuntimeException e) {
                throw new IllegalStateException("catalog data: speeds/published-speeds.tsv row " + line + ": "
                        + e.getMessage(), e);
            }
        }
        return List.copyOf(speeds);
    }

    private static Map<String, HardwarePreset> loadHardware() {
        Map<String, HardwarePreset> hardware = new LinkedHashMap<>();
        for (String id : index("hardware")) {
            hardware.put(id, HardwareFile.read(id, readJson("hardware/" + id + ".json")));
        }
        return hardware;
    }

    private static Map<String, ModelPreset> loadModels() {
        Map<String, ModelPreset> models = new LinkedHashMap<>();
        for (String id : index("models")) {
            models.put(id, ModelFile.read(id, readJson("models/" + id + ".json")));
        }
        return models;
    }
}
