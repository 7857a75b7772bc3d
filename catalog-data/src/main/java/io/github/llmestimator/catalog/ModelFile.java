package io.github.llmestimator.catalog;

import io.github.llmestimator.model.ModelSpec;
import java.util.Map;
import java.util.OptionalLong;

/** Reads one model data file: the preset's own keys plus the embedded {@code config.json}. */
final class ModelFile {

    private ModelFile() {
    }

    static ModelPreset read(String id, Map<String, Object> file) {
        String where = "catalog model " + id;
        ConfigReader reader = new ConfigReader(file, where);
        reader.requireFileId(id);
        String displayName = reader.string("displayName");
        ModelSpec spec;
        try {
            spec = HuggingFaceConfigImporter.fromMap(reader.object("config"), displayName);
        } catch (ConfigImportException e) {
            throw new IllegalStateException(where + ": " + e.getMessage(), e);
        }
        return new ModelPreset(id, displayName, reader.string("huggingFaceRepo"), spec,
                longValue(file, "statedTotalParameters", where), statedActive(file, where),
                convention(reader.string("activeParametersConvention", "TOKEN_PATH"), where),
                reader.string("looseStatedCounts", ""), reader.string("parameterSource"), reader.string("configSource"), reader.string("notes", ""),
                reader.bool("publishedFilesKeepMtp", false), reader.string("publishedFilesMtpSource", ""));
    }

    private static ActiveParameterConvention convention(String name, String where) {
        try {
            return ActiveParameterConvention.valueOf(name);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(where + ": key 'activeParametersConvention' = \"" + name + "\" (expected one of "
                    + java.util.Arrays.toString(ActiveParameterConvention.values()) + ")", e);
        }
    }

    /** A card that states no active count has {@code null} there. */
    private static OptionalLong statedActive(Map<String, Object> file, String where) {
        return file.get("statedActiveParameters") == null ? OptionalLong.empty()
                : OptionalLong.of(longValue(file, "statedActiveParameters", where));
    }

    private static long longValue(Map<String, Object> file, String key, String where) {
        Object value = file.get(key);
        if (!(value instanceof Number) || ((Number) value).doubleValue() != Math.rint(((Number) value).doubleValue())) {
            throw new IllegalStateException(where + ": key '" + key + "' = " + value + " (expected: an integer)");
        }
        return ((Number) value).longValue();
    }
}
