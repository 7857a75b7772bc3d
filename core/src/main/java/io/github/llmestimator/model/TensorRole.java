package io.github.llmestimator.model;

/**
 * What a weight tensor is for. Placements (which device holds a tensor) and speeds (which tensors one token reads)
 * are decided per role.
 *
 * <p>This enum is immutable and thread-safe.
 */
public enum TensorRole {
    /** The input token embedding ({@code token_embd}); one row is read per token, and llama.cpp keeps it on the CPU. */
    TOKEN_EMBEDDING,
    /** The output head ({@code output}) and the final norm. */
    OUTPUT,
    /** Attention projections and their norms, including MLA's low-rank projections. */
    ATTENTION,
    /** Projections and state parameters of recurrent mixers (gated DeltaNet, Mamba-2). */
    RECURRENT,
    /** Dense feed-forward projections. */
    DENSE_FEED_FORWARD,
    /** The router of a mixture-of-experts layer. */
    ROUTER,
    /** Routed experts of a mixture-of-experts layer: one token reads only the experts it is routed to. */
    ROUTED_EXPERTS,
    /** Shared experts of a mixture-of-experts layer: every token reads them. */
    SHARED_EXPERTS,
    /** Per-layer norms outside attention. */
    NORM,
    /**
     * Multi-token-prediction (NextN) layers: stored in the file, but llama.cpp skips them when loading a model for
     * ordinary decoding.
     */
    NEXT_TOKEN_PREDICTION
}
