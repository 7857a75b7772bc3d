package io.github.llmestimator;

import io.github.llmestimator.gguf.GgufModel;
import io.github.llmestimator.hardware.Deployment;
import io.github.llmestimator.hardware.Device;
import io.github.llmestimator.hardware.DeviceKind;
import io.github.llmestimator.hardware.DeviceUsage;
import io.github.llmestimator.hardware.TensorParallel;
import io.github.llmestimator.memory.ContextMemory;
import io.github.llmestimator.memory.ContextSettings;
import io.github.llmestimator.memory.DataSize;
import io.github.llmestimator.memory.KvCacheType;
import io.github.llmestimator.internal.memory.KvLayout;
import io.github.llmestimator.internal.throughput.DeploymentEstimates;
import io.github.llmestimator.internal.throughput.PlacedWeights;
import io.github.llmestimator.model.ModelSpec;
import io.github.llmestimator.model.ModelSpecSource;
import io.github.llmestimator.quant.LoraAdapter;
import io.github.llmestimator.quant.QuantScheme;
import io.github.llmestimator.quant.QuantizedWeights;
import io.github.llmestimator.runtime.Ollama;
import io.github.llmestimator.runtime.PagedPool;
import io.github.llmestimator.runtime.Runtime;
import io.github.llmestimator.runtime.SgLang;
import io.github.llmestimator.runtime.Vllm;
import io.github.llmestimator.throughput.DeploymentEstimate;
import io.github.llmestimator.throughput.Speculation;
import io.github.llmestimator.vision.ImageTokens;
import io.github.llmestimator.vision.Projector;
import io.github.llmestimator.vision.VisionMemory;
import io.github.llmestimator.vision.VisionTower;
import java.lang.ref.SoftReference;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The fluent entry point: {@code Estimator.of(model).quant(Q4_K_M).context(8192).estimate()}.
 *
 * <p>Each setting returns a new estimator and checks its own argument ({@link IllegalArgumentException});
 * {@link #estimate()} checks that a scheme was chosen and that the settings work together
 * ({@link IllegalStateException}). Because an estimator is an immutable value, a prepared base can be reused across a
 * sweep and across threads:
 * <pre>{@code
 * Estimator base = Estimator.of(model).quant(QuantScheme.Q4_K_M);
 * for (int context : contexts) {
 *     Estimate e = base.context(context).estimate();
 * }
 * }</pre>
 * Choosing the scheme assigns every tensor its type once ({@link QuantScheme#assign}), and choosing a deployment
 * ({@link #on(Deployment)}) places every tensor once; {@link #estimate()} then costs one pass over the layers, and the
 * speeds of the estimate are arithmetic only:
 * <pre>{@code
 * Estimate e = Estimator.of(model).quant(QuantScheme.Q4_K_M).context(8192).on(rtx4090).estimate();
 * e.fits();                           // does each device hold its share?
 * e.decode(4096).tokensPerSecond();   // decode speed half-way through the context
 * e.prefill(2048);                    // prompt processing, when the devices state their throughput
 * }</pre>
 *
 * <p>Defaults are llama.cpp's (see {@link ContextSettings}): the model's trained context (llama.cpp's
 * {@code n_ctx = 0}), one sequence, f16 K and V caches, batch 2048, micro-batch 512, flash attention on, no full
 * sliding-window cache, no importance matrix unless the scheme requires one, and a runtime allowance of
 * {@value #DEFAULT_RUNTIME_OVERHEAD_BYTES} bytes (1 GiB).
 *
 * <p>This class is immutable and thread-safe.
 */
public final class Estimator {

    /**
     * The default runtime allowance in bytes, 1 GiB: llama.cpp's {@code --fit} keeps this much free per device
     * ({@code --fit-target}, default 1024 MiB, {@code common/fit.cpp}) for the runtime and driver.
     */
    public static final long DEFAULT_RUNTIME_OVERHEAD_BYTES = 1L << 30;

    /**
     * The most a draft model's vocabulary may differ from the model's in size: llama.cpp's
     * {@code SPEC_VOCAB_MAX_SIZE_DIFFERENCE} ({@code common/speculative.cpp}), which lets Qwen2.5's 151,936-token
     * small models draft for its 152,064-token large ones.
     */
    public static final int MAX_DRAFT_VOCABULARY_DIFFERENCE = 128;

    /**
     * What a context, cache, runtime or overhead change keeps, held in one object so that such a change (a slider
     * moving over contexts) copies a handful of references, not every field.
     */
    private final Setup setup;
    private final ContextSettings settings;
    private final long runtimeOverheadBytes;
    /**
     * The weights placed on the deployment, looked up on first use (see {@link Prepared}); null until then. Not
     * volatile: every estimator derived by a context change copies it in its constructor, where a volatile write would
     * cost a memory fence per estimate; placed weights are immutable (final fields), so a thread that sees the
     * reference sees them whole, and one that sees null looks them up again in the placements of its model.
     */
    private PlacedWeights placed;
    private final KvLayout layout;
    /** The drafter's own estimator, prepared once per scheme and deployment; null without speculation. */
    private final Estimator drafter;
    /** The runtime {@link #runtimePool(int)} accounts for: llama.cpp unless {@link #runtime(Runtime)} set one. */
    private final Runtime runtime;

    /** Whether the weights were made with an importance matrix: as the scheme requires, unless a caller said. */
    private enum ImportanceMatrix {
        SCHEME_DEFAULT, USED, NOT_USED;

        boolean appliesTo(QuantScheme scheme) {
            return this == SCHEME_DEFAULT ? scheme.requiresImportanceMatrix() : this == USED;
        }
    }

    /** A projector file and the images of each request (issue 16); null when the model runs without one. */
    private record Vision(Projector projector, int images, int width, int height) {
    }

    /**
     * The model, its weights and what runs beside them: everything but the context settings, the overhead and the
     * runtime. {@code vision}, {@code speculation} and {@code deployment} are null when not set; {@code adapterBytes}
     * is the adapters' total and {@code adapterBytesOnDevices} their bytes on each device of the deployment, worked
     * out once with it (null without one).
     */
    private static final class Setup {
        final ModelSpec model;
        final Prepared plan;
        final QuantizedWeights weights;
        final ImportanceMatrix importanceMatrix;
        final Deployment deployment;
        final Vision vision;
        final Speculation speculation;
        final List<LoraAdapter> adapters;
        final long adapterBytes;
        final long[] adapterBytesOnDevices;

        Setup(ModelSpec model, Prepared plan, QuantizedWeights weights, ImportanceMatrix importanceMatrix,
                Deployment deployment, Vision vision, Speculation speculation, List<LoraAdapter> adapters) {
            this.model = model;
            this.plan = plan;
            this.weights = weights;
            this.importanceMatrix = importanceMatrix;
            this.deployment = deployment;
            this.vision = vision;
            this.speculation = speculation;
            this.adapters = adapters;
            long bytes = 0;
            for (LoraAdapter adapter : adapters) {
                bytes = Math.addExact(bytes, adapter.bytes(model));
            }
            this.adapterBytes = bytes;
            this.adapterBytesOnDevices = deployment == null ? null : adapterBytes(model, adapters, deployment);
        }
    }

    private Estimator(ModelSpec model, QuantizedWeights weights, ImportanceMatrix importanceMatrix,
            ContextSettings settings, long runtimeOverheadBytes, Deployment deployment) {
        this(model, Prepared.of(model), weights, importanceMatrix, settings,
                runtimeOverheadBytes, deployment, KvLayout.of(model, settings), null, null, List.of(),
                Runtime.llamaCpp());
    }

    private Estimator(ModelSpec model, Prepared plan, QuantizedWeights weights, ImportanceMatrix importanceMatrix,
            ContextSettings settings, long runtimeOverheadBytes, Deployment deployment, KvLayout layout, Vision vision,
            Speculation speculation, List<LoraAdapter> adapters, Runtime runtime) {
        this.setup = new Setup(model, plan, weights, importanceMatrix, deployment, vision, speculation, adapters);
        this.runtime = runtime;
        this.settings = settings;
        this.runtimeOverheadBytes = runtimeOverheadBytes;
        this.layout = layout;
        this.drafter = speculation == null || weights == null
                || speculation.isMtp() && weights.knownScheme().isEmpty() ? null
                : drafterEstimator(drafterDeployment(deployment));
    }

    private static long[] adapterBytes(ModelSpec model, List<LoraAdapter> adapters, Deployment deployment) {
        long[] total = new long[deployment.devices().size()];
        for (LoraAdapter adapter : adapters) {
            long[] bytes = adapter.bytesOnDevices(model, deployment);
            for (int d = 0; d < total.length; d++) {
                total[d] = Math.addExact(total[d], bytes[d]);
            }
        }
        return total;
    }

    private Estimator(Estimator base, ContextSettings settings, long runtimeOverheadBytes, Runtime runtime) {
        this.setup = base.setup;
        this.runtime = runtime;
        this.settings = settings;
        this.runtimeOverheadBytes = runtimeOverheadBytes;
        // a context or sequence change keeps the placement and the per-layer coefficients; a cache-type change
        // recomputes the coefficients
        this.placed = base.placed();
        this.layout = base.layout.matches(settings) ? base.layout : KvLayout.of(setup.model, settings);
        this.drafter = base.drafter == null ? null : base.drafter.with(drafterSettings(settings, setup.speculation));
    }

    /** Returns the weights placed on the deployment, placing them on first use; null without a scheme or deployment. */
    private PlacedWeights placed() {
        PlacedWeights p = placed;
        if (p == null && setup.weights != null && setup.deployment != null) {
            p = setup.plan.place(setup.weights, setup.deployment);
            placed = p;
        }
        return p;
    }

    /**
     * The scheme assignments and placements worked out for a model so far, held in common by every estimator derived
     * from one {@link #of(ModelSpec)}: a solver that tries schemes or deployments again (a second
     * {@code SchemePlan}, an {@code offloadSplit} probing the same {@code -ngl}) looks them up instead of assigning
     * every tensor a type and placing every tensor anew. What it holds are immutable values, so the lookups change
     * no result. Thread-safe.
     */
    private static final class Prepared {
        /**
         * Placements kept per model, the least recently used dropped first: the probes of a few solver calls (an
         * offload split probes about 30, a search of the catalog's devices estimates tens of configurations).
         */
        private static final int MAX_PLACEMENTS = 256;
        private static final QuantScheme[] SCHEMES = QuantScheme.values();
        /**
         * Prepared models by spec, held in common by every {@link #of(ModelSpec)} of an equal model: a caller who makes
         * a new estimator for a model it asked about before (a catalog sweep, a service) finds the schemes' weights and
         * placements worked out then. Held softly, so that the collector may take them back under memory pressure;
         * they are functions of their keys, so a lost one is only worked out again.
         */
        private static final Map<ModelSpec, SoftReference<Prepared>> BY_MODEL = new ConcurrentHashMap<>();
        /** Models remembered before they are all dropped: a large catalog's. */
        private static final int MAX_MODELS = 512;

        private final ModelSpec model;
        /**
         * A recipe's weights of the model, null until the first scheme is assigned: every further scheme is assigned
         * from them ({@link QuantizedWeights#withScheme}), which reuses their classification of the tensors.
         */
        private volatile QuantizedWeights seed;
        /** Per scheme and importance-matrix flag: the weights, or the refusal of a scheme that cannot store them. */
        private final AtomicReferenceArray<Object> assigned = new AtomicReferenceArray<>(2 * SCHEMES.length);
        private final Map<Placed, PlacedWeights> placements = new LinkedHashMap<>(16, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<Placed, PlacedWeights> eldest) {
                return size() > MAX_PLACEMENTS;
            }
        };

        Prepared(ModelSpec model, QuantizedWeights seed) {
            this.model = model;
            this.seed = seed;
        }

        /** The model's prepared plan, the one earlier estimators of an equal model made. */
        static Prepared of(ModelSpec model) {
            SoftReference<Prepared> known = BY_MODEL.get(model);
            Prepared prepared = known == null ? null : known.get();
            if (prepared == null) {
                prepared = new Prepared(model, null);
                if (BY_MODEL.size() >= MAX_MODELS) {
                    BY_MODEL.clear();
                }
                BY_MODEL.put(model, new SoftReference<>(prepared));
            }
            return prepared;
        }

        QuantizedWeights assign(QuantScheme scheme, boolean importanceMatrix) {
            int slot = 2 * scheme.ordinal() + (importanceMatrix ? 1 : 0);
            Object known = assigned.get(slot);
            if (known == null) {
                try {
                    QuantizedWeights from = seed;
                    QuantizedWeights assignedNow = from == null ? scheme.assign(model, importanceMatrix)
                            : from.withScheme(scheme, importanceMatrix);
                    if (from == null) {
                        seed = assignedNow;
                    }
                    known = assignedNow;
                } catch (IllegalArgumentException cannotStore) {
                    known = cannotStore.getMessage();
                }
                assigned.set(slot, known);
            }
            if (known instanceof String) {
                throw new IllegalArgumentException((String) known);
            }
            return (QuantizedWeights) known;
        }

        PlacedWeights place(QuantizedWeights weights, Deployment deployment) {
            Placed key = new Placed(weights, deployment);
            synchronized (placements) {
                PlacedWeights known = placements.get(key);
                if (known != null) {
                    return known;
                }
            }
            PlacedWeights placed = PlacedWeights.of(weights, deployment);
            synchronized (placements) {
                placements.put(key, placed);
            }
            return placed;
        }
    }

    /** The key of a placement: the very weights (one instance per scheme, see {@link Prepared}) and the deployment. */
    private static final class Placed {
        private final QuantizedWeights weights;
        private final Deployment deployment;
        private final int hash;

        Placed(QuantizedWeights weights, Deployment deployment) {
            this.weights = weights;
            this.deployment = deployment;
            this.hash = 31 * System.identityHashCode(weights) + deployment.hashCode();
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Placed && ((Placed) other).weights == weights
                    && ((Placed) other).deployment.equals(deployment);
        }

        @Override
        public int hashCode() {
            return hash;
        }
    }

    /**
     * Returns an estimator for a model, with llama.cpp's defaults and no scheme chosen yet.
     *
     * @param model the model, not null
     * @return a new estimator
     * @throws NullPointerException if {@code model} is null
     */
    public static Estimator of(ModelSpec model) {
        Objects.requireNonNull(model, "model");
        return new Estimator(model, null, ImportanceMatrix.SCHEME_DEFAULT,
                ContextSettings.defaults(model.maxContextTokens()), DEFAULT_RUNTIME_OVERHEAD_BYTES, null);
    }

    /**
     * Returns an estimator for a GGUF file: its weights are exact (each tensor of the file's tensor table at its real
     * type, multi-token-prediction layers skipped as llama.cpp skips them), and its KV cache and state come from the
     * spec rebuilt from the file's metadata. The context defaults to the file's trained context. Calling
     * {@link #quant(QuantScheme)} afterwards estimates the same model requantized with llama.cpp's recipe.
     *
     * @param file the file's header, not null
     * @return a new estimator with the file's weights
     * @throws NullPointerException if {@code file} is null
     * @throws IllegalStateException if the file's architecture is unknown, so that only its weights are known; the
     *     message says so ({@link GgufModel#weightBytes()} still gives them)
     */
    public static Estimator of(GgufModel file) {
        QuantizedWeights fileWeights = Objects.requireNonNull(file, "file").requireWeights();
        ModelSpec spec = fileWeights.model();
        ContextSettings defaults = ContextSettings.defaults(spec.maxContextTokens());
        return new Estimator(spec, new Prepared(spec, null), fileWeights, ImportanceMatrix.SCHEME_DEFAULT,
                defaults, DEFAULT_RUNTIME_OVERHEAD_BYTES, null, KvLayout.of(spec, defaults), null, null, List.of(),
                Runtime.llamaCpp());
    }

    /**
     * Returns an estimator for any source of a model: a GGUF file's header is estimated as {@link #of(GgufModel)}
     * does (its exact weights), any other source as {@link #of(ModelSpec)} does with its spec.
     *
     * @param source the source, e.g. a catalog preset, not null
     * @return a new estimator
     * @throws NullPointerException if {@code source} is null
     * @throws IllegalStateException if the source cannot describe the model (see {@link ModelSpecSource#modelSpec()})
     */
    public static Estimator of(ModelSpecSource source) {
        Objects.requireNonNull(source, "source");
        return source instanceof GgufModel ? of((GgufModel) source) : of(source.modelSpec());
    }

    private Estimator with(ContextSettings newSettings) {
        return new Estimator(this, newSettings, runtimeOverheadBytes, runtime);
    }

    /**
     * Returns an estimator with the given quantization scheme. The scheme assigns every tensor its type now, so that
     * later estimates are cheap.
     *
     * @param scheme the scheme, not null
     * @return a new estimator; this instance is immutable and unaffected by this method call
     * @throws NullPointerException if {@code scheme} is null
     * @throws IllegalArgumentException if the model has a tensor the scheme cannot store
     */
    public Estimator quant(QuantScheme scheme) {
        Objects.requireNonNull(scheme, "scheme");
        return new Estimator(setup.model, setup.plan, setup.plan.assign(scheme,
                setup.importanceMatrix.appliesTo(scheme)), setup.importanceMatrix,
                settings,
                runtimeOverheadBytes, setup.deployment, layout, setup.vision, setup.speculation, setup.adapters,
                runtime);
    }

    /**
     * Returns an estimator that assumes the GGUF file was (or was not) made with an importance matrix, which changes
     * a few tensor types in Q4_0, Q5_0, IQ4_XS, IQ4_NL and IQ3_XXS files.
     *
     * @param used whether an importance matrix was used
     * @return a new estimator; this instance is immutable and unaffected by this method call
     */
    public Estimator importanceMatrix(boolean used) {
        if (setup.weights != null && setup.weights.isFromFile()) {
            throw new IllegalStateException("importanceMatrix: the weights are a GGUF file's own tensor types"
                    + " (expected: quant(scheme) first, to estimate the file requantized with the recipe)");
        }
        QuantizedWeights reassigned = setup.weights == null ? null : setup.plan.assign(setup.weights.scheme(), used);
        ImportanceMatrix said = used ? ImportanceMatrix.USED : ImportanceMatrix.NOT_USED;
        return new Estimator(setup.model, setup.plan, reassigned, said, settings, runtimeOverheadBytes,
                setup.deployment, layout,
                setup.vision, setup.speculation, setup.adapters, runtime);
    }

    /**
     * Returns an estimator with the given context ({@code -c}): the total cells shared by all parallel sequences,
     * before llama.cpp pads it to a multiple of 256.
     *
     * @param contextTokens the context in tokens, at least 1
     * @return a new estimator; this instance is immutable and unaffected by this method call
     * @throws IllegalArgumentException if {@code contextTokens} is not positive, or its padding exceeds
     *     {@link Integer#MAX_VALUE}
     */
    public Estimator context(int contextTokens) {
        return with(settings.withContextTokens(contextTokens));
    }

    /**
     * Returns an estimator with the same type for the K and V caches.
     *
     * @param type the cache type, not null
     * @return a new estimator; this instance is immutable and unaffected by this method call
     * @throws NullPointerException if {@code type} is null
     */
    public Estimator kvCacheType(KvCacheType type) {
        Objects.requireNonNull(type, "type");
        return with(settings.withCacheTypes(type, type));
    }

    /**
     * Returns an estimator with the given K and V cache types ({@code -ctk}, {@code -ctv}).
     *
     * @param keyType the K-cache type, not null
     * @param valueType the V-cache type, not null
     * @return a new estimator; this instance is immutable and unaffected by this method call
     * @throws NullPointerException if a type is null
     */
    public Estimator kvCacheTypes(KvCacheType keyType, KvCacheType valueType) {
        Objects.requireNonNull(keyType, "keyType");
        Objects.requireNonNull(valueType, "valueType");
        return with(settings.withCacheTypes(keyType, valueType));
    }

    /**
     * Returns an estimator with the given number of parallel sequences ({@code -np}).
     *
     * @param sequences sequences, 1 to {@value ContextSettings#MAX_PARALLEL_SEQUENCES} (llama.cpp's
     *     {@code LLAMA_MAX_SEQ})
     * @return a new estimator; this instance is immutable and unaffected by this method call
     * @throws IllegalArgumentException if {@code sequences} is not 1 to
     *     {@value ContextSettings#MAX_PARALLEL_SEQUENCES}
     */
    public Estimator parallelSequences(int sequences) {
        return with(settings.withParallelSequences(sequences));
    }

    /**
     * Returns an estimator whose sequences share one cache stream ({@code -kvu}), or not.
     *
     * @param unified whether the cache is unified
     * @return a new estimator; this instance is immutable and unaffected by this method call
     */
    public Estimator unifiedKvCache(boolean unified) {
        return with(settings.withUnifiedKvCache(unified));
    }

    /**
     * Returns an estimator with the given logical batch ({@code -b}) and micro-batch ({@code -ub}).
     *
     * @param batchTokens logical batch, at least 1
     * @param microBatchTokens micro-batch, at least 1
     * @return a new estimator; this instance is immutable and unaffected by this method call
     * @throws IllegalArgumentException if a size is not positive
     */
    public Estimator batch(int batchTokens, int microBatchTokens) {
        return with(settings.withBatchTokens(batchTokens, microBatchTokens));
    }

    /**
     * Returns an estimator with flash attention on or off ({@code -fa}).
     *
     * @param enabled whether flash attention is on
     * @return a new estimator; this instance is immutable and unaffected by this method call
     */
    public Estimator flashAttention(boolean enabled) {
        return with(settings.withFlashAttention(enabled));
    }

    /**
     * Returns an estimator whose sliding-window layers cache the full context ({@code --swa-full}), or not.
     *
     * @param full whether sliding-window layers get a full-context cache
     * @return a new estimator; this instance is immutable and unaffected by this method call
     */
    public Estimator fullSlidingWindowCache(boolean full) {
        return with(settings.withFullSlidingWindowCache(full));
    }

    /**
     * Returns an estimator with the given allowance for the runtime itself.
     *
     * @param size the allowance, at most {@value DeviceUsage#MAX_RUNTIME_OVERHEAD_BYTES} bytes (1 PiB), not null
     * @return a new estimator; this instance is immutable and unaffected by this method call
     * @throws NullPointerException if {@code size} is null
     * @throws IllegalArgumentException if {@code size} is above {@value DeviceUsage#MAX_RUNTIME_OVERHEAD_BYTES} bytes
     */
    public Estimator runtimeOverhead(DataSize size) {
        long bytes = Objects.requireNonNull(size, "size").bytes();
        if (bytes > DeviceUsage.MAX_RUNTIME_OVERHEAD_BYTES) {
            throw new IllegalArgumentException("runtimeOverhead: " + bytes + " (expected: 0 to "
                    + DeviceUsage.MAX_RUNTIME_OVERHEAD_BYTES + " bytes, 1 PiB)");
        }
        return new Estimator(this, settings, bytes, runtime);
    }

    /**
     * Returns an estimator that also estimates the model on a deployment: per-device memory, fit, decode and prefill
     * speeds (see {@link Estimate#deployment()}). The placement is checked against the model now, and once a scheme is
     * chosen every tensor is placed once.
     *
     * @param deployment the devices and placement, not null
     * @return a new estimator; this instance is immutable and unaffected by this method call
     * @throws NullPointerException if {@code deployment} is null
     * @throws IllegalArgumentException if the placement names more layers than the model has, or cannot split it
     */
    public Estimator on(Deployment deployment) {
        Objects.requireNonNull(deployment, "deployment");
        deployment.checkModel(setup.model);
        return new Estimator(setup.model, setup.plan, setup.weights, setup.importanceMatrix, settings,
                runtimeOverheadBytes,
                deployment, layout, setup.vision, setup.speculation, setup.adapters, runtime);
    }

    /**
     * Returns an estimator whose model carries LoRA adapters, as llama.cpp loads them with {@code --lora} (several at
     * once): their bytes count as weights, on the devices that hold the tensors they adapt (see {@link LoraAdapter}).
     * Replaces any adapters set before; an empty list removes them.
     *
     * @param adapters the adapters, not null; copied
     * @return a new estimator; this instance is immutable and unaffected by this method call
     * @throws NullPointerException if the list or an adapter is null
     * @throws IllegalArgumentException if an adapter targets a module the model has no tensor for
     */
    public Estimator loraAdapters(List<LoraAdapter> adapters) {
        List<LoraAdapter> copy = List.copyOf(Objects.requireNonNull(adapters, "adapters"));
        return new Estimator(setup.model, setup.plan, setup.weights, setup.importanceMatrix, settings,
                runtimeOverheadBytes,
                setup.deployment, layout, setup.vision, setup.speculation, copy, runtime);
    }

    /**
     * Returns the LoRA adapters in force.
     *
     * @return the adapters, an immutable list, empty when none
     */
    public List<LoraAdapter> loraAdapters() {
        return setup.adapters;
    }

    /**
     * Returns an estimator that also estimates the model on one device holding everything, defined as
     * {@code on(Deployment.of(device))}.
     *
     * @param device the device, not null
     * @return a new estimator; this instance is immutable and unaffected by this method call
     * @throws NullPointerException if {@code device} is null
     */
    public Estimator on(Device device) {
        return on(Deployment.of(Objects.requireNonNull(device, "device")));
    }

    /**
     * Returns an estimator that also loads a projector ({@code --mmproj}): its weights and the encoder's compute
     * buffer count in {@link Estimate#totalBytes()} (see {@link Estimate#vision()}) and, on a deployment, on its first
     * device that is not system RAM, where llama.cpp loads the projector.
     *
     * @param projector the projector, from a tower ({@link Projector#of(VisionTower,
     *     io.github.llmestimator.vision.ProjectorType)}) or an {@code mmproj} header, not null
     * @return a new estimator; this instance is immutable and unaffected by this method call
     * @throws NullPointerException if {@code projector} is null
     */
    public Estimator projector(Projector projector) {
        Objects.requireNonNull(projector, "projector");
        Vision next = setup.vision == null ? new Vision(projector, 0, 1, 1)
                : new Vision(projector, setup.vision.images(), setup.vision.width(), setup.vision.height());
        return new Estimator(setup.model, setup.plan, setup.weights, setup.importanceMatrix, settings,
                runtimeOverheadBytes,
                setup.deployment, layout, next, setup.speculation, setup.adapters, runtime);
    }

    /**
     * Returns an estimator whose every sequence holds {@code count} images of the given size: their tokens, by the
     * projector's tower rule ({@link VisionTower#imageTokens}), take part of one sequence's context
     * ({@link VisionMemory#imagesFitContext()} says whether they fit), and the encoder's compute buffer is sized for
     * the larger of this image and llama.cpp's warm-up image. A projector must be chosen
     * ({@link #projector(Projector)}) before {@link #estimate()}.
     *
     * @param count images per sequence, 0 to 65,536
     * @param width the image width in pixels, 1 to {@value VisionTower#MAX_IMAGE_SIDE}
     * @param height the image height in pixels, 1 to {@value VisionTower#MAX_IMAGE_SIDE}
     * @return a new estimator; this instance is immutable and unaffected by this method call
     * @throws IllegalArgumentException if a value is out of range
     */
    public Estimator images(int count, int width, int height) {
        if (count < 0 || count > 1 << 16 || width < 1 || width > VisionTower.MAX_IMAGE_SIDE || height < 1
                || height > VisionTower.MAX_IMAGE_SIDE) {
            throw new IllegalArgumentException("images: " + count + " of " + width + "x" + height + " (expected: 0 to "
                    + (1 << 16) + " images, each side 1 to " + VisionTower.MAX_IMAGE_SIDE + " pixels)");
        }
        Vision next = new Vision(setup.vision == null ? null : setup.vision.projector(), count, width, height);
        return new Estimator(setup.model, setup.plan, setup.weights, setup.importanceMatrix, settings,
                runtimeOverheadBytes,
                setup.deployment, layout, next, setup.speculation, setup.adapters, runtime);
    }

    /**
     * Returns an estimator with speculative decoding: a draft model or the model's own multi-token-prediction layer
     * drafts tokens the model verifies in batches. The estimate then counts the drafter's memory (see
     * {@link SpeculativeDecoding}), its devices and the planning solvers hold it, and
     * {@link Estimate#speculative()} gives the speeds with it.
     *
     * @param speculation the setup, not null
     * @return a new estimator; this instance is immutable and unaffected by this method call
     * @throws NullPointerException if {@code speculation} is null
     * @throws IllegalArgumentException if the setup asks for MTP and the model has no MTP layer, or its draft model's
     *     vocabulary differs from the model's by more than {@value #MAX_DRAFT_VOCABULARY_DIFFERENCE} tokens
     */
    public Estimator speculative(Speculation speculation) {
        Objects.requireNonNull(speculation, "speculation");
        if (speculation.isMtp() && setup.model.nextTokenPredictionLayers().isEmpty()) {
            throw new IllegalArgumentException("speculation: MTP, but " + setup.model.name()
                    + " has no multi-token-prediction layer (expected: a model whose spec or GGUF file holds one, or a"
                    + " draft model)");
        }
        ModelSpec draft = speculation.draftModel().orElse(null);
        if (draft != null
                && Math.abs(draft.vocabularySize() - setup.model.vocabularySize()) > MAX_DRAFT_VOCABULARY_DIFFERENCE) {
            throw new IllegalArgumentException("speculation: draft model " + draft.name() + " has a vocabulary of "
                    + draft.vocabularySize() + " tokens (expected: within " + MAX_DRAFT_VOCABULARY_DIFFERENCE
                    + " of the model's " + setup.model.vocabularySize() + ": llama.cpp requires the draft to share the"
                    + " target's vocabulary)");
        }
        return new Estimator(setup.model, setup.plan, setup.weights, setup.importanceMatrix, settings,
                runtimeOverheadBytes,
                setup.deployment, layout, setup.vision, speculation, setup.adapters, runtime);
    }

    // ---- Runtimes (issue 14): which runtime's accounting applies; see the runtime package.

    /**
     * Returns an estimator for another runtime. llama.cpp is the default; {@link Ollama} also sets the context, cache
     * types, flash attention and parallel sequences Ollama runs llama.cpp with ({@link Ollama#contextSettings()}); for
     * {@link Vllm} and {@link SgLang} the estimate stays llama.cpp's and {@link #runtimePool(int)} gives the runtime's
     * cache.
     *
     * @param runtime the runtime, not null
     * @return a new estimator; this instance is immutable and unaffected by this method call
     * @throws NullPointerException if {@code runtime} is null
     */
    public Estimator runtime(Runtime runtime) {
        Objects.requireNonNull(runtime, "runtime");
        ContextSettings next = runtime instanceof Ollama ? ((Ollama) runtime).contextSettings() : settings;
        return new Estimator(this, next, runtimeOverheadBytes, runtime);
    }

    /**
     * Returns the runtime whose accounting applies: llama.cpp unless {@link #runtime(Runtime)} chose another.
     *
     * @return the runtime, not null
     */
    public Runtime runtime() {
        return runtime;
    }

    /**
     * Computes the KV cache the serving runtime ({@link Vllm} or {@link SgLang}) allocates on each GPU of the
     * deployment at start-up, with this estimator's weights: one GPU, or copies of one GPU in tensor parallel. A
     * device's memory is its installed memory, of which CUDA reports {@link Vllm#CUDA_RESERVED_BYTES} less to SGLang
     * (vLLM's own setting says how much for it).
     *
     * @param maxModelLen the length of one request ({@code --max-model-len}), at least 1
     * @return the pool on one GPU, with the concurrency the runtime prints
     * @throws IllegalArgumentException if {@code maxModelLen} is not positive, or the model has sliding-window or
     *     recurrent layers
     * @throws IllegalStateException if the runtime is not vLLM or SGLang, no scheme or deployment was chosen, or the
     *     deployment's devices are not copies of one GPU
     */
    public PagedPool runtimePool(int maxModelLen) {
        if (!(runtime instanceof Vllm) && !(runtime instanceof SgLang)) {
            throw new IllegalStateException("runtimePool: runtime " + runtime.name()
                    + " (expected: vLLM or SGLang, whose caches are pools sized at start-up)");
        }
        if (setup.weights == null || setup.deployment == null) {
            throw new IllegalStateException("runtimePool: " + (setup.weights == null ? "no scheme" : "no deployment")
                    + " (expected: quant(scheme) and on(device) first)");
        }
        List<Device> devices = setup.deployment.devices();
        Device gpu = devices.get(0);
        for (Device device : devices) {
            if (!device.equals(gpu)) {
                throw new IllegalStateException("runtimePool: devices " + gpu.name() + " and " + device.name()
                        + " (expected: one GPU, or copies of one GPU in tensor parallel)");
            }
        }
        long weightBytes = setup.weights.loadedBytes();
        if (runtime instanceof Vllm) {
            return ((Vllm) runtime).pool(setup.model, weightBytes, gpu.usableMemoryBytes(), gpu.name(), devices.size(),
                    maxModelLen);
        }
        // SGLang takes CUDA's total, which keeps what vLLM's default reserve says back from the card
        return ((SgLang) runtime).pool(setup.model, weightBytes, gpu.usableMemoryBytes() - Vllm.CUDA_RESERVED_BYTES,
                devices.size(), maxModelLen);
    }

    /**
     * Returns the weights llama.cpp loads under the chosen scheme, LoRA adapters included, without estimating the rest:
     * the same as {@code estimate().weightBytes()}, which the quantization solver ranks its candidates by.
     *
     * @return bytes
     * @throws IllegalStateException if no scheme was chosen
     */
    public long weightBytes() {
        if (setup.weights == null) {
            throw new IllegalStateException(
                    "quant: not set (expected: a QuantScheme, e.g. Estimator.of(model).quant(QuantScheme.Q4_K_M))");
        }
        return setup.weights.loadedBytes() + setup.adapterBytes;
    }

    /**
     * Returns the model.
     *
     * @return the model, not null
     */
    public ModelSpec model() {
        return setup.model;
    }

    /**
     * Returns the context settings in force.
     *
     * @return the settings, not null
     */
    public ContextSettings settings() {
        return settings;
    }

    /**
     * Computes the estimate.
     *
     * @return the estimate, not null
     * @throws IllegalStateException if no scheme was chosen, or the settings do not work together for this model
     *     (different K and V cache types on an MLA model, a quantized V cache without flash attention, a cache row a
     *     quantized cache type cannot store)
     */
    public Estimate estimate() {
        if (setup.weights == null) {
            throw new IllegalStateException(
                    "quant: not set (expected: a QuantScheme, e.g. Estimator.of(model).quant(QuantScheme.Q4_K_M))");
        }
        ContextMemory context;
        try {
            context = layout.memory(settings);
        } catch (IllegalArgumentException refused) {
            // the estimator's own settings are at fault, not an argument of this call
            throw new IllegalStateException(refused.getMessage(), refused);
        }
        VisionMemory visionMemory = visionMemory();
        PlacedWeights placed = placed();
        DeploymentEstimate placedEstimate = placed == null ? null : visionMemory == null
                ? DeploymentEstimates.of(placed, context, runtimeOverheadBytes, setup.adapterBytesOnDevices)
                : DeploymentEstimates.of(placed, context, runtimeOverheadBytes, setup.adapterBytesOnDevices,
                        visionMemory.projectorBytes(), visionMemory.encoderComputeBytes());
        Estimate target = new Estimate(setup.weights, context, runtimeOverheadBytes, setup.adapterBytes, placedEstimate,
                visionMemory);
        if (setup.speculation == null) {
            return target;
        }
        // without a prepared drafter, this is MTP on a file of unknown type: drafterEstimator says so
        Estimator prepared = drafter != null ? drafter : drafterEstimator(drafterDeployment(setup.deployment));
        int drafterFirstDevice = setup.deployment == null ? 0 : Math.max(0, drafterDevice(setup.deployment));
        return new Estimate(setup.weights, context, runtimeOverheadBytes, setup.adapterBytes, placedEstimate,
                visionMemory,
                new SpeculativeDecoding(setup.speculation, setup.model, target, prepared.estimate()),
                drafterFirstDevice);
    }

    private VisionMemory visionMemory() {
        if (setup.vision == null) {
            return null;
        }
        if (setup.vision.projector() == null) {
            throw new IllegalStateException("images: " + setup.vision.images() + " per sequence, but no projector"
                    + " (expected: projector(Projector) to say how the model encodes them)");
        }
        VisionTower tower = setup.vision.projector().tower().orElse(null);
        if (tower == null) {
            if (setup.vision.images() > 0) {
                throw new IllegalStateException("images: projector type '" + setup.vision.projector().projectorType()
                        + "' has no image-token rule here (expected a modelled tower: gemma3, qwen2.5vl_merger,"
                        + " qwen3vl_merger, pixtral)");
            }
            return new VisionMemory(setup.vision.projector().weightBytes(), 0, 0, 0, settings.cellsPerStream());
        }
        ImageTokens image = tower.imageTokens(setup.vision.width(), setup.vision.height());
        return new VisionMemory(setup.vision.projector().weightBytes(),
                tower.encoderComputeBytes(Math.max(image.patches(), tower.warmupImage().patches()),
                        settings.llamaCpp().flashAttention()),
                setup.vision.images(), setup.vision.images() == 0 ? 0 : image.tokens(), settings.cellsPerStream());
    }

    /** Returns the deployment of the drafter: the one device that holds it, the model's deployment, or null. */
    private static Deployment drafterDeployment(Deployment deployment) {
        if (deployment == null) {
            return null;
        }
        int device = drafterDevice(deployment);
        return device < 0 ? deployment : Deployment.of(deployment.devices().get(device));
    }

    /** Returns the drafter's settings: the model's, with the draft cache type. */
    private static ContextSettings drafterSettings(ContextSettings settings, Speculation speculation) {
        return settings.withCacheTypes(speculation.draftCacheType(), speculation.draftCacheType());
    }

    /**
     * Returns the index of the one device that holds the drafter, or -1 when the drafter spans the deployment as the
     * model does (one device, or tensor parallelism): the last device that is not system RAM, else the deployment.
     */
    private static int drafterDevice(Deployment deployment) {
        List<Device> devices = deployment.devices();
        if (devices.size() == 1 || deployment.placement() instanceof TensorParallel) {
            return -1;
        }
        for (int d = devices.size() - 1; d >= 0; d--) {
            if (devices.get(d).kind() != DeviceKind.SYSTEM_RAM) {
                return d;
            }
        }
        return -1;
    }

    /**
     * Returns the estimator of the drafter as a model of its own, with this estimator's context settings, the draft
     * cache type and no runtime allowance: the draft model at its scheme, or the MTP layers with the model's output
     * head as a model quantized with the model's scheme.
     */
    private Estimator drafterEstimator(Deployment drafterDeployment) {
        ModelSpec drafterModel;
        QuantizedWeights drafterWeights;
        if (setup.speculation.isMtp()) {
            ModelSpec model = setup.model;
            QuantScheme scheme = setup.weights.knownScheme().orElseThrow(() -> new IllegalStateException(
                    "speculation: MTP speed needs the model's quantization scheme, and these weights are a GGUF file's"
                    + " own types"
                    + " (expected: quant(scheme) to estimate the file requantized, or a file whose type is known)"));
            ModelSpec.Builder head = ModelSpec.builder(model.name() + " MTP").architecture(model.architecture())
                    .hiddenSize(model.hiddenSize()).vocabularySize(model.vocabularySize())
                    .maxContextTokens(model.maxContextTokens()).tiedEmbeddings(false)
                    .checkpointFormat(model.checkpointFormat());
            model.nextTokenPredictionLayers().forEach(head::addLayer);
            drafterModel = head.build();
            drafterWeights = scheme.assign(drafterModel, setup.weights.importanceMatrix());
        } else {
            drafterModel = setup.speculation.draftModel().orElseThrow();
            QuantScheme scheme = setup.speculation.draftScheme().orElseThrow();
            drafterWeights = scheme.assign(drafterModel, scheme.requiresImportanceMatrix());
        }
        ContextSettings drafterSettings = drafterSettings(settings, setup.speculation);
        return new Estimator(drafterModel, new Prepared(drafterModel, drafterWeights), drafterWeights,
                ImportanceMatrix.SCHEME_DEFAULT,
                drafterSettings, 0, drafterDeployment, KvLayout.of(drafterModel, drafterSettings), null, null,
                List.of(), Runtime.llamaCpp());
    }

    @Override
    public String toString() {
        return "Estimator[" + setup.model.name() + ", "
                + (setup.weights == null ? "no scheme" : Estimate.schemeLabel(setup.weights)) + ", "
                + settings + (setup.deployment == null ? "" : ", on " + setup.deployment)
                + (setup.speculation == null ? "" : ", " + setup.speculation) + "]";
    }
}
