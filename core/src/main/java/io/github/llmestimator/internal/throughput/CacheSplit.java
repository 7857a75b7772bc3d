package io.github.llmestimator.internal.throughput;

import io.github.llmestimator.memory.ContextSettings;
import io.github.llmestimator.internal.memory.KvLayout;
import io.github.llmestimator.model.MixerBlock;
import io.github.llmestimator.model.Layer;
import io.github.llmestimator.model.ModelSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The caches of placed weights under one cache setting (K and V cache types, flash attention): what each device holds
 * per cache cell and per sequence, and the attention and recurrent kernels of the {@link StepModel}. Built in one pass
 * over the layers, once per placement and cache setting ({@link PlacedWeights} keeps the last one, as an estimator
 * keeps its {@link KvLayout}), so that every estimate on the deployment, at any context and sequence count, is a few
 * multiplications per pool.
 *
 * <p>Every layer's bytes per cell come from {@link KvLayout#bytesPerCell(int)}, the rule the device-independent
 * total sums. A device holds {@code ceil(cells * bytesPerCell * share)} of a layer's cache (whole for a share of 1,
 * rounded up for a shard); layers alike in device, window, bytes per cell and share are pooled with a count, which
 * sums to the same bytes as the layers one by one.
 *
 * <p>This class is immutable and thread-safe.
 */
public final class CacheSplit {

    private static final int FULL = Integer.MAX_VALUE;

    private final KvLayout layout;
    /** KV pools, ordered by device: layers of one window (0: the full context) alike in bytes per cell and share. */
    private final int[] kvDevice;
    private final int[] kvWindow;
    private final long[] kvBytesPerCell;
    private final double[] kvShare;
    private final long[] kvLayers;
    private final int[] kvFrom;
    /** Recurrent-state pools, ordered by device: layers alike in state elements and share. */
    private final int[] stateDevice;
    private final long[] stateElements;
    private final double[] stateShare;
    private final long[] stateLayers;
    private final int[] stateFrom;
    /**
     * Whether each device holds the same pools as the device before it (every device of a tensor-parallel group, the
     * middle devices of an even layer split), so that an estimate works their bytes out once.
     */
    private final boolean[] sameAsPrevious;
    private final StepModel steps;

    CacheSplit(PlacedWeights placed, KvLayout layout) {
        this.layout = layout;
        ModelSpec model = placed.weights().model();
        List<Layer> layers = model.layers();
        List<Layer> cached = KvLayout.cachedLayers(model);
        int deviceCount = placed.deviceCount;

        int[] distinct = new int[layers.size()];
        int windowCount = 0;
        for (Layer layer : layers) {
            MixerBlock a = layer.mixer();
            if (a.hasKvCache()) {
                int w = a.slidingWindowTokens() > 0 ? a.slidingWindowTokens() : FULL;
                if (indexOf(distinct, windowCount, w) < 0) {
                    distinct[windowCount++] = w;
                }
            }
        }
        int[] windows = Arrays.copyOf(distinct, windowCount);
        List<double[]> attention = new ArrayList<>();
        List<double[]> recurrent = new ArrayList<>();
        List<long[]> kv = new ArrayList<>();
        List<double[]> kvShares = new ArrayList<>();
        List<long[]> state = new ArrayList<>();
        List<double[]> stateShares = new ArrayList<>();

        int last = layers.size() - 1;
        for (int l = 0; l < cached.size(); l++) {
            MixerBlock a = cached.get(l).mixer();
            // MTP layers that llama.cpp caches hold memory only (decoding does not run them), with the last trunk layer
            boolean trunk = l < layers.size();
            int placedLayer = trunk ? l : last;
            long stateElementCount = a.convolutionStateElements() + a.recurrentStateElements();
            if (trunk && stateElementCount > 0) {
                for (int d = 0; d < deviceCount; d++) {
                    double cacheShare = placed.cacheShare[d][l];
                    count(state, stateShares, d, stateElementCount, 0, cacheShare);
                    pool(recurrent, d, 0, 4.0 * stateElementCount * cacheShare,
                            4.0 * a.recurrentStateElements() * placed.layerShare[d][l]);
                }
            }
            if (!a.hasKvCache()) {
                continue;
            }
            long bytesPerCell = layout.bytesPerCell(l);
            int window = a.slidingWindowTokens();
            for (int d = 0; d < deviceCount; d++) {
                count(kv, kvShares, d, bytesPerCell, Math.max(window, 0), placed.cacheShare[d][placedLayer]);
            }
            if (!trunk) {
                continue;
            }
            int kvHeads = a.keyValueHeads();
            double keyWidth = (double) a.keyCacheElementsPerToken() / kvHeads;
            double valueWidth = a.valueCacheElementsPerToken() > 0 ? (double) a.valueCacheElementsPerToken() / kvHeads
                    : keyWidth;
            double flopsPerCell = 2.0 * a.queryHeads() * (keyWidth + valueWidth);
            int g = indexOf(windows, windowCount, window > 0 ? window : FULL);
            for (int d = 0; d < deviceCount; d++) {
                pool(attention, d, g, bytesPerCell * placed.cacheShare[d][l], flopsPerCell * placed.layerShare[d][l]);
            }
        }
        kv.sort((x, y) -> Long.compare(x[0], y[0]));
        state.sort((x, y) -> Long.compare(x[0], y[0]));
        kvDevice = new int[kv.size()];
        kvWindow = new int[kv.size()];
        kvBytesPerCell = new long[kv.size()];
        kvShare = new double[kv.size()];
        kvLayers = new long[kv.size()];
        for (int i = 0; i < kv.size(); i++) {
            long[] p = kv.get(i);
            kvDevice[i] = (int) p[0];
            kvBytesPerCell[i] = p[1];
            kvWindow[i] = (int) p[2];
            kvShare[i] = kvShares.get((int) p[4])[0];
            kvLayers[i] = p[3];
        }
        stateDevice = new int[state.size()];
        stateElements = new long[state.size()];
        stateShare = new double[state.size()];
        stateLayers = new long[state.size()];
        for (int i = 0; i < state.size(); i++) {
            long[] p = state.get(i);
            stateDevice[i] = (int) p[0];
            stateElements[i] = p[1];
            stateShare[i] = stateShares.get((int) p[4])[0];
            stateLayers[i] = p[3];
        }
        kvFrom = starts(kvDevice, deviceCount);
        stateFrom = starts(stateDevice, deviceCount);
        sameAsPrevious = new boolean[deviceCount];
        for (int d = 1; d < deviceCount; d++) {
            sameAsPrevious[d] = samePools(d, kvFrom, kvWindow, kvBytesPerCell, kvShare, kvLayers)
                    && samePools(d, stateFrom, null, stateElements, stateShare, stateLayers);
        }

        attention.sort((x, y) -> Double.compare(x[0], y[0]));
        recurrent.sort((x, y) -> Double.compare(x[0], y[0]));
        int[] attentionDevice = new int[attention.size()];
        int[] attentionWindow = new int[attention.size()];
        double[] attentionBytesPerCell = new double[attention.size()];
        double[] attentionFlopsPerCell = new double[attention.size()];
        for (int i = 0; i < attention.size(); i++) {
            double[] k = attention.get(i);
            attentionDevice[i] = (int) k[0];
            attentionWindow[i] = (int) k[1];
            attentionBytesPerCell[i] = k[2] * k[4];
            attentionFlopsPerCell[i] = k[3] * k[4];
        }
        int[] recurrentDevice = new int[recurrent.size()];
        double[] recurrentBytesPerSequence = new double[recurrent.size()];
        double[] recurrentFlopsPerToken = new double[recurrent.size()];
        for (int i = 0; i < recurrent.size(); i++) {
            double[] k = recurrent.get(i);
            recurrentDevice[i] = (int) k[0];
            recurrentBytesPerSequence[i] = k[2] * k[4];
            recurrentFlopsPerToken[i] = k[3] * k[4];
        }
        steps = new StepModel(placed, windows, attentionDevice, attentionWindow, attentionBytesPerCell,
                attentionFlopsPerCell, recurrentDevice, recurrentBytesPerSequence, recurrentFlopsPerToken);
    }

    /** Returns whether this split serves the settings: the cache types and flash-attention mode it was built for. */
    boolean matches(ContextSettings settings) {
        return layout.matches(settings);
    }

    /**
     * Returns the step model of the placement under this cache setting.
     *
     * @return the step model
     */
    public StepModel steps() {
        return steps;
    }

    /**
     * Returns one device's KV cache under the settings: per pool, its layers times the device's share of one layer's
     * {@code cells * bytesPerCell}, where a full-context layer has {@code fullCells} cells (the settings'
     * {@link ContextSettings#paddedContextTokens()}) and a sliding-window layer
     * {@link ContextSettings#slidingWindowCells(int)}.
     *
     * @param device the device's index in the deployment
     * @param settings settings of this split's cache types and flash-attention mode
     * @param fullCells cells of a full-context layer
     * @return bytes
     * @throws ArithmeticException if the bytes overflow a {@code long}
     */
    public long kvBytes(int device, ContextSettings settings, long fullCells) {
        long bytes = 0;
        for (int i = kvFrom[device]; i < kvFrom[device + 1]; i++) {
            long cells = kvWindow[i] > 0 ? settings.slidingWindowCells(kvWindow[i]) : fullCells;
            long layerBytes = PlacedWeights.shareOf(Math.multiplyExact(cells, kvBytesPerCell[i]), kvShare[i]);
            bytes = Math.addExact(bytes, Math.multiplyExact(kvLayers[i], layerBytes));
        }
        return bytes;
    }

    /**
     * Returns one device's recurrent state for the sequences: 4 bytes (F32) per element.
     *
     * @param device the device's index in the deployment
     * @param sequences sequences that hold a state
     * @return bytes
     * @throws ArithmeticException if the bytes overflow a {@code long}
     */
    public long stateBytes(int device, int sequences) {
        long bytes = 0;
        for (int i = stateFrom[device]; i < stateFrom[device + 1]; i++) {
            long layerBytes = PlacedWeights.shareOf(Math.multiplyExact(4L * stateElements[i], sequences),
                    stateShare[i]);
            bytes = Math.addExact(bytes, Math.multiplyExact(stateLayers[i], layerBytes));
        }
        return bytes;
    }

    /** Whether device {@code d}'s pools equal device {@code d - 1}'s, entry for entry. */
    private static boolean samePools(int d, int[] from, int[] window, long[] perUnit, double[] share, long[] layers) {
        int count = from[d + 1] - from[d];
        if (count != from[d] - from[d - 1]) {
            return false;
        }
        for (int i = 0; i < count; i++) {
            int a = from[d - 1] + i;
            int b = from[d] + i;
            if (window != null && window[a] != window[b] || perUnit[a] != perUnit[b] || share[a] != share[b]
                    || layers[a] != layers[b]) {
                return false;
            }
        }
        return true;
    }

    /**
     * Returns whether a device holds the same cache pools as the device before it, so that its
     * {@link #kvBytes} and {@link #stateBytes} are that device's.
     *
     * @param device the device's index in the deployment
     * @return true when the pools are the same
     */
    public boolean sameAsPrevious(int device) {
        return sameAsPrevious[device];
    }

    /** Returns where each device's pools start in pools ordered by device, and where the last one's end. */
    private static int[] starts(int[] poolDevice, int devices) {
        int[] from = new int[devices + 1];
        for (int device : poolDevice) {
            from[device + 1]++;
        }
        for (int d = 0; d < devices; d++) {
            from[d + 1] += from[d];
        }
        return from;
    }

    /**
     * Counts one layer into a list of pools {@code {device, perLayer, window, layers, shareIndex}}, with the share kept
     * beside it in {@code shares}; a layer of share 0 holds nothing and is left out.
     */
    private static void count(List<long[]> pools, List<double[]> shares, int device, long perLayer, int window,
            double share) {
        if (share <= 0 || perLayer == 0) {
            return;
        }
        for (long[] p : pools) {
            if (p[0] == device && p[1] == perLayer && p[2] == window && shares.get((int) p[4])[0] == share) {
                p[3]++;
                return;
            }
        }
        shares.add(new double[] {share});
        pools.add(new long[] {device, perLayer, window, 1, shares.size() - 1});
    }

    /**
     * Pools one layer's kernel into a list of {@code {device, window, bytes, flops, layers}}: a layer with the same
     * device, window and costs as an earlier one joins it, so that a pooled kernel's roofline time is the sum of its
     * layers'.
     */
    private static void pool(List<double[]> kernels, int device, int window, double bytes, double flops) {
        if (bytes <= 0 && flops <= 0) {
            return;
        }
        for (double[] k : kernels) {
            if (k[0] == device && k[1] == window && k[2] == bytes && k[3] == flops) {
                k[4]++;
                return;
            }
        }
        kernels.add(new double[] {device, window, bytes, flops, 1});
    }

    private static int indexOf(int[] values, int count, int value) {
        for (int i = 0; i < count; i++) {
            if (values[i] == value) {
                return i;
            }
        }
        return -1;
    }
}
