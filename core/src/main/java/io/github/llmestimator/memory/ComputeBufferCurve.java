package io.github.llmestimator.memory;

import io.github.llmestimator.model.ModelSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The compute buffer of one graph shape (micro-batch, sequences, streams, sliding-window cells) across sizes of the
 * full cache, from as few replays of llama.cpp's graph as it takes. Every tensor's size is affine in the cells, so
 * when two replays made the same allocator decisions ({@link GraphAllocator.Trace#sameDecisions}), every size between
 * them does too and both graphs' buffers are affine there: a size between two such replays is their interpolation,
 * exact to the byte, and a context search pays a replay only for the first sizes it probes on each stretch.
 *
 * <p>Thread-safe: a size already known is read without a lock from an immutable snapshot; a replay happens under the
 * curve's lock and publishes a new snapshot.
 */
final class ComputeBufferCurve {

    /** llama.cpp pads the cache to 256 cells, so cache sizes of one shape differ by whole steps of it. */
    private static final long STEP = 256;
    /** Replays kept with their traces (large: one entry per allocator decision) to join later replays to. */
    private static final int MAX_TRACED = 4;
    private static final int MAX_STRETCHES = 64;
    /**
     * Buffers of past replays kept without their traces (two longs each): a graph whose decisions change with the
     * cells (a hybrid's) joins no stretch, and a caller going back to a size it asked before must not replay again.
     */
    private static final int MAX_RESULTS = 1024;

    /** One replay: its cache size, both graphs' buffers and their decisions. */
    private record Replay(long cells, long prompt, long generation, GraphAllocator.Trace promptTrace,
            GraphAllocator.Trace generationTrace) {
    }

    /** Cache sizes from {@code low} to {@code high} cells (same remainder by the step) where both graphs are affine. */
    private record Stretch(long low, long high, long prompt, long promptPerStep, long generation,
            long generationPerStep) {

        boolean covers(long cells) {
            return cells >= low && cells <= high && (cells - low) % STEP == 0;
        }

        long bytes(long cells) {
            long steps = (cells - low) / STEP;
            return Math.max(prompt + promptPerStep * steps, generation + generationPerStep * steps);
        }
    }

    /** What a lookup reads: the stretches, then the buffers of past replays by their cells (ascending). */
    private record Known(Stretch[] stretches, long[] resultCells, long[] resultBytes) {
    }

    private final int microBatchTokens;
    private final int sequences;
    private final long streams;
    private final long slidingCells;
    private final List<Replay> replays = new ArrayList<>();
    private final List<Stretch> stretches = new ArrayList<>();
    private final SortedMap<Long, Long> results = new TreeMap<>();
    private volatile Known known = new Known(new Stretch[0], new long[0], new long[0]);
    /** Whether the far end was replayed once: where it joins nothing (a hybrid's graph), it is not tried again. */
    private boolean farReplayed;

    ComputeBufferCurve(KvLayout.GraphShape shape) {
        this.microBatchTokens = shape.microBatchTokens();
        this.sequences = shape.sequences();
        this.streams = shape.streams();
        this.slidingCells = shape.slidingCells();
    }

    /** Whether this curve is the one of the given graph shape. */
    boolean hasShape(int microBatchTokens, int sequences, long streams, long slidingCells) {
        return this.microBatchTokens == microBatchTokens && this.sequences == sequences && this.streams == streams
                && this.slidingCells == slidingCells;
    }

    /**
     * Returns llama.cpp's compute buffer for the model under these settings, whose shape is this curve's.
     *
     * @param model the model, one {@link ComputeGraph#supports} accepts
     * @param settings the settings
     * @param layout the layout asking, whose {@link KvLayout#farEnd} names a second size to replay on a first miss
     * @return bytes
     */
    long bytes(ModelSpec model, ContextSettings settings, KvLayout layout) {
        long cells = settings.cellsPerStream();
        long bytes = lookUp(known, cells);
        return bytes >= 0 ? bytes : replayed(model, settings, layout, cells);
    }

    /** The buffer at {@code cells} from what is known, or -1 if that takes a replay. */
    private static long lookUp(Known known, long cells) {
        for (Stretch stretch : known.stretches) {
            if (stretch.covers(cells)) {
                return stretch.bytes(cells);
            }
        }
        int at = Arrays.binarySearch(known.resultCells, cells);
        return at >= 0 ? known.resultBytes[at] : -1;
    }

    private synchronized long replayed(ModelSpec model, ContextSettings settings, KvLayout layout, long cells) {
        // another thread may have replayed it meanwhile
        long bytes = lookUp(known, cells);
        if (bytes >= 0) {
            return bytes;
        }
        Replay replay = replay(model, settings);
        // one more replay at the far end usually makes every size between the two an interpolation
        ContextSettings far = farReplayed ? null : layout.farEnd(settings);
        if (far != null && far.cellsPerStream() != cells
                && stretches.stream().noneMatch(stretch -> stretch.covers(cells))) {
            farReplayed = true;
            replay(model, far);
        }
        known = new Known(stretches.toArray(new Stretch[0]), results.keySet().stream().mapToLong(Long::longValue)
                .toArray(), results.values().stream().mapToLong(Long::longValue).toArray());
        return Math.max(replay.prompt, replay.generation);
    }

    private Replay replay(ModelSpec model, ContextSettings settings) {
        GraphAllocator.Trace promptTrace = new GraphAllocator.Trace();
        GraphAllocator.Trace generationTrace = new GraphAllocator.Trace();
        long[] both = ComputeGraph.replay(model, settings, promptTrace, generationTrace);
        Replay replay = new Replay(settings.cellsPerStream(), both[0], both[1], promptTrace, generationTrace);
        if (results.size() == MAX_RESULTS) {
            results.clear();
        }
        results.put(replay.cells, Math.max(replay.prompt, replay.generation));
        for (Replay other : replays) {
            join(other, replay);
        }
        if (replays.size() == MAX_TRACED) {
            replays.remove(0);
        }
        replays.add(replay);
        return replay;
    }

    private void join(Replay a, Replay b) {
        Replay low = a.cells < b.cells ? a : b;
        Replay high = low == a ? b : a;
        long distance = high.cells - low.cells;
        if (distance == 0 || distance % STEP != 0) {
            return;
        }
        long steps = distance / STEP;
        if (!low.promptTrace.sameDecisions(high.promptTrace, steps)
                || !low.generationTrace.sameDecisions(high.generationTrace, steps)
                || (high.prompt - low.prompt) % steps != 0 || (high.generation - low.generation) % steps != 0) {
            return;
        }
        if (stretches.size() == MAX_STRETCHES) {
            stretches.remove(0);
        }
        stretches.add(new Stretch(low.cells, high.cells, low.prompt, (high.prompt - low.prompt) / steps,
                low.generation, (high.generation - low.generation) / steps));
    }
}
