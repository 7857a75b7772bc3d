package io.github.llmestimator.hub;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Where and how the hub reads: the Hugging Face endpoint and token, the Ollama registry, the header cache folder, the
 * timeouts, redirect and retry limits, and a progress listener. Immutable; each {@code with} method returns a copy.
 *
 * <p>{@link #fromEnvironment()} follows the Hub's own conventions (see
 * <a href="https://huggingface.co/docs/huggingface_hub/package_reference/environment_variables">the environment
 * variables of huggingface_hub</a>): {@code HF_ENDPOINT} for the endpoint (mirrors, tests) and {@code HF_TOKEN} for
 * gated and private repositories. The token is sent only to the endpoint's host, never to a storage host it redirects
 * to, and never appears in a message or in {@link #toString()}.
 */
public final class HubSettings {

    /** The Hugging Face endpoint when {@code HF_ENDPOINT} is not set. */
    public static final URI DEFAULT_ENDPOINT = URI.create("https://huggingface.co");

    /** The Ollama registry that {@code ollama pull} uses for names without a host. */
    public static final URI DEFAULT_OLLAMA_REGISTRY = URI.create("https://registry.ollama.ai");

    /** The environment variable that replaces {@link #DEFAULT_OLLAMA_REGISTRY} (this library's own, for mirrors and tests). */
    public static final String OLLAMA_REGISTRY_VARIABLE = "LLM_ESTIMATOR_OLLAMA_REGISTRY";

    private final URI endpoint;
    private final String token;
    private final URI ollamaRegistry;
    private final Path cacheDirectory;
    private final Duration connectTimeout;
    private final Duration readTimeout;
    private final Duration overallTimeout;
    private final int maxRedirects;
    private final int maxRetries;
    private final Duration retryBackoff;
    private final ProgressListener progress;

    private HubSettings(URI endpoint, String token, URI ollamaRegistry, Path cacheDirectory, Duration connectTimeout,
            Duration readTimeout, Duration overallTimeout, int maxRedirects, int maxRetries, Duration retryBackoff,
            ProgressListener progress) {
        this.endpoint = endpoint;
        this.token = token;
        this.ollamaRegistry = ollamaRegistry;
        this.cacheDirectory = cacheDirectory;
        this.connectTimeout = connectTimeout;
        this.readTimeout = readTimeout;
        this.overallTimeout = overallTimeout;
        this.maxRedirects = maxRedirects;
        this.maxRetries = maxRetries;
        this.retryBackoff = retryBackoff;
        this.progress = progress;
    }

    /**
     * Returns the defaults: {@link #DEFAULT_ENDPOINT}, no token, {@link #DEFAULT_OLLAMA_REGISTRY}, no cache, connect
     * timeout 10 s, 30 s without a byte, 10 min for one whole read, 5 redirects, 3 retries starting 500 ms apart.
     *
     * @return the settings
     */
    public static HubSettings defaults() {
        return new HubSettings(DEFAULT_ENDPOINT, null, DEFAULT_OLLAMA_REGISTRY, null, Duration.ofSeconds(10),
                Duration.ofSeconds(30), Duration.ofMinutes(10), 5, 3, Duration.ofMillis(500), ProgressListener.NONE);
    }

    /**
     * Returns the defaults with the process environment applied (see {@link #fromEnvironment(Map)}).
     *
     * @return the settings
     * @throws IllegalArgumentException if a variable holds an unusable value
     */
    public static HubSettings fromEnvironment() {
        return fromEnvironment(System.getenv());
    }

    /**
     * Returns the defaults with these variables applied: {@code HF_ENDPOINT}, {@code HF_TOKEN},
     * {@value #OLLAMA_REGISTRY_VARIABLE}, and the cache folder {@code $XDG_CACHE_HOME/llm-estimator}, else
     * {@code $HOME/.cache/llm-estimator} (as the
     * <a href="https://specifications.freedesktop.org/basedir-spec/latest/">XDG base directory specification</a>
     * places user caches). Empty variables count as unset.
     *
     * @param environment the variables, not null
     * @return the settings
     * @throws NullPointerException if {@code environment} is null
     * @throws IllegalArgumentException if an endpoint is not an http or https URL
     */
    public static HubSettings fromEnvironment(Map<String, String> environment) {
        Objects.requireNonNull(environment, "environment");
        HubSettings settings = defaults();
        String endpoint = nonEmpty(environment.get("HF_ENDPOINT"));
        if (endpoint != null) {
            settings = settings.withEndpoint(parseEndpoint("HF_ENDPOINT", endpoint));
        }
        String token = nonEmpty(environment.get("HF_TOKEN"));
        if (token != null) {
            settings = settings.withToken(token);
        }
        String registry = nonEmpty(environment.get(OLLAMA_REGISTRY_VARIABLE));
        if (registry != null) {
            settings = settings.withOllamaRegistry(parseEndpoint(OLLAMA_REGISTRY_VARIABLE, registry));
        }
        String xdg = nonEmpty(environment.get("XDG_CACHE_HOME"));
        String home = nonEmpty(environment.get("HOME"));
        if (xdg != null) {
            settings = settings.withCacheDirectory(Path.of(xdg, "llm-estimator"));
        } else if (home != null) {
            settings = settings.withCacheDirectory(Path.of(home, ".cache", "llm-estimator"));
        }
        return settings;
    }

    private static String nonEmpty(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }

    private static URI parseEndpoint(String name, String value) {
        URI uri;
        try {
            uri = URI.create(value.endsWith("/") ? value.substring(0, value.length() - 1) : value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(name + ": '" + value + "' (expected: an http or https URL)", e);
        }
        return requireHttp(name, uri);
    }

    private static URI requireHttp(String name, URI uri) {
        Objects.requireNonNull(uri, name);
        String scheme = uri.getScheme();
        if (scheme == null || !(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
            throw new IllegalArgumentException(name + ": '" + uri + "' (expected: an http or https URL with a host)");
        }
        return uri;
    }

    private static Duration positive(String name, Duration value) {
        Objects.requireNonNull(value, name);
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + ": " + value + " (expected: a positive duration)");
        }
        return value;
    }

    private static int nonNegative(String name, int value, int max) {
        if (value < 0 || value > max) {
            throw new IllegalArgumentException(name + ": " + value + " (expected: 0 to " + max + ")");
        }
        return value;
    }

    /**
     * Returns a copy with another Hugging Face endpoint.
     *
     * @param endpoint an http or https URL with a host, such as {@code https://huggingface.co}, not null
     * @return the settings
     * @throws NullPointerException if {@code endpoint} is null
     * @throws IllegalArgumentException if it is not an http or https URL with a host
     */
    public HubSettings withEndpoint(URI endpoint) {
        return new HubSettings(requireHttp("endpoint", endpoint), token, ollamaRegistry, cacheDirectory,
                connectTimeout, readTimeout, overallTimeout, maxRedirects, maxRetries, retryBackoff, progress);
    }

    /**
     * Returns a copy with an access token, sent as {@code Authorization: Bearer} to the endpoint's host only.
     *
     * @param token the token, not null or blank
     * @return the settings
     * @throws NullPointerException if {@code token} is null
     * @throws IllegalArgumentException if it is blank or holds a line break
     */
    public HubSettings withToken(String token) {
        Objects.requireNonNull(token, "token");
        if (token.isBlank() || token.indexOf('\n') >= 0 || token.indexOf('\r') >= 0) {
            throw new IllegalArgumentException("token: blank or holds a line break (expected: one line of text)");
        }
        return new HubSettings(endpoint, token, ollamaRegistry, cacheDirectory, connectTimeout, readTimeout,
                overallTimeout, maxRedirects, maxRetries, retryBackoff, progress);
    }

    /**
     * Returns a copy with another Ollama registry.
     *
     * @param registry an http or https URL with a host, not null
     * @return the settings
     * @throws NullPointerException if {@code registry} is null
     * @throws IllegalArgumentException if it is not an http or https URL with a host
     */
    public HubSettings withOllamaRegistry(URI registry) {
        return new HubSettings(endpoint, token, requireHttp("registry", registry), cacheDirectory, connectTimeout,
                readTimeout, overallTimeout, maxRedirects, maxRetries, retryBackoff, progress);
    }

    /**
     * Returns a copy that keeps the headers it reads in a folder, keyed by URL and ETag.
     *
     * @param directory the folder (created when first written), or null for no cache
     * @return the settings
     */
    public HubSettings withCacheDirectory(Path directory) {
        return new HubSettings(endpoint, token, ollamaRegistry, directory, connectTimeout, readTimeout,
                overallTimeout, maxRedirects, maxRetries, retryBackoff, progress);
    }

    /**
     * Returns a copy with other timeouts.
     *
     * @param connect the longest wait for a connection, positive, not null
     * @param read the longest wait for the answer's headers and for each block of its body, positive, not null
     * @param overall the longest one whole read may take, redirects and retries included, positive, not null
     * @return the settings
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if a duration is zero or negative
     */
    public HubSettings withTimeouts(Duration connect, Duration read, Duration overall) {
        return new HubSettings(endpoint, token, ollamaRegistry, cacheDirectory, positive("connect", connect),
                positive("read", read), positive("overall", overall), maxRedirects, maxRetries, retryBackoff,
                progress);
    }

    /**
     * Returns a copy with other redirect and retry limits.
     *
     * @param maxRedirects the most redirects one request follows, 0 to 20
     * @param maxRetries the most retries after a 429 or 5xx answer, 0 to 10
     * @param backoff the wait before the first retry, doubled for each next one, positive, not null
     * @return the settings
     * @throws NullPointerException if {@code backoff} is null
     * @throws IllegalArgumentException if a limit is out of range or the backoff is not positive
     */
    public HubSettings withLimits(int maxRedirects, int maxRetries, Duration backoff) {
        return new HubSettings(endpoint, token, ollamaRegistry, cacheDirectory, connectTimeout, readTimeout,
                overallTimeout, nonNegative("maxRedirects", maxRedirects, 20),
                nonNegative("maxRetries", maxRetries, 10), positive("backoff", backoff), progress);
    }

    /**
     * Returns a copy that reports progress to a listener.
     *
     * @param listener the listener, not null
     * @return the settings
     * @throws NullPointerException if {@code listener} is null
     */
    public HubSettings withProgress(ProgressListener listener) {
        return new HubSettings(endpoint, token, ollamaRegistry, cacheDirectory, connectTimeout, readTimeout,
                overallTimeout, maxRedirects, maxRetries, retryBackoff, Objects.requireNonNull(listener, "listener"));
    }

    /**
     * Returns the Hugging Face endpoint.
     *
     * @return the endpoint, without a trailing slash
     */
    public URI endpoint() {
        return endpoint;
    }

    /**
     * Returns whether a token is set (the token itself is never returned in text).
     *
     * @return true if a token is set
     */
    public boolean hasToken() {
        return token != null;
    }

    /** The token, for the Authorization header only. */
    String token() {
        return token;
    }

    /**
     * Returns the Ollama registry.
     *
     * @return the registry
     */
    public URI ollamaRegistry() {
        return ollamaRegistry;
    }

    /**
     * Returns the header cache folder.
     *
     * @return the folder, or empty when headers are not cached
     */
    public Optional<Path> cacheDirectory() {
        return Optional.ofNullable(cacheDirectory);
    }

    /**
     * Returns the connect timeout.
     *
     * @return the timeout
     */
    public Duration connectTimeout() {
        return connectTimeout;
    }

    /**
     * Returns the longest wait for an answer's headers and for each block of its body.
     *
     * @return the timeout
     */
    public Duration readTimeout() {
        return readTimeout;
    }

    /**
     * Returns the longest one whole read may take.
     *
     * @return the timeout
     */
    public Duration overallTimeout() {
        return overallTimeout;
    }

    /**
     * Returns the most redirects one request follows.
     *
     * @return the limit
     */
    public int maxRedirects() {
        return maxRedirects;
    }

    /**
     * Returns the most retries after a 429 or 5xx answer.
     *
     * @return the limit
     */
    public int maxRetries() {
        return maxRetries;
    }

    /**
     * Returns the wait before the first retry; each next one waits twice as long.
     *
     * @return the wait
     */
    public Duration retryBackoff() {
        return retryBackoff;
    }

    /**
     * Returns the progress listener.
     *
     * @return the listener
     */
    public ProgressListener progress() {
        return progress;
    }

    @Override
    public String toString() {
        return "HubSettings[endpoint " + endpoint + ", token " + (token == null ? "none" : "set") + ", ollama "
                + ollamaRegistry + ", cache " + (cacheDirectory == null ? "none" : cacheDirectory) + ", timeouts "
                + connectTimeout + "/" + readTimeout + "/" + overallTimeout + ", redirects " + maxRedirects
                + ", retries " + maxRetries + "]";
    }
}
