package io.github.llmestimator.internal.memory;

import io.github.llmestimator.memory.ContextSettings;
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
 * exact to the byte, and a context search pays a replay only for the first sizes it probes on each stretch. A sweep
 * (a size next to a known one) looks ahead for the size where the decisions change, by doubling and halving, so that
 * it pays a few replays per change rather than one per size.
 *
 * <p>Thread-safe: a size already known is read without a lock from a snapshot whose sizes never change (only its
 * hint of where to look first does); a replay happens under the curve's lock and publishes a new snapshot.
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
    private static final class Known {
        /** The stretches sorted by their low end, and those low ends beside them for the search. */
        private final Stretch[] stretches;
        private final long[] lows;
        /** The highest {@code high} of the stretches up to each one: where a search backwards can stop. */
        private final long[] reachUpTo;
        private final long[] resultCells;
        private final long[] resultBytes;
        /**
         * The stretch that answered last, asked first: a slider's next size is usually in it. Not volatile: a thread
         * that reads a stale index checks that stretch like any other and searches on a miss.
         */
        private int lastHit;

        Known(List<Stretch> stretchList, SortedMap<Long, Long> results) {
            stretches = stretchList.toArray(new Stretch[0]);
            Arrays.sort(stretches, (a, b) -> Long.compare(a.low, b.low));
            lows = new long[stretches.length];
            reachUpTo = new long[stretches.length];
            long reach = Long.MIN_VALUE;
            for (int i = 0; i < stretches.length; i++) {
                lows[i] = stretches[i].low;
                reach = Math.max(reach, stretches[i].high);
                reachUpTo[i] = reach;
            }
            resultCells = results.keySet().stream().mapToLong(Long::longValue).toArray();
            resultBytes = results.values().stream().mapToLong(Long::longValue).toArray();
        }

        /**
         * The buffer at {@code cells} from a past replay or a stretch, or -1 if that takes a replay: the stretch that
         * answered last, then a binary search of each, since a curve holds dozens of stretches.
         */
        long bytes(long cells) {
            int hint = lastHit;
            if (hint < stretches.length && stretches[hint].covers(cells)) {
                return stretches[hint].bytes(cells);
            }
            int at = Arrays.binarySearch(resultCells, cells);
            if (at >= 0) {
                return resultBytes[at];
            }
            int after = Arrays.binarySearch(lows, cells);
            // the last stretch starting at or below cells, then back while an earlier one may still reach that far
            for (int i = after >= 0 ? after : -after - 2; i >= 0 && reachUpTo[i] >= cells; i--) {
                if (stretches[i].covers(cells)) {
                    lastHit = i;
                    return stretches[i].bytes(cells);
                }
            }
            return -1;
        }
    }

    private final int microBatchTokens;
    private final int sequences;
    private final long streams;
    private final long slidingCells;
    private final List<Replay> replays = new ArrayList<>();
    private final List<Stretch> stretches = new ArrayList<>();
    private final SortedMap<Long, Long> results = new TreeMap<>();
    private volatile Known known = new Known(List.of(), new TreeMap<>());
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
     * @param cells the settings' cells per stream of the full cache, which the caller has worked out already
     * @param layout the layout asking, whose {@link KvLayout#farEnd} names a second size to replay on a first miss
     * @return bytes
     */
    long bytes(ModelSpec model, ContextSettings settings, long cells, KvLayout layout) {
        long bytes = known.bytes(cells);
        return bytes >= 0 ? bytes : replayed(model, settings, layout, cells);
    }


    private synchronized long replayed(ModelSpec model, ContextSettings settings, KvLayout layout, long cells) {
        // another thread may have replayed it meanwhile
        long bytes = known.bytes(cells);
        if (bytes >= 0) {
            return bytes;
        }
        Replay replay = replay(model, settings);
        // one more replay at the far end usually makes every size between the two an interpolation
        ContextSettings far = farReplayed ? null : layout.farEnd(settings);
        if (far != null && far.cellsPerStream() != cells && !covered(cells)) {
            farReplayed = true;
            replay(model, far);
        }
        // a sweep (the next size down or up already known): where the decisions change between here and the far end,
        // find how far this replay's reach, so that the sweep replays once per change instead of once per size
        if (!isKnown(cells + STEP) && isKnown(cells - STEP)) {
            reach(model, settings, layout, replay, 1);
        } else if (!isKnown(cells - STEP) && isKnown(cells + STEP)) {
            reach(model, settings, layout, replay, -1);
        }
        known = new Known(stretches, results);
        return Math.max(replay.prompt, replay.generation);
    }

    /** Whether a stretch interpolates {@code cells}. */
    private boolean covered(long cells) {
        for (Stretch stretch : stretches) {
            if (stretch.covers(cells)) {
                return true;
            }
        }
        return false;
    }

    /** Whether {@code cells} is interpolated or was replayed (every replay's buffer is in {@link #results}). */
    private boolean isKnown(long cells) {
        return covered(cells) || results.containsKey(cells);
    }

    /**
     * Extends {@code from}'s decisions as far as they hold in {@code direction}: replays at 1, 2, 4, ... steps away
     * until one decides otherwise (or the nearest replay beyond, which does), then halves the gap between the last
     * size that agreed and the first that did not. A stretch of {@code n} steps costs about {@code 2 log2 n} replays;
     * a change at the very next step costs one, which the sweep then finds remembered.
     */
    private void reach(ModelSpec model, ContextSettings settings, KvLayout layout, Replay from, int direction) {
        Replay limit = null;
        for (Replay replay : replays) {
            long ahead = (replay.cells - from.cells) * direction;
            if (ahead > 0 && (limit == null || ahead < (limit.cells - from.cells) * direction)) {
                limit = replay;
            }
        }
        // no further than the trained context: beyond it nothing is asked often enough to pay for the replays
        long trainedCells = settings.withContextTokens(model.maxContextTokens()).cellsPerStream();
        Replay agreed = from;
        Replay differs = null;
        for (long span = 1; differs == null; span *= 2) {
            long cells = from.cells + direction * span * STEP;
            if (limit != null && (cells - limit.cells) * direction >= 0) {
                differs = limit;
                break;
            }
            ContextSettings probe = cells > trainedCells ? null : layout.sameShapeAt(settings, cells);
            if (probe == null) {
                break;
            }
            Replay replay = run(model, probe);
            if (stretch(from, replay) != null) {
                agreed = replay;
            } else {
                differs = replay;
            }
        }
        while (differs != null && Math.abs(differs.cells - agreed.cells) > STEP) {
            long middle = agreed.cells + (differs.cells - agreed.cells) / STEP / 2 * STEP;
            Replay replay = run(model, layout.sameShapeAt(settings, middle));
            if (stretch(from, replay) != null) {
                agreed = replay;
            } else {
                differs = replay;
            }
        }
        Stretch reached = stretch(from, agreed);
        if (reached != null) {
            add(reached);
        }
        if (differs != null && differs != limit) {
            keep(differs);
        }
    }

    private Replay replay(ModelSpec model, ContextSettings settings) {
        Replay replay = run(model, settings);
        for (Replay other : replays) {
            Stretch stretch = stretch(other, replay);
            if (stretch != null) {
                add(stretch);
            }
        }
        keep(replay);
        return replay;
    }

    private Replay run(ModelSpec model, ContextSettings settings) {
        GraphAllocator.Trace promptTrace = new GraphAllocator.Trace();
        GraphAllocator.Trace generationTrace = new GraphAllocator.Trace();
        long[] both = ComputeGraph.replay(model, settings, promptTrace, generationTrace);
        Replay replay = new Replay(settings.cellsPerStream(), both[0], both[1], promptTrace, generationTrace);
        if (results.size() == MAX_RESULTS) {
            results.clear();
        }
        results.put(replay.cells, Math.max(replay.prompt, replay.generation));
        return replay;
    }

    private void keep(Replay replay) {
        if (replays.size() == MAX_TRACED) {
            replays.remove(0);
        }
        replays.add(replay);
    }

    private void add(Stretch stretch) {
        if (stretches.size() == MAX_STRETCHES) {
            stretches.remove(0);
        }
        stretches.add(stretch);
    }

    /** The stretch between two replays if they made the same decisions, else null. */
    private static Stretch stretch(Replay a, Replay b) {
        Replay low = a.cells < b.cells ? a : b;
        Replay high = low == a ? b : a;
        long distance = high.cells - low.cells;
        if (distance == 0 || distance % STEP != 0) {
            return null;
        }
        long steps = distance / STEP;
        if (!low.promptTrace.sameDecisions(high.promptTrace, steps)
                || !low.generationTrace.sameDecisions(high.generationTrace, steps)
                || (high.prompt - low.prompt) % steps != 0 || (high.generation - low.generation) % steps != 0) {
            return null;
        }
        return new Stretch(low.cells, high.cells, low.prompt, (high.prompt - low.prompt) / steps,
                low.generation, (high.generation - low.generation) / steps);
    }
}
