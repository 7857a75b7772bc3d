package io.github.llmestimator.throughput;

import io.github.llmestimator.memory.KvCacheType;
import io.github.llmestimator.model.ModelSpec;
import io.github.llmestimator.quant.QuantScheme;
import java.util.Objects;
import java.util.Optional;

/**
 * A speculative-decoding setup, as llama.cpp runs it ({@code common/speculative.cpp}): a drafter proposes
 * {@code draftTokens} tokens one at a time, and the target model verifies them all in one batch of
 * {@code draftTokens + 1} tokens, keeping the longest accepted prefix plus one token of its own. The drafter is either a
 * separate small model ({@code --model-draft}, {@code --spec-type draft-simple}) or the target's own
 * multi-token-prediction layer ({@code --spec-type draft-mtp}, llama.cpp PR #22673), which llama.cpp loads only then
 * ({@code llama_model_params.load_mtp}).
 *
 * <p>Acceptance is the probability that the target accepts one drafted token given that it accepted the ones before,
 * taken as the same for every token and independent of the others (an assumption: real acceptance falls along a draft
 * and varies with the text; code is accepted more often than prose). Under it the expected tokens one verification step
 * yields are {@code E = 1 + a + a^2 + ... + a^k = (1 - a^(k+1)) / (1 - a)} (Leviathan et al., "Fast Inference from
 * Transformers via Speculative Decoding", 2023, eq. 1). llama.cpp prints another figure, its "draft acceptance rate":
 * accepted over drafted tokens, {@code (E - 1) / k}; {@link #perTokenAcceptance(double, int)} turns one into the other.
 *
 * <p>The defaults come from published llama.cpp runs, as llama.cpp printed them, converted to a per-token acceptance:
 * <ul>
 *   <li>MTP: draft acceptance rate 0.718 at 3 drafted tokens (1,705 of 2,374 drafted tokens accepted, Qwen3.8-27B
 *       Q4_K_M on two RTX 5090, https://github.com/sudoingX/qwen38-mtp/pull/73), so {@value #MTP_DRAFT_ACCEPTANCE_RATE}
 *       at {@value #DEFAULT_DRAFT_TOKENS} tokens;</li>
 *   <li>a same-family draft model: 526 of 730 drafted tokens accepted (0.72) at 5 drafted tokens, Llama 3.1 8B Q8_0
 *       with Llama 3.2 1B Q8_0 as its draft (oxfighterjet's run of 2024-11-19 in
 *       https://github.com/ggml-org/llama.cpp/issues/5877, on an RTX 3060).</li>
 * </ul>
 * The default draft length is llama.cpp's {@code --spec-draft-n-max} default, 3 ({@code common/common.h}
 * {@code common_params_speculative_draft::n_max}; changed from 16 by PR #23269). The draft's KV cache defaults to f16,
 * llama.cpp's {@code -ctkd}/{@code -ctvd} default.
 *
 * <p>This class is immutable and thread-safe.
 */
public final class Speculation {

    /** llama.cpp's default draft length, {@code --spec-draft-n-max 3}. */
    public static final int DEFAULT_DRAFT_TOKENS = 3;

    /** The longest draft accepted here: llama.cpp's {@code --spec-draft-n-max} is an int, but no run drafts more. */
    public static final int MAX_DRAFT_TOKENS = 64;

    /** The published MTP draft acceptance rate of the default, at {@value #DEFAULT_DRAFT_TOKENS} drafted tokens. */
    public static final double MTP_DRAFT_ACCEPTANCE_RATE = 0.718;

    /** The published draft-model acceptance rate of the default, at {@value #DRAFT_MODEL_RATE_TOKENS} drafted tokens. */
    public static final double DRAFT_MODEL_ACCEPTANCE_RATE = 526.0 / 730;

    /** The draft length at which {@link #DRAFT_MODEL_ACCEPTANCE_RATE} was measured. */
    public static final int DRAFT_MODEL_RATE_TOKENS = 5;

    /** The per-token acceptance of the MTP default (about 0.843). */
    public static final double MTP_DEFAULT_ACCEPTANCE = perTokenAcceptance(MTP_DRAFT_ACCEPTANCE_RATE,
            DEFAULT_DRAFT_TOKENS);

    /** The per-token acceptance of the draft-model default (about 0.893). */
    public static final double DRAFT_MODEL_DEFAULT_ACCEPTANCE = perTokenAcceptance(DRAFT_MODEL_ACCEPTANCE_RATE,
            DRAFT_MODEL_RATE_TOKENS);

    private final ModelSpec draftModel;
    private final QuantScheme draftScheme;
    private final int draftTokens;
    private final double acceptance;
    private final KvCacheType draftCacheType;

    private Speculation(ModelSpec draftModel, QuantScheme draftScheme, int draftTokens, double acceptance,
            KvCacheType draftCacheType) {
        if (draftTokens < 1 || draftTokens > MAX_DRAFT_TOKENS) {
            throw new IllegalArgumentException("draftTokens: " + draftTokens + " (expected: 1 to " + MAX_DRAFT_TOKENS
                    + ", llama.cpp --spec-draft-n-max)");
        }
        if (!(acceptance >= 0 && acceptance < 1)) {
            throw new IllegalArgumentException("acceptance: " + acceptance
                    + " (expected: a per-token probability, at least 0 and below 1)");
        }
        this.draftModel = draftModel;
        this.draftScheme = draftScheme;
        this.draftTokens = draftTokens;
        this.acceptance = acceptance;
        this.draftCacheType = Objects.requireNonNull(draftCacheType, "draftCacheType");
    }

    /**
     * Returns speculation with the model's own multi-token-prediction layer as the drafter, llama.cpp's default draft
     * length and the published MTP acceptance ({@link #MTP_DEFAULT_ACCEPTANCE}).
     *
     * @return the setup
     */
    public static Speculation mtp() {
        return mtp(DEFAULT_DRAFT_TOKENS, MTP_DEFAULT_ACCEPTANCE);
    }

    /**
     * Returns speculation with the model's own multi-token-prediction layer as the drafter.
     *
     * @param draftTokens tokens drafted per step ({@code --spec-draft-n-max}), 1 to {@value #MAX_DRAFT_TOKENS}
     * @param acceptance the per-token acceptance, at least 0 and below 1
     * @return the setup
     * @throws IllegalArgumentException if an argument is out of range
     */
    public static Speculation mtp(int draftTokens, double acceptance) {
        return new Speculation(null, null, draftTokens, acceptance, KvCacheType.F16);
    }

    /**
     * Returns speculation with a separate draft model, llama.cpp's default draft length and the published draft-model
     * acceptance ({@link #DRAFT_MODEL_DEFAULT_ACCEPTANCE}).
     *
     * @param draftModel the draft model, which must share the target's vocabulary, not null
     * @param draftScheme the draft's quantization, not null
     * @return the setup
     * @throws NullPointerException if an argument is null
     */
    public static Speculation draftModel(ModelSpec draftModel, QuantScheme draftScheme) {
        return draftModel(draftModel, draftScheme, DEFAULT_DRAFT_TOKENS, DRAFT_MODEL_DEFAULT_ACCEPTANCE);
    }

    /**
     * Returns speculation with a separate draft model.
     *
     * @param draftModel the draft model, which must share the target's vocabulary, not null
     * @param draftScheme the draft's quantization, not null
     * @param draftTokens tokens drafted per step ({@code --spec-draft-n-max}), 1 to {@value #MAX_DRAFT_TOKENS}
     * @param acceptance the per-token acceptance, at least 0 and below 1
     * @return the setup
     * @throws NullPointerException if a model or scheme is null
     * @throws IllegalArgumentException if a number is out of range
     */
    public static Speculation draftModel(ModelSpec draftModel, QuantScheme draftScheme, int draftTokens,
            double acceptance) {
        return new Speculation(Objects.requireNonNull(draftModel, "draftModel"),
                Objects.requireNonNull(draftScheme, "draftScheme"), draftTokens, acceptance, KvCacheType.F16);
    }

    /**
     * Returns this setup with another draft length, the per-token acceptance kept.
     *
     * @param draftTokens tokens drafted per step, 1 to {@value #MAX_DRAFT_TOKENS}
     * @return a new setup; this instance is immutable and unaffected by this method call
     * @throws IllegalArgumentException if {@code draftTokens} is out of range
     */
    public Speculation withDraftTokens(int draftTokens) {
        return new Speculation(draftModel, draftScheme, draftTokens, acceptance, draftCacheType);
    }

    /**
     * Returns this setup with another per-token acceptance.
     *
     * @param acceptance the per-token acceptance, at least 0 and below 1
     * @return a new setup; this instance is immutable and unaffected by this method call
     * @throws IllegalArgumentException if {@code acceptance} is out of range
     */
    public Speculation withAcceptance(double acceptance) {
        return new Speculation(draftModel, draftScheme, draftTokens, acceptance, draftCacheType);
    }

    /**
     * Returns this setup with the draft's K and V cache type ({@code -ctkd}, {@code -ctvd}; default f16).
     *
     * @param draftCacheType the cache type, not null
     * @return a new setup; this instance is immutable and unaffected by this method call
     * @throws NullPointerException if {@code draftCacheType} is null
     */
    public Speculation withDraftCacheType(KvCacheType draftCacheType) {
        return new Speculation(draftModel, draftScheme, draftTokens, acceptance, draftCacheType);
    }

    /**
     * Converts llama.cpp's draft acceptance rate (accepted over drafted tokens, which it prints as
     * {@code draft acceptance rate}) at a draft length into the per-token acceptance {@code a} with
     * {@code (a + a^2 + ... + a^k) / k = rate}, under the independence assumption of the class documentation.
     *
     * @param draftAcceptanceRate accepted over drafted tokens, at least 0 and below 1
     * @param draftTokens the draft length at which it was measured, 1 to {@value #MAX_DRAFT_TOKENS}
     * @return the per-token acceptance, at least 0 and below 1
     * @throws IllegalArgumentException if an argument is out of range
     */
    public static double perTokenAcceptance(double draftAcceptanceRate, int draftTokens) {
        if (draftTokens < 1 || draftTokens > MAX_DRAFT_TOKENS) {
            throw new IllegalArgumentException("draftTokens: " + draftTokens + " (expected: 1 to " + MAX_DRAFT_TOKENS
                    + ")");
        }
        if (!(draftAcceptanceRate >= 0 && draftAcceptanceRate < 1)) {
            throw new IllegalArgumentException("draftAcceptanceRate: " + draftAcceptanceRate
                    + " (expected: accepted over drafted tokens, at least 0 and below 1)");
        }
        // the rate grows strictly with a from 0 (a = 0) towards 1 (a -> 1): bisect
        double low = 0;
        double high = 1;
        for (int i = 0; i < 60; i++) {
            double mid = (low + high) / 2;
            if (rate(mid, draftTokens) < draftAcceptanceRate) {
                low = mid;
            } else {
                high = mid;
            }
        }
        return low;
    }

    private static double rate(double a, int k) {
        return (expected(a, k) - 1) / k;
    }

    private static double expected(double a, int k) {
        double sum = 1;
        double power = 1;
        for (int i = 0; i < k; i++) {
            power *= a;
            sum += power;
        }
        return sum;
    }

    /**
     * Returns whether the drafter is the model's own multi-token-prediction layer.
     *
     * @return true for MTP, false for a draft model
     */
    public boolean isMtp() {
        return draftModel == null;
    }

    /**
     * Returns the draft model, for draft-model speculation.
     *
     * @return the draft model, or empty for MTP
     */
    public Optional<ModelSpec> draftModel() {
        return Optional.ofNullable(draftModel);
    }

    /**
     * Returns the draft model's quantization, for draft-model speculation.
     *
     * @return the scheme, or empty for MTP (whose layer is quantized with the target)
     */
    public Optional<QuantScheme> draftScheme() {
        return Optional.ofNullable(draftScheme);
    }

    /**
     * Returns the tokens drafted per step, {@code k}.
     *
     * @return 1 to {@value #MAX_DRAFT_TOKENS}
     */
    public int draftTokens() {
        return draftTokens;
    }

    /**
     * Returns the per-token acceptance {@code a}.
     *
     * @return at least 0 and below 1
     */
    public double acceptance() {
        return acceptance;
    }

    /**
     * Returns the draft's K and V cache type.
     *
     * @return the type, not null
     */
    public KvCacheType draftCacheType() {
        return draftCacheType;
    }

    /**
     * Returns the expected tokens one verification step yields, {@code (1 - a^(k+1)) / (1 - a)}: the accepted drafted
     * tokens plus the one the target adds.
     *
     * @return 1 to {@code k + 1}
     */
    public double expectedTokensPerStep() {
        return expected(acceptance, draftTokens);
    }

    /**
     * Returns the draft acceptance rate llama.cpp would print under the independence assumption,
     * {@code (E - 1) / k}.
     *
     * @return accepted over drafted tokens, 0 to below 1
     */
    public double draftAcceptanceRate() {
        return rate(acceptance, draftTokens);
    }

    @Override
    public boolean equals(Object other) {
        if (this == other) {
            return true;
        }
        if (!(other instanceof Speculation)) {
            return false;
        }
        Speculation that = (Speculation) other;
        return draftTokens == that.draftTokens && Double.compare(acceptance, that.acceptance) == 0
                && Objects.equals(draftModel, that.draftModel) && draftScheme == that.draftScheme
                && draftCacheType == that.draftCacheType;
    }

    @Override
    public int hashCode() {
        return Objects.hash(draftModel, draftScheme, draftTokens, acceptance, draftCacheType);
    }

    @Override
    public String toString() {
        return String.format(java.util.Locale.ROOT, "Speculation[%s, %d draft tokens, acceptance %.3f per token,"
                + " %.2f tokens per step]", isMtp() ? "MTP" : "draft " + draftModel.name() + " " + draftScheme,
                draftTokens, acceptance, expectedTokensPerStep());
    }
}
