package io.github.llmestimator.hub;

import com.fasterxml.jackson.jr.ob.JSON;
import io.github.llmestimator.catalog.ConfigImportException;
import io.github.llmestimator.catalog.HuggingFaceConfigImporter;
import io.github.llmestimator.gguf.GgufFile;
import io.github.llmestimator.gguf.GgufFormatException;
import io.github.llmestimator.gguf.GgufModel;
import io.github.llmestimator.model.ModelSpec;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads published models by their headers, before anything is downloaded:
 * <pre>{@code
 * Hub hub = Hub.fromEnvironment();                                   // HF_ENDPOINT, HF_TOKEN, cache folder
 * RepoListing repo = hub.listRepository("unsloth/Qwen3-8B-GGUF", "main");
 * RemoteGguf file = hub.readGguf(repo, repo.gguf("Q4_K_M"));         // a few MB of header, never the weights
 * long weightBytes = file.model().weightBytes();                     // exact
 * RemoteGguf ollama = hub.readOllama(OllamaName.parse("qwen3:8b"));
 * }</pre>
 *
 * <p>A GGUF header is read by range requests that grow from 64 KiB until the tensor table is complete, at most
 * {@link #MAX_GGUF_HEADER_BYTES} bytes per file; a safetensors header by its stated length, at most 100,000,000 bytes
 * (the format's own limit); JSON answers (tree listings, shard indexes, manifests, {@code config.json}) at most
 * {@link #MAX_JSON_BYTES} bytes each. Headers are cached on disk by URL and ETag when the settings name a cache folder.
 *
 * <p>The Hub's endpoints, as its documentation states them (https://huggingface.co/docs/hub/api): the tree listing
 * {@code GET /api/models/{repo}/tree/{revision}?recursive=true}, a JSON array of entries with {@code type},
 * {@code path}, {@code size}, {@code oid} and, for LFS files, {@code lfs.size}, paged by a {@code Link: <...>;
 * rel="next"} header (as huggingface.js's {@code listFiles} follows it); and the file download
 * {@code GET /{repo}/resolve/{revision}/{path}}, which redirects LFS files to a storage host that honours
 * {@code Range}. Ollama's registry serves Docker-style manifests at {@code /v2/{namespace}/{model}/manifests/{tag}} whose
 * layer of media type {@code application/vnd.ollama.image.model} is the GGUF file, a blob at
 * {@code /v2/{namespace}/{model}/blobs/{digest}} (ollama's {@code server/internal/manifest} package documents the
 * layers).
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class Hub {

    /**
     * The most bytes read for one GGUF header: core's {@link GgufFile#MAX_HEADER_BYTES} (64 MiB, ten times the largest
     * real header, a 262,144-token vocabulary's 6 MB) and the 64 KiB the reader buffers beyond it.
     */
    public static final long MAX_GGUF_HEADER_BYTES = GgufFile.MAX_HEADER_BYTES + (64 << 10);

    /** The most bytes of one JSON answer: 32 MiB, far above a tree listing of thousands of files. */
    public static final long MAX_JSON_BYTES = 32L << 20;

    /** The most pages of a tree listing followed. */
    static final int MAX_PAGES = 100;

    private static final Pattern REPOSITORY = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*/[A-Za-z0-9][A-Za-z0-9._-]*");
    private static final Pattern NEXT = Pattern.compile("<([^>]+)>\\s*;\\s*rel=\"?next\"?");
    private static final Pattern DIGEST = Pattern.compile("sha256:[0-9a-f]{64}");
    private static final String OLLAMA_MODEL_LAYER = "application/vnd.ollama.image.model";
    private static final String MANIFEST_V2 = "application/vnd.docker.distribution.manifest.v2+json";

    private final Http http;
    private final HeaderCache cache;

    /**
     * Creates a hub reader.
     *
     * @param settings the endpoint, token, cache, limits and progress listener, not null
     * @throws NullPointerException if {@code settings} is null
     */
    public Hub(HubSettings settings) {
        this.http = new Http(Objects.requireNonNull(settings, "settings"));
        this.cache = settings.cacheDirectory().map(HeaderCache::new).orElse(null);
    }

    /**
     * Creates a hub reader with {@link HubSettings#fromEnvironment()}.
     *
     * @return the reader
     * @throws IllegalArgumentException if a variable holds an unusable value
     */
    public static Hub fromEnvironment() {
        return new Hub(HubSettings.fromEnvironment());
    }

    /**
     * Returns the settings.
     *
     * @return the settings
     */
    public HubSettings settings() {
        return http.settings();
    }

    private static String requireRepository(String repository) {
        Objects.requireNonNull(repository, "repository");
        if (!REPOSITORY.matcher(repository).matches()) {
            throw new IllegalArgumentException("repository: '" + repository + "' (expected: owner/name, letters, digits,"
                    + " '.', '_' and '-')");
        }
        return repository;
    }

    private static String segment(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static String path(String path) {
        StringBuilder b = new StringBuilder();
        for (String part : path.split("/", -1)) {
            if (part.isEmpty() || part.equals(".") || part.equals("..")) {
                throw new IllegalArgumentException("path: '" + path + "' (expected: a relative path without empty,"
                        + " '.' or '..' parts)");
            }
            b.append(b.length() == 0 ? "" : "/").append(segment(part));
        }
        return b.toString();
    }

    /**
     * Returns the download URL of a file in a repository: {@code {endpoint}/{repo}/resolve/{revision}/{path}}.
     *
     * @param repository {@code owner/name}, not null
     * @param revision a branch, tag or commit, such as {@code main}, not null or empty
     * @param path the file's path in the repository, not null
     * @return the URL
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if the repository is not {@code owner/name}, the revision is empty or the path
     *     has empty, {@code .} or {@code ..} parts
     */
    public URI fileUrl(String repository, String revision, String path) {
        requireRepository(repository);
        Objects.requireNonNull(path, "path");
        return URI.create(settings().endpoint() + "/" + repository + "/resolve/" + revision(revision) + "/"
                + path(path));
    }

    private static String revision(String revision) {
        Objects.requireNonNull(revision, "revision");
        if (revision.isEmpty()) {
            throw new IllegalArgumentException("revision: '' (expected: a branch, tag or commit such as main)");
        }
        return segment(revision);
    }

    /**
     * Lists a repository's files with their exact sizes (the Hub's tree API, recursive, every page).
     *
     * @param repository {@code owner/name}, not null
     * @param revision a branch, tag or commit, such as {@code main}, not null or empty
     * @return the listing
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if the repository is not {@code owner/name} or the revision is empty
     * @throws HubException if the listing cannot be read (a 404 for a repository that does not exist or is private
     *     without a token), or is not the documented JSON shape
     */
    public RepoListing listRepository(String repository, String revision) throws HubException {
        requireRepository(repository);
        URI next = URI.create(settings().endpoint() + "/api/models/" + repository + "/tree/" + revision(revision)
                + "?recursive=true");
        Http.Deadline deadline = new Http.Deadline(settings().overallTimeout());
        List<RepoFile> files = new ArrayList<>();
        for (int page = 0; next != null; page++) {
            if (page == MAX_PAGES) {
                throw new HubException(Http.shown(next), -1, "more than " + MAX_PAGES + " pages (expected: a listing"
                        + " that ends)", null);
            }
            String shown = Http.shown(next);
            String link;
            Object json;
            try (Http.Response response = http.get(next, null, "application/json", MAX_JSON_BYTES, deadline)) {
                link = response.header("Link");
                json = parseJson(response, shown);
            }
            if (!(json instanceof List)) {
                throw new HubException(shown, 200, "not a JSON array (expected: the tree API's list of entries)", null);
            }
            for (Object entry : (List<?>) json) {
                RepoFile file = treeEntry(entry, shown);
                if (file != null) {
                    files.add(file);
                }
            }
            next = nextPage(link, shown);
        }
        return new RepoListing(repository, revision, files);
    }

    private URI nextPage(String link, String shown) throws HubException {
        if (link == null) {
            return null;
        }
        Matcher m = NEXT.matcher(link);
        if (!m.find()) {
            return null;
        }
        URI next;
        try {
            next = URI.create(settings().endpoint().toString()).resolve(m.group(1));
        } catch (IllegalArgumentException e) {
            throw new HubException(shown, 200, "Link header names an unusable next page (expected: a URL)", e);
        }
        // The token goes with the next page, so it must stay on the endpoint's host.
        if (!Objects.equals(next.getHost(), settings().endpoint().getHost())
                || next.getPort() != settings().endpoint().getPort()) {
            throw new HubException(shown, 200, "Link header sends the next page to " + Http.shown(next)
                    + " (expected: the endpoint " + settings().endpoint() + ")", null);
        }
        return next;
    }

    private static RepoFile treeEntry(Object entry, String shown) throws HubException {
        if (!(entry instanceof Map)) {
            throw new HubException(shown, 200, "tree entry " + entry + " (expected: a JSON object)", null);
        }
        Map<?, ?> map = (Map<?, ?>) entry;
        if (!"file".equals(map.get("type"))) {
            return null;
        }
        Object path = map.get("path");
        Object size = map.get("lfs") instanceof Map ? ((Map<?, ?>) map.get("lfs")).get("size") : map.get("size");
        long bytes = byteCount(size);
        if (!(path instanceof String) || ((String) path).isEmpty() || bytes < 0) {
            throw new HubException(shown, 200, "tree entry with path " + path + " and size " + size
                    + " (expected: a path and a size in bytes from 0 to 2^63-1)", null);
        }
        return new RepoFile((String) path, bytes);
    }

    /** Returns a JSON number as a byte count, or -1 when it is not a whole number from 0 to 2^63-1. */
    private static long byteCount(Object json) {
        if (json instanceof Integer || json instanceof Long || json instanceof Short) {
            return Math.max(-1, ((Number) json).longValue());
        }
        return -1;
    }

    private Object parseJson(Http.Response response, String shown) throws HubException {
        byte[] bytes = readAll(response.body(), shown);
        try {
            return JSON.std.anyFrom(bytes);
        } catch (IOException | RuntimeException e) {
            throw new HubException(shown, response.status, "not JSON (" + http.redact(String.valueOf(e.getMessage()))
                    .lines().findFirst().orElse("") + ")", e);
        }
    }

    private byte[] readAll(InputStream in, String shown) throws HubException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[16384];
        try {
            for (int n; (n = in.read(buffer)) > 0; ) {
                out.write(buffer, 0, n);
                settings().progress().fetched(shown, out.size());
            }
        } catch (HubException e) {
            throw e;
        } catch (IOException e) {
            throw new HubException(shown, -1, "cannot read the answer: " + e.getMessage(), e);
        }
        return out.toByteArray();
    }

    /**
     * Reads the header of one GGUF model file by its URL; a part of a split file ({@code -00002-of-00003.gguf}) brings
     * all its parts, named the same way.
     *
     * @param url an http or https URL, not null
     * @return the model and what the read cost
     * @throws NullPointerException if {@code url} is null
     * @throws IllegalArgumentException if the URL is not http or https
     * @throws HubException if a part cannot be read or is not a GGUF header this library reads
     */
    public RemoteGguf readGguf(URI url) throws HubException {
        Objects.requireNonNull(url, "url");
        if (!"http".equals(url.getScheme()) && !"https".equals(url.getScheme()) || url.getHost() == null) {
            throw new IllegalArgumentException("url: '" + url + "' (expected: an http or https URL)");
        }
        String[] split = GgufGroup.splitName(url.getRawPath());
        if (split == null) {
            return readGguf(List.of(url));
        }
        int count = Integer.parseInt(split[2]);
        if (count < 1) {
            throw new IllegalArgumentException("url: '" + Http.shown(url) + "' (expected: a split count of at least 1)");
        }
        List<URI> parts = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            String path = String.format(java.util.Locale.ROOT, "%s-%05d-of-%s.gguf", split[0], i, split[2]);
            parts.add(url.resolve(path));
        }
        return readGguf(parts);
    }

    /**
     * Reads a GGUF model file of a repository that {@link RepoListing#gguf(String)} chose.
     *
     * @param listing the repository's listing, not null
     * @param group the file, one of the listing's, not null
     * @return the model and what the read cost
     * @throws NullPointerException if an argument is null
     * @throws HubException if a part cannot be read, is not a GGUF header, or its size is not the listed one
     */
    public RemoteGguf readGguf(RepoListing listing, GgufGroup group) throws HubException {
        Objects.requireNonNull(listing, "listing");
        Objects.requireNonNull(group, "group");
        List<URI> parts = new ArrayList<>();
        for (RepoFile part : group.parts()) {
            parts.add(fileUrl(listing.repository(), listing.revision(), part.path()));
        }
        RemoteGguf read = readGguf(parts);
        if (read.fileBytes() != group.bytes()) {
            throw new HubException(read.urls().get(0), -1, "the server states " + read.fileBytes() + " bytes"
                    + " (expected: the " + group.bytes() + " bytes the repository's listing states)", null);
        }
        return read;
    }

    /**
     * Reads the headers of the parts of one GGUF model file, in order, and joins them
     * ({@link GgufFile#ofSplits(List)}).
     *
     * @param parts the parts' URLs, at least one, not null
     * @return the model and what the read cost
     * @throws NullPointerException if {@code parts} or a part is null
     * @throws IllegalArgumentException if there are no parts
     * @throws HubException if a part cannot be read or is not a GGUF header this library reads, or the parts do not
     *     form one model
     */
    public RemoteGguf readGguf(List<URI> parts) throws HubException {
        Objects.requireNonNull(parts, "parts");
        if (parts.isEmpty()) {
            throw new IllegalArgumentException("parts: none (expected: at least one URL)");
        }
        Http.Deadline deadline = new Http.Deadline(settings().overallTimeout());
        List<GgufFile> headers = new ArrayList<>();
        List<String> urls = new ArrayList<>();
        long size = 0;
        long fetched = 0;
        int cached = 0;
        for (URI part : parts) {
            String shown = Http.shown(Objects.requireNonNull(part, "part"));
            try (RangeReader reader = new RangeReader(http, part, MAX_GGUF_HEADER_BYTES, deadline)) {
                reader.open();
                GgufFile header = fromCache(shown, reader.etag());
                if (header != null) {
                    cached++;
                } else {
                    header = parse(reader, shown);
                }
                if (header.fileBytes() > reader.size()) {
                    throw new HubException(shown, 206, "the header describes a file of " + header.fileBytes()
                            + " bytes (expected: at most the " + reader.size() + " bytes the server states)", null);
                }
                headers.add(header);
                urls.add(shown);
                size += reader.size();
                fetched += reader.bytesRead();
            }
        }
        String first = urls.get(0);
        try {
            return new RemoteGguf(urls, GgufModel.of(GgufFile.ofSplits(headers)), size, fetched, cached);
        } catch (GgufFormatException e) {
            throw new HubException(first, -1, "not a GGUF model this library reads: " + e.getMessage(), e);
        }
    }

    private GgufFile fromCache(String shown, String etag) {
        if (cache == null || etag == null) {
            return null;
        }
        Optional<Path> hit = cache.find(shown, etag);
        if (hit.isEmpty()) {
            return null;
        }
        try (InputStream in = Files.newInputStream(hit.get())) {
            return GgufFile.read(in);
        } catch (IOException unreadable) {
            // A damaged entry is read again from the server, which overwrites it.
            return null;
        }
    }

    private GgufFile parse(RangeReader reader, String shown) throws HubException {
        String etag = reader.etag();
        try {
            if (cache == null || etag == null) {
                return GgufFile.read(reader);
            }
            try (HeaderCache.Recording recording = cache.new Recording(reader, shown, etag)) {
                GgufFile header = GgufFile.read(recording);
                recording.commit();
                return header;
            }
        } catch (HubException e) {
            throw e;
        } catch (GgufFormatException e) {
            throw new HubException(shown, -1, e.isTruncated() ? "the file (" + reader.size() + " bytes) ends before"
                    + " its GGUF header does: " + e.getMessage() : "not a GGUF header this library reads: "
                    + e.getMessage(), e);
        } catch (IOException e) {
            throw new HubException(shown, -1, "cannot read or cache the header: " + e.getMessage(), e);
        }
    }

    /**
     * Reads a repository's {@code config.json} into a spec, through the catalog's importer.
     *
     * @param repository {@code owner/name}, not null
     * @param revision a branch, tag or commit, not null or empty
     * @return the spec, named after the repository
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if the repository or revision is malformed
     * @throws HubException if the file cannot be read
     * @throws ConfigImportException if it is not a {@code config.json} the importer reads
     */
    public ModelSpec readConfig(String repository, String revision) throws HubException {
        Map<String, Object> config = configMap(repository, revision);
        return HuggingFaceConfigImporter.fromMap(config, repository.substring(repository.indexOf('/') + 1));
    }

    private Map<String, Object> configMap(String repository, String revision) throws HubException {
        URI url = fileUrl(repository, revision, "config.json");
        Object json = getJson(url, null);
        if (!(json instanceof Map)) {
            throw new HubException(Http.shown(url), 200, "not a JSON object (expected: a config.json)", null);
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> map = (Map<String, Object>) json;
        return map;
    }

    private Object getJson(URI url, String accept) throws HubException {
        String shown = Http.shown(url);
        try (Http.Response response = http.get(url, null, accept, MAX_JSON_BYTES,
                new Http.Deadline(settings().overallTimeout()))) {
            return parseJson(response, shown);
        }
    }

    /**
     * Reads the headers of a repository's safetensors checkpoint: the shards {@code model.safetensors.index.json}
     * names, or the single {@code model.safetensors}; the bits of GPTQ/AWQ packed weights come from the repository's
     * {@code config.json} ({@code quantization_config.bits}, 4 when it states none).
     *
     * @param listing the repository's listing, not null
     * @return the totals
     * @throws NullPointerException if {@code listing} is null
     * @throws IllegalArgumentException if the repository has neither file
     * @throws HubException if a file cannot be read or a header is malformed, beyond the format's limit, or does not
     *     cover its file
     */
    public SafetensorsSummary readSafetensors(RepoListing listing) throws HubException {
        Objects.requireNonNull(listing, "listing");
        String repository = listing.repository();
        String revision = listing.revision();
        List<String> shards = new ArrayList<>();
        String index = "model.safetensors.index.json";
        if (listing.file(index).isPresent()) {
            URI url = fileUrl(repository, revision, index);
            Object json = getJson(url, null);
            Object map = json instanceof Map ? ((Map<?, ?>) json).get("weight_map") : null;
            if (!(map instanceof Map) || ((Map<?, ?>) map).isEmpty()) {
                throw new HubException(Http.shown(url), 200, "no weight_map object (expected: tensor names mapped to"
                        + " shard files)", null);
            }
            Set<String> names = new LinkedHashSet<>();
            for (Object shard : ((Map<?, ?>) map).values()) {
                if (!(shard instanceof String)) {
                    throw new HubException(Http.shown(url), 200, "weight_map value " + shard + " (expected: a file"
                            + " name)", null);
                }
                names.add((String) shard);
            }
            names.stream().sorted().forEach(shards::add);
        } else if (listing.file("model.safetensors").isPresent()) {
            shards.add("model.safetensors");
        } else {
            throw new IllegalArgumentException(repository + ": no model.safetensors or " + index + " (expected: a"
                    + " safetensors checkpoint; files: " + listing.safetensorsFiles().size() + " .safetensors)");
        }
        int bits = 4;
        if (listing.file("config.json").isPresent()) {
            Object quantization = configMap(repository, revision).get("quantization_config");
            Object stated = quantization instanceof Map ? ((Map<?, ?>) quantization).get("bits") : null;
            if (stated != null) {
                if (!(stated instanceof Integer) || 32 % (Integer) stated != 0) {
                    throw new HubException(Http.shown(fileUrl(repository, revision, "config.json")), 200,
                            "quantization_config.bits: " + stated + " (expected: 2, 4 or 8, a divisor of 32)", null);
                }
                bits = (Integer) stated;
            }
        }
        Http.Deadline deadline = new Http.Deadline(settings().overallTimeout());
        SafetensorsReader.Totals totals = new SafetensorsReader.Totals();
        List<String> urls = new ArrayList<>();
        long fetched = 0;
        for (String shard : shards) {
            URI url = fileUrl(repository, revision, shard);
            String shown = Http.shown(url);
            try (RangeReader reader = new RangeReader(http, url, 8 + SafetensorsReader.MAX_HEADER_BYTES, deadline)) {
                SafetensorsReader.read(reader, shown, bits, totals);
                fetched += reader.bytesRead();
            } catch (HubException e) {
                throw e;
            } catch (IOException e) {
                throw new HubException(shown, -1, "cannot read the header: " + e.getMessage(), e);
            }
            urls.add(shown);
        }
        return new SafetensorsSummary(urls, totals.byDtype(), totals.parameters, totals.tensorBytes, totals.fileBytes,
                fetched);
    }

    /**
     * Resolves an Ollama name through the registry's manifest to its model layer, a GGUF file, and reads its header.
     *
     * @param name the name, not null
     * @return the model and what the read cost
     * @throws NullPointerException if {@code name} is null
     * @throws HubException if the manifest cannot be read (a 404 for an unknown name or tag), has no model layer, or
     *     the layer is not a GGUF header this library reads
     */
    public RemoteGguf readOllama(OllamaName name) throws HubException {
        Objects.requireNonNull(name, "name");
        String base = settings().ollamaRegistry() + "/v2/" + segment(name.namespace()) + "/" + segment(name.model());
        URI manifest = URI.create(base + "/manifests/" + segment(name.tag()));
        String shown = Http.shown(manifest);
        Object json = getJson(manifest, MANIFEST_V2);
        Object layers = json instanceof Map ? ((Map<?, ?>) json).get("layers") : null;
        if (!(layers instanceof List)) {
            throw new HubException(shown, 200, "no layers list (expected: a registry manifest)", null);
        }
        for (Object layer : (List<?>) layers) {
            if (layer instanceof Map && OLLAMA_MODEL_LAYER.equals(((Map<?, ?>) layer).get("mediaType"))) {
                Object digest = ((Map<?, ?>) layer).get("digest");
                Object size = ((Map<?, ?>) layer).get("size");
                if (!(digest instanceof String) || !DIGEST.matcher((String) digest).matches()
                        || byteCount(size) < 0) {
                    throw new HubException(shown, 200, "model layer digest " + digest + ", size " + size
                            + " (expected: sha256: and 64 hex digits, and a size in bytes from 0 to 2^63-1)", null);
                }
                RemoteGguf read = readGguf(List.of(URI.create(base + "/blobs/" + digest)));
                if (read.fileBytes() != byteCount(size)) {
                    throw new HubException(read.urls().get(0), -1, "the server states " + read.fileBytes()
                            + " bytes (expected: the " + size + " bytes the manifest states)", null);
                }
                return read;
            }
        }
        throw new HubException(shown, 200, "no layer of media type " + OLLAMA_MODEL_LAYER + " (expected: a model"
                + " pulled as a GGUF file)", null);
    }
}
