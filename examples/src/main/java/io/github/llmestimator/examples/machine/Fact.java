package io.github.llmestimator.examples.machine;

import java.util.Objects;

/**
 * One detected fact about this machine and where it was read: {@code ("memory", "23.54 GiB", "/proc/meminfo
 * MemTotal")}. A fact that could not be read is {@linkplain #unknown(String, String) unknown}, with the reason.
 *
 * @param name what the fact is about, such as {@code "cpu model"}
 * @param value the value as a person reads it, or {@code "unknown"}
 * @param source where it was read (a file and key, a command), or why it is unknown
 */
public record Fact(String name, String value, String source) {

    /**
     * Validates the components.
     *
     * @param name what the fact is about
     * @param value the value
     * @param source where it was read
     * @throws NullPointerException if a component is null
     */
    public Fact {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(source, "source");
    }

    /**
     * Returns a fact that could not be read.
     *
     * @param name what the fact is about
     * @param why why it is unknown: the file or command that was missing or unreadable
     * @return the fact, with the value {@code "unknown"}
     */
    public static Fact unknown(String name, String why) {
        return new Fact(name, "unknown", why);
    }

    /**
     * Returns whether the value is known.
     *
     * @return false for an {@linkplain #unknown(String, String) unknown} fact
     */
    public boolean known() {
        return !value.equals("unknown");
    }
}
