package io.github.llmestimator.vision;

import io.github.llmestimator.gguf.GgufFile;
import io.github.llmestimator.gguf.GgufTensorInfo;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A projector file llama.cpp loads next to a model ({@code --mmproj}): its weight bytes, and its vision tower when the
 * tower's kind is one this package models (which gives image tokens and the encoder's compute buffer).
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class Projector {

    /** The {@code general.architecture} of a projector file. */
    public static final String ARCHITECTURE = "clip";

    private final String projectorType;
    private final long weightBytes;
    private final String label;
    private final VisionTower tower;

    private Projector(String projectorType, long weightBytes, String label, VisionTower tower) {
        this.projectorType = projectorType;
        this.weightBytes = weightBytes;
        this.label = label;
        this.tower = tower;
    }

    /**
     * Returns the projector file llama.cpp's converter writes for a tower at a file type.
     *
     * @param tower the tower, not null
     * @param type the file type, not null
     * @return the projector, with bytes from {@link VisionTower#weightBytes}
     * @throws NullPointerException if an argument is null
     */
    public static Projector of(VisionTower tower, ProjectorType type) {
        Objects.requireNonNull(tower, "tower");
        Objects.requireNonNull(type, "type");
        return new Projector(tower.kind().projectorType(), tower.weightBytes(type), type.name(), tower);
    }

    /**
     * Returns the projector a {@code mmproj} file's header describes: its weights are the sum of its tensor table's
     * bytes (exact), and its tower is rebuilt from the {@code clip.vision.*} keys and the tensor table when
     * {@code clip.projector_type} names a kind of {@link VisionTowerKind}.
     *
     * @param mmproj the file's header, not null
     * @return the projector
     * @throws NullPointerException if {@code mmproj} is null
     * @throws IllegalArgumentException if the file is not a projector ({@code general.architecture} is not
     *     {@code clip}), names no projector type, or a key its tower kind needs is missing or out of range
     */
    public static Projector of(GgufFile mmproj) {
        Objects.requireNonNull(mmproj, "mmproj");
        String architecture = mmproj.string("general.architecture").orElse("(none)");
        if (!ARCHITECTURE.equals(architecture)) {
            throw new IllegalArgumentException("general.architecture: '" + architecture
                    + "' (expected: 'clip', the architecture of an mmproj projector file)");
        }
        String type = mmproj.string("clip.vision.projector_type").or(() -> mmproj.string("clip.projector_type"))
                .orElseThrow(() -> new IllegalArgumentException("clip.projector_type: missing (expected: the"
                        + " projector type of a vision encoder, such as gemma3)"));
        String label = mmproj.count("general.file_type").isPresent()
                ? "file type " + mmproj.count("general.file_type").getAsLong() : "file";
        VisionTower tower = VisionTowerKind.ofProjectorType(type).map(kind -> tower(mmproj, kind)).orElse(null);
        return new Projector(type, mmproj.tensorBytes(), label, tower);
    }

    private static VisionTower tower(GgufFile file, VisionTowerKind kind) {
        int layers = key(file, "clip.vision.block_count");
        int hidden = key(file, "clip.vision.embedding_length");
        int patch = key(file, "clip.vision.patch_size");
        int positions = 0;
        int merge;
        if (kind == VisionTowerKind.GEMMA3) {
            int side = key(file, "clip.vision.image_size") / patch;
            positions = side * side;
            // clip.cpp's default for Gemma 3; the converter writes the key only when it differs
            merge = optionalKey(file, "clip.vision.projector.scale_factor", 4);
        } else {
            merge = optionalKey(file, "clip.vision.spatial_merge_size", 2);
            if (kind == VisionTowerKind.QWEN3_VL) {
                long rows = file.tensor("v.position_embd.weight").map(GgufTensorInfo::rows).orElseThrow(
                        () -> new IllegalArgumentException("tensor v.position_embd.weight: missing (expected in a "
                                + kind.projectorType() + " projector)"));
                if (rows > Integer.MAX_VALUE) {
                    throw new IllegalArgumentException("tensor v.position_embd.weight: " + rows
                            + " positions (expected: at most " + Integer.MAX_VALUE + ")");
                }
                positions = (int) rows;
            }
        }
        int deepstack = (int) file.tensors().stream()
                .filter(t -> t.name().startsWith("v.deepstack.") && t.name().endsWith(".fc1.weight")).count();
        return new VisionTower(kind, layers, hidden, key(file, "clip.vision.feed_forward_length"),
                key(file, "clip.vision.attention.head_count"), patch, merge, positions,
                key(file, "clip.vision.projection_dim"), deepstack);
    }

    private static int key(GgufFile file, String key) {
        OptionalLong value = file.count(key);
        if (value.isEmpty() || value.getAsLong() < 1 || value.getAsLong() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(key + ": " + file.value(key).map(Object::toString).orElse("missing")
                    + " (expected: an integer from 1 to " + Integer.MAX_VALUE + ")");
        }
        return (int) value.getAsLong();
    }

    private static int optionalKey(GgufFile file, String key, int defaultValue) {
        return file.value(key).isPresent() ? key(file, key) : defaultValue;
    }

    /**
     * Returns the projector type, as {@code clip.projector_type} names it.
     *
     * @return the type, such as {@code gemma3}
     */
    public String projectorType() {
        return projectorType;
    }

    /**
     * Returns the projector's weight bytes: what llama.cpp loads for {@code --mmproj}, on the main GPU unless
     * {@code --no-mmproj-offload}.
     *
     * @return bytes
     */
    public long weightBytes() {
        return weightBytes;
    }

    /**
     * Returns the vision tower, when its kind is one this package models.
     *
     * @return the tower, or empty
     */
    public Optional<VisionTower> tower() {
        return Optional.ofNullable(tower);
    }

    @Override
    public boolean equals(Object other) {
        if (this == other) {
            return true;
        }
        if (!(other instanceof Projector)) {
            return false;
        }
        Projector that = (Projector) other;
        return weightBytes == that.weightBytes && projectorType.equals(that.projectorType) && label.equals(that.label)
                && Objects.equals(tower, that.tower);
    }

    @Override
    public int hashCode() {
        return Objects.hash(projectorType, weightBytes, label, tower);
    }

    @Override
    public String toString() {
        return "Projector[" + projectorType + " " + label + ", " + weightBytes + " bytes]";
    }
}
