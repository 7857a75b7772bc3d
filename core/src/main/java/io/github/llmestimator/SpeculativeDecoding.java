package io.github.llmestimator;

import io.github.llmestimator.hardware.DeviceUsage;
import io.github.llmestimator.memory.ContextMemory;
import io.github.llmestimator.memory.ContextSettings;
import io.github.llmestimator.model.ModelSpec;
import io.github.llmestimator.model.TensorRole;
import io.github.llmestimator.throughput.DecodeSpeed;
import io.github.llmestimator.throughput.DeploymentEstimate;
import io.github.llmestimator.throughput.PrefillSpeed;
import io.github.llmestimator.throughput.SpeculativeSpeed;
import io.github.llmestimator.throughput.Speculation;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * What speculative decoding adds to an estimate: the drafter's memory and the decode speed with it (see
 * {@link Estimator#speculative(Speculation)}).
 *
 * <p>Memory, as llama.cpp allocates it beside the target's own context:
 * <ul>
 *   <li>A draft model ({@code --model-draft}): its weights, and its own context (KV cache at the draft cache type,
 *       {@code -ctkd}/{@code -ctvd}, as many cells per sequence as the target's, {@code common/speculative.cpp}
 *       {@code common_speculative_init_result}), output and compute buffers, estimated as for any model.</li>
 *   <li>MTP ({@code --spec-type draft-mtp}): the multi-token-prediction layer's weights, which llama.cpp loads only
 *       then ({@code load_mtp}); a second context of type {@code LLAMA_CONTEXT_TYPE_MTP} whose KV cache holds, with
 *       the target's cells per sequence, only the MTP layer for Qwen3-Next, Qwen3.5, Qwen3.6 and the other
 *       architectures whose cache filter stops there, and every layer (trunk and MTP) for DeepSeek and GLM-4.5,
 *       whose MTP context takes llama.cpp's default cache without a filter ({@code src/llama-model.cpp}
 *       {@code create_memory} in release v0.4.0, which the oracle runs; llama.cpp PR #28630 later gave them the MTP
 *       layer only, so for newer builds this is high); its compute buffer, estimated for the MTP layer with the output head as a one-layer
 *       model; and its output buffer {@code 4 * n_seq * (4 * n_vocab + n_embd + 1)} bytes (logits, the MTP hidden
 *       row, and the backend sampler's logits, probabilities, candidates and token, {@code llama_context::
 *       output_reserve} with the draft's backend sampling on by default), plus the target's hidden rows for every
 *       batch token, {@code 4 * n_embd * n_batch} bytes (unmasked {@code embd_nextn}); and for a model with recurrent
 *       layers, {@code k} more copies of its recurrent state ({@link #rollbackStateBytes()}).</li>
 * </ul>
 * The drafter sits on one device: the deployment's device for a single device, every device of a tensor-parallel
 * deployment, and otherwise its last GPU (llama.cpp puts the draft model's layers on the GPU by default,
 * {@code -ngld}, and the MTP layer follows the last trunk layer, which {@code -ngl} and {@code --n-cpu-moe} place on
 * the GPU first). No runtime allowance is added for it: it runs in the same process.
 *
 * <p>Speed: see {@link SpeculativeSpeed}. For MTP the drafter's pass is modelled as the MTP layer followed by the
 * target's output head (the {@code eh_proj} projection of {@code 2 * n_embd x n_embd} weights is left out: about 3 %
 * of that pass on Qwen3.5-27B). Prompt processing runs the drafter over the prompt too; llama.cpp's device-to-host
 * copies of the hidden rows for MTP, which its authors name as the main cost of MTP on prompt processing, are not
 * modelled.
 *
 * <p>This class is immutable and thread-safe.
 */
public final class SpeculativeDecoding {

    /**
     * Architectures whose MTP context caches only the MTP layers ({@code create_memory}: the hybrid Qwen filter
     * {@code il >= n_layer()}, and the explicit filters of Step-3.5, Hunyuan-V3, GLM-DSA, MiMo-2, DeepSeek-V3.2,
     * Bailing-MoE-3 and Nemotron-H-MoE). Others cache every layer in it.
     */
    private static final Set<String> MTP_CACHE_ONLY_MTP_LAYERS = Set.of("qwen3next", "qwen35", "qwen35moe",
            "step35", "hy_v3", "glm-dsa", "mimo2", "deepseek32", "bailingmoe3", "nemotron_h_moe");

    /**
     * The host time of each llama.cpp call a speculative step adds to decoding ({@code k} drafting passes and the
     * drafter's catch-up, each a {@code llama_decode} of its own): synchronisation, the copies of hidden rows and
     * draft candidates between device and host, and the draft sampler, which the step model's fixed time per layer
     * does not hold for a one-layer drafter. Fitted: the mean residual per added call, 1.2 ms (1.2, 1.1 and 1.2 ms), of
     * the three RTX 4090 and RTX 5090 MTP rows of catalog-data's PublishedSpeculativeSpeedsTest, computed without
     * it; the other rows of that test are held out.
     */
    static final double DRAFTER_CALL_SECONDS = 1.2e-3;

    private final Speculation speculation;
    private final Estimate drafter;
    private final DeploymentEstimate target;
    private final int sequences;
    private final long weightBytes;
    private final long kvCacheBytes;
    private final long recurrentStateBytes;
    private final long rollbackStateBytes;
    private final long outputBufferBytes;
    private final long computeBufferBytes;

    SpeculativeDecoding(Speculation speculation, ModelSpec model, Estimate targetEstimate, Estimate drafter) {
        this.speculation = speculation;
        this.drafter = drafter;
        this.target = targetEstimate.deployment().orElse(null);
        ContextSettings settings = targetEstimate.context().settings();
        this.sequences = settings.parallelSequences();
        if (speculation.isMtp()) {
            weightBytes = targetEstimate.weights().bytes(TensorRole.NEXT_TOKEN_PREDICTION);
            kvCacheBytes = MTP_CACHE_ONLY_MTP_LAYERS.contains(model.architecture()) ? drafter.kvCacheBytes()
                    : ContextMemory.of(model, settings.withCacheTypes(speculation.draftCacheType(),
                            speculation.draftCacheType())).kvCacheBytes();
            rollbackStateBytes = Math.multiplyExact(targetEstimate.recurrentStateBytes(), speculation.draftTokens());
            recurrentStateBytes = 0;
            long vocabulary = model.vocabularySize();
            long hidden = model.hiddenSize();
            outputBufferBytes = Math.addExact(4L * sequences * (4 * vocabulary + hidden + 1),
                    4L * hidden * settings.llamaCpp().batchTokens());
        } else {
            rollbackStateBytes = 0;
            weightBytes = drafter.weightBytes();
            kvCacheBytes = drafter.kvCacheBytes();
            recurrentStateBytes = drafter.recurrentStateBytes();
            outputBufferBytes = drafter.outputBufferBytes();
        }
        computeBufferBytes = drafter.computeBufferBytes();
    }

    /**
     * Returns the setup.
     *
     * @return the speculation, not null
     */
    public Speculation speculation() {
        return speculation;
    }

    /**
     * Returns the drafter estimated as a model of its own: the draft model, or for MTP the MTP layer with the output
     * head as a one-layer model (whose weights double-count the head it shares with the target; the drafter's memory
     * here does not).
     *
     * @return the drafter's estimate, not null
     */
    public Estimate drafter() {
        return drafter;
    }

    /**
     * Returns the drafter's weights: the draft model's, or the MTP layers' as the file stores them.
     *
     * @return bytes
     */
    public long weightBytes() {
        return weightBytes;
    }

    /**
     * Returns the drafter context's KV cache.
     *
     * @return bytes
     */
    public long kvCacheBytes() {
        return kvCacheBytes;
    }

    /**
     * Returns the drafter context's recurrent state (a hybrid draft model's).
     *
     * @return bytes
     */
    public long recurrentStateBytes() {
        return recurrentStateBytes;
    }

    /**
     * Returns the snapshots of the target's recurrent state that MTP keeps to roll back rejected tokens: llama.cpp's
     * MTP sets {@code n_rs_seq} to the draft length ({@code common_params_speculative::need_n_rs_seq}) and the
     * recurrent memory holds {@code 1 + n_rs_seq} state rows per sequence ({@code src/llama-memory-recurrent.cpp}),
     * so {@code k} times the target's recurrent state; 0 for a draft model or a model without recurrent layers.
     *
     * @return bytes, on the devices that hold the target's recurrent state
     */
    public long rollbackStateBytes() {
        return rollbackStateBytes;
    }

    /**
     * Returns the drafter context's output buffer, and for MTP the target's hidden rows it hands over.
     *
     * @return bytes
     */
    public long outputBufferBytes() {
        return outputBufferBytes;
    }

    /**
     * Returns the drafter context's compute buffer (as {@link ContextMemory} computes it).
     *
     * @return bytes
     */
    public long computeBufferBytes() {
        return computeBufferBytes;
    }

    /**
     * Returns all the drafter adds, defined as weights + KV cache + recurrent state + rollback state + output buffer +
     * compute buffer.
     *
     * @return bytes
     */
    public long totalBytes() {
        return Math.addExact(Math.addExact(Math.addExact(weightBytes, kvCacheBytes),
                Math.addExact(recurrentStateBytes, rollbackStateBytes)),
                Math.addExact(outputBufferBytes, computeBufferBytes));
    }

    /**
     * Adds the drafter's memory to the target's per-device usage, on the devices that hold the drafter, in proportion
     * to what the drafter estimate puts on each; and MTP's rollback state beside the recurrent state it copies.
     */
    List<DeviceUsage> addTo(List<DeviceUsage> targetUsages, int drafterFirstDevice) {
        List<DeviceUsage> drafterUsages = drafter.deployment().orElseThrow().devices();
        long drafterTotal = 0;
        for (DeviceUsage u : drafterUsages) {
            drafterTotal += u.totalBytes();
        }
        List<DeviceUsage> sum = new ArrayList<>(targetUsages.size());
        for (DeviceUsage base : targetUsages) {
            long rollback = Math.multiplyExact(base.recurrentStateBytes(), rollbackStateBytes == 0 ? 0
                    : speculation.draftTokens());
            sum.add(rollback == 0 ? base : new DeviceUsage(base.device(), base.weightBytes(), base.kvCacheBytes(),
                    base.recurrentStateBytes() + rollback, base.outputBufferBytes(), base.computeBufferBytes(),
                    base.runtimeOverheadBytes()));
        }
        for (int j = 0; j < drafterUsages.size(); j++) {
            int d = drafterFirstDevice + j;
            DeviceUsage base = sum.get(d);
            double share = drafterTotal == 0 ? 1.0 / drafterUsages.size()
                    : (double) drafterUsages.get(j).totalBytes() / drafterTotal;
            sum.set(d, new DeviceUsage(base.device(), base.weightBytes() + part(weightBytes, share),
                    base.kvCacheBytes() + part(kvCacheBytes, share),
                    base.recurrentStateBytes() + part(recurrentStateBytes, share),
                    base.outputBufferBytes() + part(outputBufferBytes, share),
                    base.computeBufferBytes() + part(computeBufferBytes, share), base.runtimeOverheadBytes()));
        }
        return List.copyOf(sum);
    }

    private static long part(long bytes, double share) {
        return share == 1.0 ? bytes : Math.round(bytes * share);
    }

    private DeploymentEstimate requireTarget() {
        if (target == null) {
            throw new IllegalStateException("deployment: not set (expected: Estimator.on(device) or"
                    + " Estimator.on(deployment) before estimate(), for speeds)");
        }
        return target;
    }

    /**
     * Estimates decoding with speculation when each sequence already holds {@code positionTokens} tokens: a step of
     * {@code k} drafting passes at that position, the target's verification of {@code k + 1} tokens and the drafter's
     * pass over them (see {@link SpeculativeSpeed}), yielding {@link Speculation#expectedTokensPerStep()} tokens per
     * sequence.
     *
     * @param positionTokens tokens already in each sequence, 0 to the context per sequence minus {@code k}
     * @return the speed with its baseline, not null
     * @throws IllegalStateException if the estimator had no deployment
     * @throws IllegalArgumentException if the step does not fit the context
     */
    public SpeculativeSpeed decode(int positionTokens) {
        DeploymentEstimate targetDeployment = requireTarget();
        DeploymentEstimate drafterDeployment = drafter.deployment().orElseThrow();
        int k = speculation.draftTokens();
        DecodeSpeed baseline = targetDeployment.decode(positionTokens);
        DecodeSpeed verify = targetDeployment.batchStep(positionTokens, k + 1, true);
        DecodeSpeed draft = drafterDeployment.decode(positionTokens);
        DecodeSpeed catchUp = drafterDeployment.batchStep(positionTokens, k + 1, false);
        double tokens = sequences * speculation.expectedTokensPerStep();
        double calls = (k + 1) * DRAFTER_CALL_SECONDS;
        double expected = k * draft.secondsPerStep() + verify.secondsPerStep() + catchUp.secondsPerStep() + calls;
        double slow = k * seconds(draft, draft.lowTokensPerSecond()) + seconds(verify, verify.lowTokensPerSecond())
                + seconds(catchUp, catchUp.lowTokensPerSecond()) + calls;
        double fast = k * seconds(draft, draft.highTokensPerSecond()) + seconds(verify, verify.highTokensPerSecond())
                + seconds(catchUp, catchUp.highTokensPerSecond()) + calls;
        return new SpeculativeSpeed(positionTokens, speculation.expectedTokensPerStep(),
                k * (draft.secondsPerStep() + DRAFTER_CALL_SECONDS), verify.secondsPerStep(),
                catchUp.secondsPerStep() + DRAFTER_CALL_SECONDS, tokens / expected, tokens / slow, tokens / fast,
                baseline);
    }

    private static double seconds(DecodeSpeed step, double tokensPerSecond) {
        return step.sequences() / tokensPerSecond;
    }

    /**
     * Estimates prompt processing with speculation: the target's prefill and the drafter's over the same prompt, one
     * after the other.
     *
     * @param promptTokens the prompt length, 1 to the context per sequence
     * @return the speed, or empty when a device's throughput is unknown
     * @throws IllegalStateException if the estimator had no deployment
     * @throws IllegalArgumentException if the prompt is outside the context
     */
    public Optional<PrefillSpeed> prefill(int promptTokens) {
        Optional<PrefillSpeed> main = requireTarget().prefill(promptTokens);
        Optional<PrefillSpeed> draft = drafter.deployment().orElseThrow().prefill(promptTokens);
        if (main.isEmpty() || draft.isEmpty()) {
            return Optional.empty();
        }
        PrefillSpeed t = main.get();
        PrefillSpeed d = draft.get();
        double n = promptTokens;
        return Optional.of(new PrefillSpeed(promptTokens, n / (n / t.tokensPerSecond() + n / d.tokensPerSecond()),
                n / (n / t.lowTokensPerSecond() + n / d.lowTokensPerSecond()),
                n / (n / t.highTokensPerSecond() + n / d.highTokensPerSecond()), t.bound()));
    }

    @Override
    public boolean equals(Object other) {
        if (this == other) {
            return true;
        }
        if (!(other instanceof SpeculativeDecoding)) {
            return false;
        }
        SpeculativeDecoding that = (SpeculativeDecoding) other;
        return speculation.equals(that.speculation) && drafter.equals(that.drafter)
                && Objects.equals(target, that.target);
    }

    @Override
    public int hashCode() {
        return Objects.hash(speculation, drafter, target);
    }

    @Override
    public String toString() {
        return "SpeculativeDecoding[" + speculation + ", drafter memory " + totalBytes() + " bytes]";
    }
}
