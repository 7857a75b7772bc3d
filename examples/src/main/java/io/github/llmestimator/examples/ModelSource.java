package io.github.llmestimator.examples;

import io.github.llmestimator.Estimator;
import io.github.llmestimator.catalog.Catalog;
import io.github.llmestimator.catalog.HuggingFaceConfigImporter;
import io.github.llmestimator.catalog.ModelPreset;
import io.github.llmestimator.gguf.GgufFormatException;
import io.github.llmestimator.gguf.GgufModel;
import io.github.llmestimator.hub.GgufGroup;
import io.github.llmestimator.hub.Hub;
import io.github.llmestimator.hub.HubSettings;
import io.github.llmestimator.hub.ProgressListener;
import io.github.llmestimator.hub.OllamaName;
import io.github.llmestimator.hub.RemoteGguf;
import io.github.llmestimator.hub.RepoListing;
import io.github.llmestimator.model.ModelSpec;
import io.github.llmestimator.quant.QuantScheme;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * What a user names as "the model": a catalog id, one of its aliases (the Hugging Face repository, the Ollama name), a
 * {@code config.json} file or the folder that holds one, or a {@code .gguf} file, whose header gives the exact
 * weights; or, read remotely by their headers only, {@code hf:owner/repo[:file-or-scheme]},
 * {@code https://.../x.gguf} and {@code ollama:name[:tag]}.
 *
 * @param argument the text the user gave
 * @param spec the model's architecture
 * @param preset the catalog entry, if the argument named one
 * @param gguf the file's header, if the argument was a GGUF file
 */
public record ModelSource(String argument, ModelSpec spec, Optional<ModelPreset> preset, Optional<GgufModel> gguf) {

    /**
     * Validates the components.
     *
     * @param argument the text the user gave, not null
     * @param spec the model's architecture, not null
     * @param preset the catalog entry, if the argument named one, not null
     * @param gguf the file's header, if the argument was a GGUF file, not null
     */
    public ModelSource {
        Objects.requireNonNull(argument, "argument");
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(preset, "preset");
        Objects.requireNonNull(gguf, "gguf");
    }

    /**
     * Resolves what the user typed. A catalog id or alias wins over a file of the same name and over a URL (so that
     * {@code https://huggingface.co/Qwen/Qwen3-8B} names the preset); {@code hf:}, {@code ollama:} and other
     * {@code http(s)://} addresses are read remotely (see {@link #remote(String, Hub)}); anything that looks like
     * a path (a separator, or a {@code .json}/{@code .gguf} ending) but does not exist is reported as a missing file.
     *
     * @param argument the model argument, not null
     * @return the model
     * @throws IllegalArgumentException if nothing matches, the file is missing, or it cannot be read or parsed; the
     *     message says which
     */
    public static ModelSource resolve(String argument) {
        Objects.requireNonNull(argument, "argument");
        String lower = argument.toLowerCase(Locale.ROOT);
        // A catalog model's Hugging Face address stays an alias; hf: and ollama: always mean the remote file.
        Optional<ModelPreset> preset = lower.startsWith("hf:") || lower.startsWith("ollama:") ? Optional.empty()
                : Catalog.findModelByAlias(argument);
        if (preset.isPresent()) {
            return new ModelSource(argument, preset.get().spec(), preset, Optional.empty());
        }
        if (lower.startsWith("hf:") || lower.startsWith("https://") || lower.startsWith("http://")
                || lower.startsWith("ollama:")) {
            return remote(argument, new Hub(HubSettings.fromEnvironment().withProgress(consoleProgress())));
        }
        Path path = Path.of(argument);
        if (Files.isDirectory(path)) {
            Path config = path.resolve("config.json");
            if (!Files.isRegularFile(config)) {
                throw new IllegalArgumentException("model: folder '" + argument
                        + "' has no config.json (expected: a catalog id, a config.json or its folder, or a .gguf file)");
            }
            return new ModelSource(argument, readConfig(config), Optional.empty(),
                    Optional.empty());
        }
        if (Files.isRegularFile(path)) {
            if (argument.toLowerCase(Locale.ROOT).endsWith(".gguf")) {
                GgufModel file = readGguf(path);
                return new ModelSource(argument, fileEstimator(file).model(), Optional.empty(), Optional.of(file));
            }
            return new ModelSource(argument, readConfig(path), Optional.empty(),
                    Optional.empty());
        }
        if (looksLikePath(argument)) {
            throw new IllegalArgumentException("model: no such file: '" + argument + "'");
        }
        throw new IllegalArgumentException("model: '" + argument + "' is not a catalog model, alias or file"
                + " (closest catalog ids: " + String.join(", ", Catalog.closestModelIds(argument)) + "; "
                + "`models` lists them all)");
    }

    /**
     * Resolves a remote model by its headers: {@code hf:owner/repo} (the repository's only GGUF file, else its Q4_K_M,
     * else its {@code config.json}), {@code hf:owner/repo:SCHEME-or-path}, an http(s) URL of a {@code .gguf} file (a
     * split part brings all parts), or {@code ollama:[namespace/]name[:tag]}.
     *
     * @param argument the model argument, with its {@code hf:}, {@code ollama:} or {@code http(s)://} prefix, not null
     * @param hub the reader, not null
     * @return the model
     * @throws IllegalArgumentException if the name is malformed, the server answers with an error, or the header is
     *     not one this library reads; the message names the URL (never the token)
     */
    public static ModelSource remote(String argument, Hub hub) {
        Objects.requireNonNull(argument, "argument");
        Objects.requireNonNull(hub, "hub");
        String lower = argument.toLowerCase(Locale.ROOT);
        try {
            if (lower.startsWith("ollama:")) {
                return ofRemote(argument, hub.readOllama(OllamaName.parse(argument.substring(7))));
            }
            if (lower.startsWith("http://") || lower.startsWith("https://")) {
                URI url;
                try {
                    url = URI.create(argument);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("model: '" + argument + "' is not a URL (" + e.getMessage()
                            + ")", e);
                }
                return ofRemote(argument, hub.readGguf(url));
            }
            String rest = argument.substring(3);
            int colon = rest.indexOf(':');
            String repository = colon < 0 ? rest : rest.substring(0, colon);
            String chosen = colon < 0 ? null : rest.substring(colon + 1);
            RepoListing listing = hub.listRepository(repository, "main");
            List<GgufGroup> models = listing.ggufGroups().stream().filter(g -> !g.projector())
                    .collect(Collectors.toList());
            if (chosen == null && models.isEmpty()) {
                if (listing.file("config.json").isEmpty()) {
                    throw new IllegalArgumentException("model: " + repository + " has neither GGUF files nor a"
                            + " config.json (expected: a model repository)");
                }
                return new ModelSource(argument, hub.readConfig(repository, "main"), Optional.empty(),
                        Optional.empty());
            }
            if (chosen == null) {
                if (models.size() == 1) {
                    chosen = models.get(0).parts().get(0).path();
                } else if (listing.schemes().contains("Q4_K_M")) {
                    chosen = "Q4_K_M";
                } else {
                    throw new IllegalArgumentException("model: " + repository + " has several GGUF files (expected:"
                            + " hf:" + repository + ":SCHEME with one of " + listing.schemes() + ")");
                }
            }
            return ofRemote(argument, hub.readGguf(listing, listing.gguf(chosen)));
        } catch (IOException e) {
            throw new IllegalArgumentException("model: " + e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw e.getMessage() != null && e.getMessage().startsWith("model: ") ? e
                    : new IllegalArgumentException("model: " + e.getMessage(), e);
        }
    }

    /**
     * Returns the schemes a Hugging Face repository publishes GGUF files of, for {@code hf:owner/repo} without a chosen
     * file: the file names that state one of llama.cpp's file types (an uploader's own variants such as
     * {@code UD-Q4_K_XL} or {@code Q6_K_L} have no stock recipe and are left out).
     *
     * @param argument the model argument, not null
     * @param hub the reader, not null
     * @return the schemes, best-known order of the listing, or empty when the argument is not such a repository or it
     *     publishes none of these
     * @throws IllegalArgumentException if the listing cannot be read; the message names the URL
     */
    public static Optional<List<QuantScheme>> publishedSchemes(String argument, Hub hub) {
        Objects.requireNonNull(argument, "argument");
        Objects.requireNonNull(hub, "hub");
        if (!argument.toLowerCase(Locale.ROOT).startsWith("hf:") || argument.indexOf(':', 3) >= 0) {
            return Optional.empty();
        }
        RepoListing listing;
        try {
            listing = hub.listRepository(argument.substring(3), "main");
        } catch (IOException e) {
            throw new IllegalArgumentException("model: " + e.getMessage(), e);
        }
        List<QuantScheme> schemes = new ArrayList<>();
        for (String name : listing.schemes()) {
            for (QuantScheme scheme : QuantScheme.values()) {
                if (scheme.name().equalsIgnoreCase(name) && !schemes.contains(scheme)) {
                    schemes.add(scheme);
                }
            }
        }
        return schemes.isEmpty() ? Optional.empty() : Optional.of(List.copyOf(schemes));
    }

    /** On a terminal, how much of a header has arrived (a large vocabulary takes several MB); elsewhere nothing. */
    private static ProgressListener consoleProgress() {
        if (System.console() == null) {
            return ProgressListener.NONE;
        }
        long[] shown = {0};
        return (url, bytes) -> {
            if (bytes - shown[0] >= (1 << 20)) {
                shown[0] = bytes;
                System.err.printf(Locale.ROOT, "reading %s: %.1f MB of header so far%n", url, bytes / 1e6);
                System.err.flush();
            }
        };
    }

    private static ModelSource ofRemote(String argument, RemoteGguf read) {
        return new ModelSource(argument, fileEstimator(read.model()).model(), Optional.empty(),
                Optional.of(read.model()));
    }

    private static boolean looksLikePath(String argument) {
        String lower = argument.toLowerCase(Locale.ROOT);
        // "Qwen/Qwen3-8B" is a repository id, not a path, unless it points at a file.
        boolean repositoryLike = lower.matches("[a-z0-9._-]+/[a-z0-9._-]+");
        return lower.endsWith(".gguf") || lower.endsWith(".json") || lower.startsWith(".") || lower.startsWith("~")
                || lower.startsWith("/") || lower.contains("\\") || (lower.contains("/") && !repositoryLike);
    }

    private static ModelSpec readConfig(Path path) {
        try {
            return HuggingFaceConfigImporter.fromPath(path);
        } catch (IOException e) {
            throw new IllegalArgumentException("model: " + e.getMessage(), e);
        }
    }

    private static GgufModel readGguf(Path path) {
        try {
            return GgufModel.read(path);
        } catch (IOException | GgufFormatException e) {
            throw new IllegalArgumentException("model: cannot read GGUF file '" + path + "': " + e.getMessage(), e);
        } catch (UncheckedIOException e) {
            throw new IllegalArgumentException("model: cannot read GGUF file '" + path + "': "
                    + e.getCause().getMessage(), e);
        }
    }

    /**
     * Returns an estimator for the model: the file's own tensor types for a GGUF file, else no scheme yet.
     *
     * @return the estimator
     */
    public Estimator estimator() {
        return gguf.map(ModelSource::fileEstimator).orElseGet(() -> Estimator.of(spec));
    }

    private static Estimator fileEstimator(GgufModel file) {
        try {
            return Estimator.of(file);
        } catch (IllegalStateException unmapped) {
            throw new IllegalArgumentException("model: " + unmapped.getMessage(), unmapped);
        }
    }

    /**
     * Returns the name to show: the catalog's display name, else the spec's name.
     *
     * @return the name
     */
    public String displayName() {
        return preset.map(ModelPreset::displayName).orElse(spec.name());
    }
}
