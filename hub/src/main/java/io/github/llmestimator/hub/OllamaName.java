package io.github.llmestimator.hub;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A model name as {@code ollama pull} takes it: {@code [namespace/]model[:tag]}, where the namespace defaults to
 * {@code library} (the official models) and the tag to {@code latest}, as in {@code qwen3:8b} or
 * {@code library/qwen3:8b}.
 *
 * @param namespace the namespace, such as {@code library}, not null
 * @param model the model, such as {@code qwen3}, not null
 * @param tag the tag, such as {@code 8b}, not null
 */
public record OllamaName(String namespace, String model, String tag) {

    private static final Pattern PART = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

    /**
     * Validates the components.
     *
     * @param namespace the namespace, not null
     * @param model the model, not null
     * @param tag the tag, not null
     * @throws NullPointerException if a component is null
     * @throws IllegalArgumentException if a part is empty or holds characters other than letters, digits, {@code .},
     *     {@code _} and {@code -}
     */
    public OllamaName {
        check("namespace", namespace);
        check("model", model);
        check("tag", tag);
    }

    private static void check(String what, String value) {
        Objects.requireNonNull(value, what);
        if (!PART.matcher(value).matches()) {
            throw new IllegalArgumentException("Ollama " + what + ": '" + value + "' (expected: 1 to 128 letters,"
                    + " digits, '.', '_' or '-', starting with a letter or digit)");
        }
    }

    /**
     * Parses a name.
     *
     * @param name such as {@code qwen3:8b}, {@code qwen3} or {@code library/qwen3:8b}, not null
     * @return the name
     * @throws NullPointerException if {@code name} is null
     * @throws IllegalArgumentException if it is not {@code [namespace/]model[:tag]}
     */
    public static OllamaName parse(String name) {
        Objects.requireNonNull(name, "name");
        String rest = name;
        String tag = "latest";
        int colon = rest.lastIndexOf(':');
        if (colon >= 0) {
            tag = rest.substring(colon + 1);
            rest = rest.substring(0, colon);
        }
        String[] parts = rest.split("/", -1);
        if (parts.length > 2) {
            throw new IllegalArgumentException("Ollama name '" + name + "': a registry host in the name (expected:"
                    + " [namespace/]model[:tag]; set " + HubSettings.OLLAMA_REGISTRY_VARIABLE
                    + " for another registry)");
        }
        return parts.length == 2 ? new OllamaName(parts[0], parts[1], tag) : new OllamaName("library", parts[0], tag);
    }

    @Override
    public String toString() {
        return (namespace.equals("library") ? "" : namespace + "/") + model + ":" + tag;
    }
}
