package io.github.llmestimator.hub;

import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The GGUF files of a repository that make one model file: a single {@code .gguf}, or the parts of a split one
 * ({@code -00001-of-00003.gguf} and so on), with the quantization scheme its name states.
 *
 * <p>The scheme is read from the end of the file name, as uploaders name their files: llama.cpp's type names
 * ({@code Q4_K_M}, {@code IQ4_XS}, {@code Q8_0}, {@code BF16}, {@code MXFP4_MOE}), an uploader's variant of one
 * ({@code Q6_K_L}, {@code Q4_K_XL}) and unsloth's dynamic prefix {@code UD-}. It is a label: the types of the tensors
 * come from the header.
 *
 * @param scheme the scheme named in the file name, upper case, such as {@code UD-Q4_K_XL}, or the base name when it
 *     names none, not null
 * @param base the path without the split suffix and {@code .gguf}, not null
 * @param parts the files in part order, at least one, not null
 * @param expectedParts the parts the names announce ({@code of-00003}: 3), 1 for a single file
 * @param projector whether the file is a vision projector ({@code mmproj-*.gguf}) rather than a language model
 */
public record GgufGroup(String scheme, String base, List<RepoFile> parts, int expectedParts, boolean projector) {

    private static final Pattern SPLIT = Pattern.compile("(?i)^(.*)-(\\d{5})-of-(\\d{5})\\.gguf$");
    private static final Pattern SCHEME = Pattern.compile(
            "(?i)(?:^|[-_.])((?:UD-)?(?:I?Q\\d+(?:_[0-9A-Z]+)*|TQ\\d_\\d|MXFP4(?:_MOE)?|BF16|F16|F32))$");

    /**
     * Validates the components.
     *
     * @param scheme the scheme, not null
     * @param base the base path, not null
     * @param parts the files, at least one, not null
     * @param expectedParts the announced parts, at least 1
     * @param projector whether it is a vision projector
     * @throws NullPointerException if a component is null
     * @throws IllegalArgumentException if there are no parts or {@code expectedParts} is below 1
     */
    public GgufGroup {
        Objects.requireNonNull(scheme, "scheme");
        Objects.requireNonNull(base, "base");
        parts = List.copyOf(Objects.requireNonNull(parts, "parts"));
        if (parts.isEmpty() || expectedParts < 1) {
            throw new IllegalArgumentException("parts " + parts.size() + ", expectedParts " + expectedParts
                    + " (expected: at least one of each)");
        }
    }

    /**
     * Returns the size of all parts together.
     *
     * @return bytes
     */
    public long bytes() {
        long sum = 0;
        for (RepoFile part : parts) {
            sum += part.bytes();
        }
        return sum;
    }

    /**
     * Returns whether every announced part is in the repository.
     *
     * @return true for a single file or a split file with all its parts
     */
    public boolean complete() {
        return parts.size() == expectedParts;
    }

    /** Returns the base path and part number of a split part ({@code [base, number, count]}), or null. */
    static String[] splitName(String path) {
        Matcher m = SPLIT.matcher(path);
        return m.matches() ? new String[] {m.group(1), m.group(2), m.group(3)} : null;
    }

    /** Returns the scheme a base name (no {@code .gguf}) ends with, upper case, or null. */
    static String schemeOf(String base) {
        String name = base.substring(base.lastIndexOf('/') + 1);
        Matcher m = SCHEME.matcher(name);
        return m.find() ? m.group(1).toUpperCase(Locale.ROOT) : null;
    }
}
