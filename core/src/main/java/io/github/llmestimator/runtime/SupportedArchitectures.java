package io.github.llmestimator.runtime;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The model architectures one runtime loads, as its source at a named commit lists them, keyed by the llama.cpp
 * architecture name this library gives a model ({@link io.github.llmestimator.model.ModelSpec#architecture()}) and
 * giving the runtime's own name for it (a Hugging Face class, a model file).
 *
 * <p>The lists are data files beside this class, one per runtime, each with its source on a {@code # source} line.
 *
 * @param source where the list comes from: the runtime's file at a commit, as a URL
 * @param upstreamNames the runtime's name for each architecture it loads, keyed by llama.cpp architecture name; an
 *     unmodifiable map in file order
 */
public record SupportedArchitectures(String source, Map<String, String> upstreamNames) {

    /**
     * Validates the components and copies the map.
     *
     * @param source where the list comes from, not null or blank
     * @param upstreamNames the runtime's name for each architecture, not null
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if {@code source} is blank
     */
    public SupportedArchitectures {
        Objects.requireNonNull(source, "source");
        if (source.isBlank()) {
            throw new IllegalArgumentException("source: blank (expected: the URL the list comes from)");
        }
        upstreamNames = Collections.unmodifiableMap(
                new LinkedHashMap<>(Objects.requireNonNull(upstreamNames, "upstreamNames")));
    }

    /**
     * Reads a runtime's list from its data file ({@code <file>.tsv} beside this class).
     *
     * @param file the file's name without {@code .tsv}
     * @return the list
     * @throws IllegalStateException if the file is missing, has no {@code # source} line or a malformed row
     */
    static SupportedArchitectures read(String file) {
        try (InputStream in = SupportedArchitectures.class.getResourceAsStream(file + ".tsv")) {
            if (in == null) {
                throw new IllegalStateException("architecture list " + file + ".tsv: missing from the jar");
            }
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            String source = null;
            Map<String, String> names = new LinkedHashMap<>();
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                if (line.startsWith("# source\t")) {
                    source = line.substring("# source\t".length()).trim();
                }
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] fields = line.split("\t");
                if (fields.length != 2) {
                    throw new IllegalStateException("architecture list " + file + ".tsv: row '" + line
                            + "' (expected: arch<TAB>upstream name)");
                }
                names.put(fields[0], fields[1]);
            }
            if (source == null) {
                throw new IllegalStateException("architecture list " + file + ".tsv: no '# source' line");
            }
            return new SupportedArchitectures(source, names);
        } catch (IOException e) {
            throw new UncheckedIOException("architecture list " + file + ".tsv: unreadable", e);
        }
    }

    /**
     * Returns whether the runtime loads an architecture, defined as {@code upstreamNames().containsKey(architecture)}.
     *
     * @param architecture a llama.cpp architecture name, not null
     * @return true when the list has it
     * @throws NullPointerException if {@code architecture} is null
     */
    public boolean contains(String architecture) {
        return upstreamNames.containsKey(Objects.requireNonNull(architecture, "architecture"));
    }
}
