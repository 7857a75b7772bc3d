package io.github.llmestimator.catalog;

/**
 * A Hugging Face {@code config.json} that cannot be turned into a model spec: malformed JSON, an unknown
 * {@code model_type}, a missing required key or a value of the wrong type. The message names the key, the value found
 * and what was expected.
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class ConfigImportException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates an exception with the given message.
     *
     * @param message what was wrong, not null
     */
    public ConfigImportException(String message) {
        super(message);
    }

    /**
     * Creates an exception with the given message and cause.
     *
     * @param message what was wrong, not null
     * @param cause the underlying failure, such as a JSON parse error
     */
    public ConfigImportException(String message, Throwable cause) {
        super(message, cause);
    }
}
