package io.github.llmestimator.examples.cli;

import io.github.llmestimator.catalog.Catalog;
import io.github.llmestimator.catalog.ModelPreset;
import io.github.llmestimator.examples.Views;
import io.github.llmestimator.hub.GgufGroup;
import io.github.llmestimator.hub.Hub;
import io.github.llmestimator.hub.RepoFile;
import io.github.llmestimator.hub.RepoListing;
import io.github.llmestimator.hub.SafetensorsSummary;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code models}: the catalog's models and the names they go by. */
@Command(name = "models", mixinStandardHelpOptions = true, versionProvider = LlmEstimatorCommand.Version.class,
        description = "List the catalog's models: id, parameters, trained context, and the aliases --model accepts"
                + " (Hugging Face repository, Ollama names); or, with --remote, a Hugging Face repository's files.")
final class ModelsCommand implements Callable<Integer> {

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--json", description = "Print one JSON object.")
    boolean json;

    @Option(names = "--remote", paramLabel = "hf:OWNER/REPO", description = "List a Hugging Face repository's files"
            + " with their exact sizes: GGUF files grouped by scheme (split parts joined), and the safetensors"
            + " checkpoint's parameters and bytes read from its headers. HF_ENDPOINT and HF_TOKEN apply.")
    String remote;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        if (remote != null) {
            return remote(out);
        }
        List<ModelPreset> presets = Catalog.models();
        if (json) {
            List<Map<String, Object>> rows = new ArrayList<>();
            for (ModelPreset preset : presets) {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("id", preset.id());
                row.put("name", preset.displayName());
                row.put("totalParameters", preset.spec().totalParameters());
                row.put("activeParameters", preset.spec().activeParameters());
                row.put("maxContextTokens", preset.spec().maxContextTokens());
                row.put("aliases", Catalog.aliases(preset));
                rows.add(row);
            }
            Map<String, Object> root = new LinkedHashMap<>();
            root.put("catalogDataVersion", Catalog.dataVersion());
            root.put("models", rows);
            out.print(Views.json(root));
        } else {
            int id = presets.stream().mapToInt(p -> p.id().length()).max().orElse(2);
            int name = presets.stream().mapToInt(p -> p.displayName().length()).max().orElse(4);
            String format = "%-" + id + "s  %-" + name + "s  %10s  %10s  %9s  %s%n";
            out.printf(Locale.ROOT, format, "id", "name", "params B", "active B", "context", "aliases");
            for (ModelPreset preset : presets) {
                out.printf(Locale.ROOT, format, preset.id(), preset.displayName(),
                        String.format(Locale.ROOT, "%.2f", preset.spec().totalParameters() / 1e9),
                        String.format(Locale.ROOT, "%.2f", preset.spec().activeParameters() / 1e9),
                        String.format(Locale.ROOT, "%,d", preset.spec().maxContextTokens()),
                        String.join(", ", Catalog.aliases(preset)));
            }
            out.println("params B / active B: billions of parameters in all / read per token; context: trained,"
                    + " in tokens; any id or alias works as --model");
        }
        out.flush();
        return LlmEstimatorCommand.ANSWERED;
    }

    private Integer remote(PrintWriter out) throws IOException {
        if (!remote.startsWith("hf:")) {
            throw new IllegalArgumentException("--remote: '" + remote + "' (expected: hf:OWNER/REPO)");
        }
        String repository = remote.substring(3);
        Hub hub = Hub.fromEnvironment();
        RepoListing listing = hub.listRepository(repository, "main");
        boolean checkpoint = listing.file("model.safetensors.index.json").isPresent()
                || listing.file("model.safetensors").isPresent();
        SafetensorsSummary safetensors = checkpoint ? hub.readSafetensors(listing) : null;
        List<GgufGroup> groups = listing.ggufGroups();
        if (json) {
            List<Map<String, Object>> gguf = new ArrayList<>();
            for (GgufGroup group : groups) {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("scheme", group.scheme());
                row.put("projector", group.projector());
                row.put("bytes", group.bytes());
                row.put("parts", group.parts().stream().map(RepoFile::path).toArray());
                row.put("complete", group.complete());
                gguf.add(row);
            }
            Map<String, Object> root = new LinkedHashMap<>();
            root.put("repository", repository);
            root.put("revision", listing.revision());
            root.put("gguf", gguf);
            if (safetensors != null) {
                Map<String, Object> st = new LinkedHashMap<>();
                st.put("parameters", safetensors.parameters());
                st.put("tensorBytes", safetensors.tensorBytes());
                st.put("fileBytes", safetensors.fileBytes());
                Map<String, Object> byDtype = new LinkedHashMap<>();
                safetensors.byDtype().forEach((dtype, t) -> byDtype.put(dtype, Map.of("tensors", t.tensors(),
                        "elements", t.elements(), "bytes", t.bytes())));
                st.put("byDtype", byDtype);
                root.put("safetensors", st);
            }
            List<Map<String, Object>> files = new ArrayList<>();
            for (RepoFile file : listing.files()) {
                files.add(Map.of("path", file.path(), "bytes", file.bytes()));
            }
            root.put("files", files);
            out.print(Views.json(root));
            out.flush();
            return LlmEstimatorCommand.ANSWERED;
        }
        out.printf(Locale.ROOT, "%s at %s: %d files%n", repository, listing.revision(), listing.files().size());
        if (!groups.isEmpty()) {
            int width = Math.max(6, groups.stream().mapToInt(g -> g.scheme().length()).max().orElse(6));
            String format = "%-" + width + "s  %5s  %16s  %8s  %8s  %s%n";
            out.printf(Locale.ROOT, format, "scheme", "parts", "bytes", "GB", "GiB", "file");
            for (GgufGroup group : groups) {
                out.printf(Locale.ROOT, format, group.scheme(), group.complete() ? group.parts().size()
                        : group.parts().size() + "/" + group.expectedParts(),
                        String.format(Locale.ROOT, "%,d", group.bytes()),
                        String.format(Locale.ROOT, "%.2f", group.bytes() / 1e9),
                        String.format(Locale.ROOT, "%.2f", group.bytes() / (double) (1L << 30)),
                        group.parts().get(0).path() + (group.projector() ? " (vision projector)" : ""));
            }
            out.printf(Locale.ROOT, "--model hf:%s:SCHEME reads that file's header (one of %s)%n", repository,
                    listing.schemes());
        }
        if (safetensors != null) {
            out.printf(Locale.ROOT, "safetensors: %d files, %,d parameters, tensor data %,d bytes (%.2f GB, %.2f GiB),"
                    + " files %,d bytes%n", safetensors.files().size(), safetensors.parameters(),
                    safetensors.tensorBytes(), safetensors.tensorBytes() / 1e9,
                    safetensors.tensorBytes() / (double) (1L << 30), safetensors.fileBytes());
            safetensors.byDtype().forEach((dtype, t) -> out.printf(Locale.ROOT,
                    "  %-8s %6d tensors  %,18d elements  %,18d bytes%n", dtype, t.tensors(), t.elements(), t.bytes()));
        }
        out.println("sizes: exact, from the Hub's file listing and the files' headers; GB = 10^9 bytes,"
                + " GiB = 2^30 bytes");
        out.flush();
        return LlmEstimatorCommand.ANSWERED;
    }
}
