package io.github.llmestimator.internal.memory;

import java.util.ArrayList;
import java.util.List;

/**
 * A compute graph as llama.cpp hands it to ggml's graph allocator, and that allocator's sizing of the compute buffer.
 *
 * <p>Tensors are built with the shapes and strides ggml gives them ({@code ggml/src/ggml.c}: {@code ggml_new_tensor},
 * {@code ggml_view_4d}, {@code ggml_permute}, {@code ggml_mul_mat}, ...); {@link #expand} adds a tensor and its
 * not yet visited sources in ggml's depth-first order ({@code ggml_visit_parents_graph}). Weights, caches and every
 * view of them live in buffers of their own: they are marked {@link #external} and never placed.
 *
 * <p>{@link #bufferBytes()} replays {@code ggml_gallocr_alloc_graph_impl} and {@code ggml_dyn_tallocr_alloc}/
 * {@code _free_bytes} of {@code ggml/src/ggml-alloc.c} (llama.cpp v0.4.0): leafs first, then graph inputs, then each
 * node in order, reusing a parent's memory in place where the op allows it ({@code ggml_op_can_inplace}: the parent
 * placed by this allocator, not a view, not an output, of the same layout, with this node its only consumer), freeing
 * a tensor after its last consumer, best fit among the free blocks except the last, which grows the buffer. The result is
 * the buffer's high-water mark: llama.cpp's compute buffer for one backend (CPU alignment 32 bytes,
 * {@code TENSOR_ALIGNMENT} in {@code ggml-backend.cpp}).
 *
 * <p>Not thread-safe; one instance per graph.
 */
final class GraphAllocator {

    /** ggml type ids ({@code enum ggml_type}); the allocator only compares them. */
    static final int F32 = 0;
    static final int F16 = 1;
    static final int I32 = 26;
    static final int I64 = 27;

    private static final int ALIGNMENT = 32;
    private static final int FLAG_INPUT = 1;
    private static final int FLAG_OUTPUT = 2;

    /** One tensor the allocator may place: shape, strides and the bookkeeping of {@code struct hash_node}. */
    static final class Tensor {
        final int type;
        final long elementBytes;
        final int blockSize;
        final long[] ne;
        final long[] nb;
        final boolean inPlace;
        final Tensor[] src;
        final Tensor viewSource;
        final long viewOffset;
        int flags;
        boolean external;
        boolean visited;
        int children;
        int views;
        boolean allocated;
        long offset;

        Tensor(int type, long elementBytes, int blockSize, long[] ne, long[] nb, boolean inPlace, Tensor[] src,
                Tensor viewSource, long viewOffset) {
            this.type = type;
            this.elementBytes = elementBytes;
            this.blockSize = blockSize;
            this.ne = ne;
            this.nb = nb;
            this.inPlace = inPlace;
            this.src = src;
            this.viewSource = viewSource;
            this.viewOffset = viewOffset;
        }

        boolean isView() {
            return viewSource != null;
        }

        /** {@code ggml_nbytes}. */
        long bytes() {
            for (long n : ne) {
                if (n <= 0) {
                    return 0;
                }
            }
            long bytes = blockSize == 1 ? elementBytes : Math.multiplyExact(ne[0], nb[0]) / blockSize;
            for (int i = blockSize == 1 ? 0 : 1; i < 4; i++) {
                bytes = Math.addExact(bytes, Math.multiplyExact(ne[i] - 1, nb[i]));
            }
            return bytes;
        }

        long elements() {
            return Math.multiplyExact(Math.multiplyExact(ne[0], ne[1]), Math.multiplyExact(ne[2], ne[3]));
        }

        boolean sameLayout(Tensor other) {
            if (type != other.type) {
                return false;
            }
            for (int i = 0; i < 4; i++) {
                if (ne[i] != other.ne[i] || nb[i] != other.nb[i]) {
                    return false;
                }
            }
            return true;
        }
    }

    private static final Tensor[] NO_SOURCES = new Tensor[0];

    private final List<Tensor> leafs = new ArrayList<>();
    private final List<Tensor> nodes = new ArrayList<>();

    /** A new contiguous tensor ({@code ggml_new_tensor}) of an unquantized type. */
    static Tensor contiguous(int type, long elementBytes, boolean inPlace, Tensor[] src, long... shape) {
        return quantized(type, elementBytes, 1, inPlace, src, shape);
    }

    static Tensor quantized(int type, long blockBytes, int blockSize, boolean inPlace, Tensor[] src, long... shape) {
        long[] ne = {1, 1, 1, 1};
        System.arraycopy(shape, 0, ne, 0, shape.length);
        long[] nb = new long[4];
        nb[0] = blockBytes;
        nb[1] = Math.multiplyExact(nb[0], ne[0] / blockSize);
        for (int i = 2; i < 4; i++) {
            nb[i] = Math.multiplyExact(nb[i - 1], ne[i - 1]);
        }
        return new Tensor(type, blockBytes, blockSize, ne, nb, inPlace, src, null, 0);
    }

    /** A view ({@code VIEW}, {@code RESHAPE}, {@code PERMUTE}, {@code TRANSPOSE}) of {@code of}, outside if it is. */
    static Tensor view(Tensor of, long[] ne, long[] nb, long offset) {
        Tensor source = of.isView() ? of.viewSource : of;
        long total = of.isView() ? of.viewOffset + offset : offset;
        Tensor view = new Tensor(of.type, of.elementBytes, of.blockSize, ne.clone(), nb.clone(), false,
                new Tensor[] {of}, source, total);
        view.external = of.external;
        return view;
    }

    /**
     * A weight of the given shape: outside like {@link #external} tensors, and never viewed, so it has a shape but no
     * strides ({@code nb} is null). The graph builder makes hundreds per layer pass, so they cost as little as can be.
     */
    static Tensor weight(long... shape) {
        long[] ne = {1, 1, 1, 1};
        System.arraycopy(shape, 0, ne, 0, shape.length);
        Tensor weight = new Tensor(F32, 4, 1, ne, null, false, NO_SOURCES, null, 0);
        weight.external = true;
        return weight;
    }

    /** A tensor in memory of its own (weights, caches): never placed by the allocator. */
    static Tensor external(Tensor t) {
        t.external = true;
        return t;
    }

    /** Marks a tensor an input the application fills ({@code ggml_set_input}). */
    static Tensor input(Tensor t) {
        t.flags |= FLAG_INPUT;
        return t;
    }

    /** Marks a tensor a graph output, never freed ({@code ggml_set_output}). */
    static Tensor output(Tensor t) {
        t.flags |= FLAG_OUTPUT;
        return t;
    }

    /** {@code ggml_build_forward_expand}: the tensor and its unvisited sources, depth first, sources in order. */
    void expand(Tensor t) {
        if (t == null || t.visited) {
            return;
        }
        t.visited = true;
        for (Tensor s : t.src) {
            expand(s);
        }
        if (t.src.length == 0) {
            // a leaf outside (a weight, a cache) is never placed: the allocator need not see it
            if (!t.external) {
                leafs.add(t);
            }
        } else {
            nodes.add(t);
        }
    }

    /** The compute buffer this graph needs, in bytes (see the class comment). */
    long bufferBytes() {
        return bufferBytes(null);
    }

    /**
     * The compute buffer this graph needs, in bytes, recording into {@code trace} (when not null) every comparison of
     * sizes or offsets the allocator makes and every size it places (see {@link Trace}).
     */
    long bufferBytes(Trace trace) {
        FreeList memory = new FreeList(trace);
        for (Tensor leaf : leafs) {
            allocate(memory, leaf);
        }
        for (Tensor node : nodes) {
            if (node.isView()) {
                node.viewSource.views++;
            }
            if ((node.flags & FLAG_INPUT) != 0) {
                allocate(memory, node);
            }
            for (Tensor s : node.src) {
                if (s != null) {
                    s.children++;
                    if ((s.flags & FLAG_INPUT) != 0) {
                        allocate(memory, s);
                    }
                }
            }
        }
        for (Tensor node : nodes) {
            for (Tensor s : node.src) {
                if (s != null) {
                    allocate(memory, s);
                }
            }
            allocate(memory, node);
            for (Tensor parent : node.src) {
                if (parent == null || --parent.children != 0 || parent.views != 0) {
                    continue;
                }
                if (parent.isView()) {
                    Tensor source = parent.viewSource;
                    if (--source.views == 0 && source.children == 0 && source.allocated) {
                        free(memory, source);
                    }
                } else if (parent.allocated) {
                    free(memory, parent);
                }
            }
        }
        return memory.highWater;
    }

    private static void allocate(FreeList memory, Tensor t) {
        if (t.external || t.allocated || t.isView()) {
            return;
        }
        t.allocated = true;
        Trace trace = memory.trace;
        if (trace != null) {
            long smallest = Long.MAX_VALUE;
            for (long n : t.ne) {
                smallest = Math.min(smallest, n);
            }
            trace.compare(smallest, 1);
            trace.size(t.bytes());
        }
        if (t.inPlace) {
            for (Tensor parent : t.src) {
                // only memory this allocator placed itself, not an output, same layout, and t its only consumer
                if (parent == null || !parent.allocated || (parent.flags & FLAG_OUTPUT) != 0
                        || !sameLayout(trace, t, parent) || parent.children != 1 || parent.views != 0) {
                    continue;
                }
                t.offset = parent.offset;
                parent.allocated = false;
                long parentBytes = pad(parent.bytes());
                long bytes = pad(t.bytes());
                if (compare(trace, parentBytes, bytes) > 0) {
                    memory.free(parent.offset + bytes, parentBytes - bytes);
                }
                return;
            }
        }
        t.offset = memory.allocate(t.bytes());
    }

    /** {@link Tensor#sameLayout}, each shape and stride compared through the trace. */
    private static boolean sameLayout(Trace trace, Tensor a, Tensor b) {
        if (trace == null) {
            return a.sameLayout(b);
        }
        if (a.type != b.type) {
            return false;
        }
        for (int i = 0; i < 4; i++) {
            if (trace.compare(a.ne[i], b.ne[i]) != 0 || trace.compare(a.nb[i], b.nb[i]) != 0) {
                return false;
            }
        }
        return true;
    }

    private static int compare(Trace trace, long a, long b) {
        return trace == null ? Long.compare(a, b) : trace.compare(a, b);
    }

    /**
     * What one replay decided: the sign of every comparison of sizes or offsets, and every size placed. Sizes are
     * affine in the cache's cells, so two replays whose signs agree made the same decision at every step, and so
     * does any replay between them: an affine difference with one sign at both ends keeps it in between (and one
     * that is 0 at both ends is 0 throughout). If every size also grows by a multiple of the 32-byte alignment per
     * step, padding keeps them affine, and the buffer, one of them plus an offset, is affine between the two.
     */
    static final class Trace {
        private byte[] signs = new byte[4096];
        private int signCount;
        private long[] sizes = new long[1024];
        private int sizeCount;

        int compare(long a, long b) {
            int sign = Long.compare(a, b);
            if (signCount == signs.length) {
                signs = java.util.Arrays.copyOf(signs, signCount * 2);
            }
            signs[signCount++] = (byte) sign;
            return sign;
        }

        void size(long bytes) {
            if (sizeCount == sizes.length) {
                sizes = java.util.Arrays.copyOf(sizes, sizeCount * 2);
            }
            sizes[sizeCount++] = bytes;
        }

        /**
         * Whether this replay and {@code other}, {@code steps} steps apart (steps != 0), made the same decisions and
         * every size grew by a whole multiple of the alignment per step.
         */
        boolean sameDecisions(Trace other, long steps) {
            if (signCount != other.signCount || sizeCount != other.sizeCount
                    || !java.util.Arrays.equals(signs, 0, signCount, other.signs, 0, signCount)) {
                return false;
            }
            for (int i = 0; i < sizeCount; i++) {
                long growth = other.sizes[i] - sizes[i];
                if (growth % steps != 0 || growth / steps % ALIGNMENT != 0) {
                    return false;
                }
            }
            return true;
        }
    }

    private static void free(FreeList memory, Tensor t) {
        if ((t.flags & FLAG_OUTPUT) != 0) {
            return;
        }
        memory.free(t.offset, t.bytes());
        t.allocated = false;
    }

    private static long pad(long bytes) {
        return Math.addExact(bytes, ALIGNMENT - 1) / ALIGNMENT * ALIGNMENT;
    }

    /** {@code struct ggml_dyn_tallocr} with one chunk (the CPU buffer type has no maximum size). */
    private static final class FreeList {
        private long[] start = new long[16];
        private long[] size = new long[16];
        private int count = 1;
        long highWater;
        final Trace trace;

        FreeList(Trace trace) {
            this.trace = trace;
            size[0] = Long.MAX_VALUE / 2;
        }

        private int compare(long a, long b) {
            return GraphAllocator.compare(trace, a, b);
        }

        long allocate(long bytes) {
            long need = pad(bytes);
            int best = -1;
            long bestSize = Long.MAX_VALUE;
            for (int i = 0; i < count - 1; i++) {
                if (compare(size[i], need) >= 0 && (best < 0 || compare(size[i], bestSize) <= 0)) {
                    best = i;
                    bestSize = size[i];
                }
            }
            if (best < 0) {
                best = count - 1;
                if (size[best] < need) {
                    throw new ArithmeticException("compute buffer: more than " + Long.MAX_VALUE / 2 + " bytes");
                }
            }
            long at = start[best];
            start[best] += need;
            size[best] -= need;
            if (best < count - 1 && compare(size[best], 0) == 0) {
                remove(best);
            }
            long end = Math.addExact(at, need);
            if (compare(end, highWater) > 0) {
                highWater = end;
            }
            return at;
        }

        void free(long at, long bytes) {
            long length = pad(bytes);
            for (int i = 0; i < count; i++) {
                if (compare(start[i] + size[i], at) == 0) {
                    size[i] += length;
                    if (i < count - 1 && compare(start[i] + size[i], start[i + 1]) == 0) {
                        size[i] += size[i + 1];
                        remove(i + 1);
                    }
                    return;
                }
                if (compare(at + length, start[i]) == 0) {
                    start[i] = at;
                    size[i] += length;
                    if (i > 0 && compare(start[i - 1] + size[i - 1], start[i]) == 0) {
                        size[i - 1] += size[i];
                        remove(i);
                    }
                    return;
                }
            }
            int position = 0;
            while (position < count && compare(start[position], at) < 0) {
                position++;
            }
            if (count == start.length) {
                start = java.util.Arrays.copyOf(start, count * 2);
                size = java.util.Arrays.copyOf(size, count * 2);
            }
            System.arraycopy(start, position, start, position + 1, count - position);
            System.arraycopy(size, position, size, position + 1, count - position);
            start[position] = at;
            size[position] = length;
            count++;
        }

        private void remove(int index) {
            System.arraycopy(start, index + 1, start, index, count - index - 1);
            System.arraycopy(size, index + 1, size, index, count - index - 1);
            count--;
        }
    }
}
