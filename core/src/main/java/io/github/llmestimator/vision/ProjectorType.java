package io.github.llmestimator.vision;

import io.github.llmestimator.quant.TensorType;
import java.util.Locale;

/**
 * The file type of a projector file, as {@code convert_hf_to_gguf.py --mmproj --outtype} writes it. The type is that
 * of the 2-D weights; the converter keeps some tensors at other types whatever the file type (see
 * {@link ProjectorTensor.Storage}).
 */
public enum ProjectorType {
    /** All weights in single precision ({@code --outtype f32}). */
    F32(TensorType.F32),
    /** Half precision, the converter's default and the type most published {@code mmproj} files use. */
    F16(TensorType.F16),
    /** Brain float 16. */
    BF16(TensorType.BF16),
    /** 8-bit blocks of 32; a weight whose rows are not a multiple of 32 falls back to F16, as the converter does. */
    Q8_0(TensorType.Q8_0);

    private final TensorType weightType;

    ProjectorType(TensorType weightType) {
        this.weightType = weightType;
    }

    /**
     * Returns the type of the 2-D weights the file type names.
     *
     * @return the weight type
     */
    public TensorType weightType() {
        return weightType;
    }

    /**
     * Returns the type one tensor gets in a file of this type, by the converter's rules ({@code conversion/base.py},
     * {@code ModelBase.prepare_tensors} and {@code MmprojModel.tensor_force_quant}): 1-D tensors, norms and position
     * embeddings stay F32; patch embeddings and the patch merger are F16 in an F16 file and F32 in any other; Gemma
     * 3's input projection is always F16; a Q8_0 weight whose row length is not a multiple of 32 falls back to F16.
     *
     * @param tensor the tensor, not null
     * @return its type in a file of this type
     * @throws NullPointerException if {@code tensor} is null
     */
    public TensorType typeOf(ProjectorTensor tensor) {
        switch (java.util.Objects.requireNonNull(tensor, "tensor").storage()) {
            case F32:
                return TensorType.F32;
            case F16:
                return TensorType.F16;
            case PATCH:
                return this == F16 ? TensorType.F16 : TensorType.F32;
            default:
                if (this == Q8_0 && tensor.rowLength() % TensorType.Q8_0.blockSize() != 0) {
                    return TensorType.F16;
                }
                return weightType;
        }
    }

    /**
     * Returns the type for a name as a user types it: {@code f16}, {@code bf16}, {@code q8_0}, {@code f32}, in any
     * case.
     *
     * @param name the name, not null
     * @return the type
     * @throws NullPointerException if {@code name} is null
     * @throws IllegalArgumentException if the name is none of them
     */
    public static ProjectorType ofName(String name) {
        java.util.Objects.requireNonNull(name, "name");
        String upper = name.trim().toUpperCase(Locale.ROOT);
        for (ProjectorType type : values()) {
            if (type.name().equals(upper)) {
                return type;
            }
        }
        throw new IllegalArgumentException("projector type: '" + name + "' (expected one of f32, f16, bf16, q8_0)");
    }
}
