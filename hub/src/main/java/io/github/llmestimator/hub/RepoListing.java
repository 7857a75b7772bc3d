package io.github.llmestimator.hub;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The files of a Hugging Face repository at one revision, with their exact sizes, and its GGUF files grouped into
 * model files by scheme.
 *
 * @param repository the repository, {@code owner/name}, not null
 * @param revision the revision listed, such as {@code main}, not null
 * @param files every file, in path order, not null
 */
public record RepoListing(String repository, String revision, List<RepoFile> files) {

    /**
     * Validates the components and sorts the files by path.
     *
     * @param repository the repository, not null
     * @param revision the revision, not null
     * @param files the files, not null
     * @throws NullPointerException if a component is null
     */
    public RepoListing {
        Objects.requireNonNull(repository, "repository");
        Objects.requireNonNull(revision, "revision");
        List<RepoFile> sorted = new ArrayList<>(Objects.requireNonNull(files, "files"));
        sorted.sort(Comparator.comparing(RepoFile::path));
        files = List.copyOf(sorted);
    }

    /**
     * Returns the file at a path.
     *
     * @param path the path in the repository, not null
     * @return the file, or empty when there is none
     * @throws NullPointerException if {@code path} is null
     */
    public Optional<RepoFile> file(String path) {
        Objects.requireNonNull(path, "path");
        return files.stream().filter(f -> f.path().equals(path)).findFirst();
    }

    /**
     * Returns the GGUF model files: split parts joined, language models first, each group in path order.
     *
     * @return the groups, an immutable list
     */
    public List<GgufGroup> ggufGroups() {
        Map<String, List<RepoFile>> byBase = new LinkedHashMap<>();
        Map<String, Integer> expected = new LinkedHashMap<>();
        for (RepoFile file : files) {
            if (!file.path().toLowerCase(Locale.ROOT).endsWith(".gguf")) {
                continue;
            }
            String[] split = GgufGroup.splitName(file.path());
            String base = split != null ? split[0] : file.path().substring(0, file.path().length() - 5);
            byBase.computeIfAbsent(base, b -> new ArrayList<>()).add(file);
            expected.put(base, split != null ? Integer.parseInt(split[2]) : 1);
        }
        List<GgufGroup> groups = new ArrayList<>();
        for (Map.Entry<String, List<RepoFile>> entry : byBase.entrySet()) {
            String base = entry.getKey();
            String name = base.substring(base.lastIndexOf('/') + 1);
            boolean projector = name.toLowerCase(Locale.ROOT).startsWith("mmproj");
            String scheme = GgufGroup.schemeOf(base);
            groups.add(new GgufGroup(scheme == null ? name : scheme, base, entry.getValue(),
                    Math.max(1, expected.get(base)), projector));
        }
        groups.sort(Comparator.comparing(GgufGroup::projector).thenComparing(GgufGroup::base));
        return List.copyOf(groups);
    }

    /**
     * Returns the language-model GGUF file a user names: a path in the repository (a split file by any of its parts),
     * or a scheme such as {@code Q4_K_M} or {@code UD-Q4_K_XL} (case ignored) that exactly one file states.
     *
     * @param fileOrScheme the path or scheme, not null
     * @return the group
     * @throws NullPointerException if {@code fileOrScheme} is null
     * @throws IllegalArgumentException if nothing or more than one file matches, or a split file lacks parts; the
     *     message lists the schemes the repository has
     */
    public GgufGroup gguf(String fileOrScheme) {
        Objects.requireNonNull(fileOrScheme, "fileOrScheme");
        List<GgufGroup> groups = ggufGroups();
        List<GgufGroup> matches = groups.stream().filter(g -> g.parts().stream()
                .anyMatch(p -> p.path().equals(fileOrScheme)) || g.base().equals(fileOrScheme)).collect(
                        Collectors.toList());
        if (matches.isEmpty()) {
            matches = groups.stream().filter(g -> !g.projector() && g.scheme().equalsIgnoreCase(fileOrScheme))
                    .collect(Collectors.toList());
        }
        if (matches.size() != 1) {
            throw new IllegalArgumentException(repository + ": " + (matches.isEmpty() ? "no GGUF file named or of"
                    + " scheme '" : "several GGUF files of scheme '") + fileOrScheme + "' (expected: a path, or one of "
                    + "the schemes " + schemes() + ")");
        }
        GgufGroup group = matches.get(0);
        if (!group.complete()) {
            throw new IllegalArgumentException(repository + ": " + group.base() + " has " + group.parts().size()
                    + " of its " + group.expectedParts() + " parts (expected: every part of a split file)");
        }
        return group;
    }

    /**
     * Returns the schemes of the language-model GGUF files, in listing order.
     *
     * @return the schemes, such as {@code [Q4_K_M, Q8_0, UD-Q4_K_XL]}
     */
    public List<String> schemes() {
        return ggufGroups().stream().filter(g -> !g.projector()).map(GgufGroup::scheme).distinct()
                .collect(Collectors.toUnmodifiableList());
    }

    /**
     * Returns the {@code .safetensors} files.
     *
     * @return the files, in path order
     */
    public List<RepoFile> safetensorsFiles() {
        return files.stream().filter(f -> f.path().endsWith(".safetensors")).collect(Collectors.toUnmodifiableList());
    }
}
