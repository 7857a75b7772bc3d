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
        // invariant: headroom(lo) >= 0 > headroom(hi)
        long lo = low;
        long hi = high;
        while (hi - lo > 1) {
            long width = hi - lo;
            double crossing = (double) lowHeadroom / ((double) lowHeadroom - (double) highHeadroom);
            long x = Math.max(lo + 1, Math.min(hi - 1, lo + (long) Math.floor(crossing * width)));
            T p = probe.apply(x);
            long h = headroom.applyAsLong(p);
            if (h >= 0) {
                lo = x;
                lowProbe = p;
                lowHeadroom = h;
                x = lo + 1;
            } else {
                hi = x;
                highProbe = p;
                highHeadroom = h;
                x = hi - 1;
            }
            if (hi - lo > 1) {
                // the guess is usually the answer or one past it: its neighbour settles that
                p = probe.apply(x);
                h = headroom.applyAsLong(p);
                if (h >= 0) {
                    lo = x;
                    lowProbe = p;
                    lowHeadroom = h;
                } else {
                    hi = x;
                    highProbe = p;
                    highHeadroom = h;
                }
            }
            if (hi - lo > 1 && hi - lo > width / 2) {
                x = lo + (hi - lo) / 2;
                p = probe.apply(x);
                h = headroom.applyAsLong(p);
                if (h >= 0) {
                    lo = x;
                    lowProbe = p;
                    lowHeadroom = h;
                } else {
                    hi = x;
                    highProbe = p;
                    highHeadroom = h;
                }
            }
        }
        return new Outcome<>(lo, lowProbe, highProbe);
    }
}
