package io.github.llmestimator.planning;

import java.util.function.LongFunction;
import java.util.function.ToLongFunction;

/**
 * The search the solvers share: the largest point of an integer range whose headroom is not negative, where headroom
 * never grows with the point (memory never shrinks as the context, the sequences or the layers on a device grow).
 *
 * <p>Each round guesses the point where the straight line through the bracket's headrooms crosses zero (memory is
 * close to linear in cells and sequences, so the guess is usually exact), probes it and its neighbour on the open side,
 * and, if the bracket did not at least halve, bisects once. So a search takes {@code O(log n)} probes at worst and
 * about four when headroom is linear; it never steps through the range.
 */
final class Search {

    private Search() {
    }

    /** What a search found, with the probes at the answer and one step beyond it. */
    static final class Outcome<T> {
        /** The largest fitting point, or {@code low - 1} when none fits. */
        final long last;
        /** The probe at {@link #last}, or null when none fits. */
        final T atLast;
        /** The probe at {@code last + 1}, or null when {@code last} is the top of the range. */
        final T atNext;

        Outcome(long last, T atLast, T atNext) {
            this.last = last;
            this.atLast = atLast;
            this.atNext = atNext;
        }

        boolean found(long low) {
            return last >= low;
        }
    }

    /**
     * Returns the largest {@code x} in {@code [low, high]} with {@code headroom(probe(x)) >= 0}, for a headroom that
     * does not increase with {@code x}.
     */
    static <T> Outcome<T> lastFitting(long low, long high, LongFunction<T> probe, ToLongFunction<T> headroom) {
        T lowProbe = probe.apply(low);
        long lowHeadroom = headroom.applyAsLong(lowProbe);
        if (lowHeadroom < 0) {
            return new Outcome<>(low - 1, null, lowProbe);
        }
        if (high == low) {
            return new Outcome<>(low, lowProbe, null);
        }
        T highProbe = probe.apply(high);
        long highHeadroom = headroom.applyAsLong(highProbe);
        if (highHeadroom >= 0) {
            return new Outcome<>(high, highProbe, null);
        }
        Bracket<T> b = new Bracket<>(probe, headroom, low, lowProbe, lowHeadroom, high, highProbe, highHeadroom);
        while (b.hi - b.lo > 1) {
            long width = b.hi - b.lo;
            double crossing = (double) b.lowHeadroom / ((double) b.lowHeadroom - (double) b.highHeadroom);
            long guess = Math.max(b.lo + 1, Math.min(b.hi - 1, b.lo + (long) Math.floor(crossing * width)));
            boolean fits = b.probe(guess);
            if (b.hi - b.lo > 1) {
                // the guess is usually the answer or one past it: its neighbour settles that
                b.probe(fits ? b.lo + 1 : b.hi - 1);
            }
            if (b.hi - b.lo > 1 && b.hi - b.lo > width / 2) {
                b.probe(b.lo + (b.hi - b.lo) / 2);
            }
        }
        return new Outcome<>(b.lo, b.lowProbe, b.highProbe);
    }

    /** The bracket {@code [lo, hi]} with {@code headroom(lo) >= 0 > headroom(hi)}, and the probes at its ends. */
    private static final class Bracket<T> {
        private final LongFunction<T> probe;
        private final ToLongFunction<T> headroom;
        long lo;
        T lowProbe;
        long lowHeadroom;
        long hi;
        T highProbe;
        long highHeadroom;

        Bracket(LongFunction<T> probe, ToLongFunction<T> headroom, long lo, T lowProbe, long lowHeadroom, long hi,
                T highProbe, long highHeadroom) {
            this.probe = probe;
            this.headroom = headroom;
            this.lo = lo;
            this.lowProbe = lowProbe;
            this.lowHeadroom = lowHeadroom;
            this.hi = hi;
            this.highProbe = highProbe;
            this.highHeadroom = highHeadroom;
        }

        /** Probes {@code x} inside the bracket and moves the end it replaces; returns whether {@code x} fits. */
        boolean probe(long x) {
            T p = probe.apply(x);
            long h = headroom.applyAsLong(p);
            if (h >= 0) {
                lo = x;
                lowProbe = p;
                lowHeadroom = h;
                return true;
            }
            hi = x;
            highProbe = p;
            highHeadroom = h;
            return false;
        }
    }
}
